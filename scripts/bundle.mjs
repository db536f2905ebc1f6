// The build's last step, after tsc and scripts/precompile.mjs: bundles the CLI into
// dist/fg-bootgen.cjs, which package.json "bin" runs (src/bin.ts with the generate path inside),
// and dist/fg-bootgen-commands.mjs, the commands that need yargs, with their chunks
// (dist/fg-bootgen-<hash>.mjs).
// A run's time is mostly module loading: one file of our modules and the Handlebars runtime
// starts faster than ~40 modules found one by one in node_modules, and a CommonJS file faster
// than an ES module (src/bin.ts says why). The other dependencies stay in node_modules, loaded
// only by the commands that need them (yargs for the lines src/argv.ts leaves to it; zod and
// yaml for a spec or config of yours; prettier for a Node file the build did not format
// beforehand; diff for a diff). The bundle carries the id of this build, so that it serves
// dist/rendered.generated.bin (the embedded spec's files, rendered by this build) as they are;
// dist/cli.js, tsc's output, keeps working on its own and always renders.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = `${root}dist/`;
const BIN = "fg-bootgen.cjs";
const COMMANDS = "fg-bootgen-commands";

// yargs' --help text, as dist/cli.js prints it in English, and the languages yargs has words for:
// the bundle prints this text itself when yargs would print it in English (src/main.ts).
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

// What the generate path loads only for other input (a spec or config of yours: zod and YAML)
// stays outside, as tsc's modules beside it in dist/, so that bundling in one file does not turn
// those imports into work at start.
const LOADED_BY_PATH = new Set(["spec", "config"]);
const common = { bundle: true, platform: "node", target: "node20", logLevel: "warning" };
const dependenciesStay = (b) => b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("node:") || INLINE.has(args.path) ? undefined : { path: args.path, external: true }));
/** An import of one of src/'s modules, as another file of dist/ (`to`), or undefined to bundle it. */
const fromSrc = (args, to) => (args.resolveDir.endsWith("/src") && /^\.\/[\w-]+\.js$/.test(args.path) ? to(args.path.slice(2, -".js".length)) : undefined);

for (const f of readdirSync(dist)) if (/^fg-bootgen(-\w+)?\.(mjs|cjs)$/.test(f)) rmSync(dist + f);
await build({
  ...common,
  format: "cjs",
  entryPoints: [`${root}src/bin.ts`],
  outfile: dist + BIN,
  // A CommonJS file has no import.meta: the modules find the spec, the templates and the tables
  // relative to the bundle's URL, which is in dist/ as tsc's modules are.
  define: { ...buildDefine, __FG_HELP__: JSON.stringify(help), __FG_YARGS_LOCALES__: JSON.stringify(locales), "import.meta.url": "importMetaUrl" },
  inject: [`${root}scripts/import-meta-url.js`],
  plugins: [
    {
      name: "bin",
      setup(b) {
        dependenciesStay(b);
        b.onResolve({ filter: /^\.\// }, (args) =>
          fromSrc(args, (name) => (name === "parser" ? { path: `./${COMMANDS}.mjs`, external: true } : LOADED_BY_PATH.has(name) ? { path: `./${name}.js`, external: true } : undefined)),
        );
      },
    },
  ],
});

// The commands that need yargs: an ES module entry (src/parser.ts) and chunks of their own for
// the modules that only some commands run, beside the bin, where the paths relative to a module's
// URL (the spec, the templates, package.json, the precompiled table) lead to the same places as
// from dist/.
await build({
  ...common,
  format: "esm",
  entryPoints: { [COMMANDS]: `${root}src/parser.ts` },
  outdir: dist,
  outExtension: { ".js": ".mjs" },
  chunkNames: "fg-bootgen-[hash]",
  splitting: true,
  define: buildDefine,
  plugins: [{ name: "commands", setup: dependenciesStay }],
});
chmodSync(dist + BIN, 0o755);
