// The build's last step, after tsc and scripts/precompile.mjs: bundles the CLI into
// dist/fg-bootgen.mjs and its chunks (dist/fg-bootgen-<hash>.mjs), which package.json "bin" runs.
// A run's time is mostly module loading: a few files of our modules and the Handlebars runtime
// start faster than ~40 modules found one by one in node_modules. The other dependencies stay in
// node_modules, loaded only by the commands that need them (yargs for the lines src/argv.ts leaves
// to it; zod and yaml for a spec or config of yours; prettier for a Node file the build did not
// format beforehand; diff for a diff). The bundle carries the id of this build, so that it serves
// dist/rendered.generated.json (the embedded spec's files, rendered by this build) as they are;
// dist/cli.js, tsc's output, keeps working on its own and always renders.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = `${root}dist/`;
const entry = `${dist}fg-bootgen.mjs`;

// yargs' --help text, as dist/cli.js prints it in English, and the languages yargs has words for:
// the bundle prints this text itself when yargs would print it in English (src/cli.ts).
const help = execFileSync(process.execPath, [`${root}dist/cli.js`, "--help"], { encoding: "utf8", env: { ...process.env, LC_ALL: "en_US.UTF-8" } });
const locales = readdirSync(`${root}node_modules/yargs/locales`)
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -".json".length))
  .sort();

// The build whose rendered files (dist/rendered.generated.json, just written by
// scripts/precompile.mjs from this source) the bundle may serve as they are (src/generate.ts).
const renderedPath = `${dist}rendered.generated.json`;
const buildId = existsSync(renderedPath) ? JSON.parse(readFileSync(renderedPath, "utf8")).build : undefined;

/** Bundled from node_modules: what every generating run loads. */
const INLINE = new Set(["handlebars/runtime.js"]);

// The modules that only some commands run go to chunks of their own, loaded by those commands:
// dist/fg-bootgen-<hash>.mjs, beside the entry, where the paths relative to a module's URL (the
// spec, the templates, package.json, the precompiled table) lead to the same places as from dist/.
for (const f of readdirSync(dist)) if (/^fg-bootgen-\w+\.mjs$/.test(f)) rmSync(dist + f);
await build({
  entryPoints: { "fg-bootgen": `${root}src/cli.ts` },
  outdir: dist,
  outExtension: { ".js": ".mjs" },
  chunkNames: "fg-bootgen-[hash]",
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  define: { __FG_HELP__: JSON.stringify(help), __FG_YARGS_LOCALES__: JSON.stringify(locales), __FG_BUILD__: buildId === undefined ? "undefined" : JSON.stringify(buildId) },
  plugins: [
    {
      name: "dependencies-stay-in-node_modules",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("node:") || INLINE.has(args.path) ? undefined : { path: args.path, external: true }));
      },
    },
  ],
  logLevel: "warning",
});
chmodSync(entry, 0o755);
