// The build's last step, after tsc and scripts/precompile.mjs: bundles the CLI into
// dist/fg-bootgen.mjs, which package.json "bin" runs, its generate path dist/fg-bootgen-generate.mjs,
// and the chunks of the other commands (dist/fg-bootgen-<hash>.mjs).
// A run's time is mostly module loading: a few files of our modules and the Handlebars runtime
// start faster than ~40 modules found one by one in node_modules. The other dependencies stay in
// node_modules, loaded only by the commands that need them (yargs for the lines src/argv.ts leaves
// to it; zod and yaml for a spec or config of yours; prettier for a Node file the build did not
// format beforehand; diff for a diff). The bundle carries the id of this build, so that it serves
// dist/rendered.generated.bin (the embedded spec's files, rendered by this build) as they are;
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

// The build whose rendered files (dist/rendered.generated.bin, just written by
// scripts/precompile.mjs from this source) the bundle may serve as they are (src/generate.ts).
const renderedPath = `${dist}rendered.generated.bin`;
const buildId = existsSync(renderedPath) ? JSON.parse(readFileSync(renderedPath, "latin1").split("\n", 1)[0]).build : undefined;
const buildDefine = { __FG_BUILD__: buildId === undefined ? "undefined" : JSON.stringify(buildId) };

/** Bundled from node_modules: what every generating run loads. */
const INLINE = new Set(["handlebars/runtime.js"]);

// A plain generating run (src/argv.ts's fast path) loads src/run.ts and what it imports: bundled
// into one file of its own, dist/fg-bootgen-generate.mjs, as each module file costs a run about a
// millisecond to load. What it loads only for other input (a spec or config of yours: zod and
// YAML) stays outside, as tsc's modules beside it in dist/, so that bundling in one file does not
// turn those imports into imports at start.
const LOADED_BY_PATH = new Set(["spec.ts", "config.ts"]);
const common = { bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning" };
const dependenciesStay = (b) => b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("node:") || INLINE.has(args.path) ? undefined : { path: args.path, external: true }));
const GENERATE = "fg-bootgen-generate.mjs";

for (const f of readdirSync(dist)) if (/^fg-bootgen-\w+\.mjs$/.test(f)) rmSync(dist + f);
await build({
  ...common,
  entryPoints: [`${root}src/run.ts`],
  outfile: dist + GENERATE,
  define: buildDefine,
  plugins: [
    {
      name: "generate-path",
      setup(b) {
        dependenciesStay(b);
        b.onResolve({ filter: /^\.\.?\// }, (args) => {
          const file = args.path.replace(/^.*\//, "").replace(/\.js$/, ".ts");
          if (!LOADED_BY_PATH.has(file) || !args.resolveDir.endsWith("/src")) return undefined;
          return { path: `./${file.replace(/\.ts$/, ".js")}`, external: true };
        });
      },
    },
  ],
});

// The rest of the CLI: the entry (src/cli.ts) and chunks of their own for the modules that only
// some commands run (dist/fg-bootgen-<hash>.mjs, beside the entry, where the paths relative to a
// module's URL (the spec, the templates, package.json, the precompiled table) lead to the same
// places as from dist/). The entry's generate path is the file above.
await build({
  ...common,
  entryPoints: { "fg-bootgen": `${root}src/cli.ts` },
  outdir: dist,
  outExtension: { ".js": ".mjs" },
  chunkNames: "fg-bootgen-[hash]",
  splitting: true,
  define: { __FG_HELP__: JSON.stringify(help), __FG_YARGS_LOCALES__: JSON.stringify(locales), ...buildDefine },
  plugins: [
    {
      name: "entry",
      setup(b) {
        dependenciesStay(b);
        b.onResolve({ filter: /^\.\/run\.js$/ }, (args) => (args.importer.endsWith("/src/cli.ts") ? { path: `./${GENERATE}`, external: true } : undefined));
      },
    },
  ],
});
chmodSync(entry, 0o755);
