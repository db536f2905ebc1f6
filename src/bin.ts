#!/usr/bin/env node
import { runMain } from "./main.js";
import { runGenerate } from "./run.js";
import { VERSION } from "./version.js";

// The package's bin, bundled by scripts/bundle.mjs into one CommonJS file, dist/fg-bootgen.cjs,
// with the generate path inside. CommonJS because node loads it without its ES module loader:
// that loader reads each module file on libuv's thread pool, so an ES module entry starts four
// more threads and waits on them (measured: 21M instructions and ~300 system calls more for a
// five-language run). Everything else (yargs and its commands) is an ES module bundle beside it,
// dist/fg-bootgen-commands.mjs, imported only for a line that needs yargs.

// Set by the bundle: yargs' --help text, and the languages yargs has words for. tsc's
// dist/bin.js, without them, asks yargs.
declare const __FG_HELP__: string | undefined;
declare const __FG_YARGS_LOCALES__: string[] | undefined;

void runMain({
  generate: runGenerate,
  yargs: async (argv, onJson) => (await import("./parser.js")).parseWithYargs(argv, onJson),
  version: () => Promise.resolve(VERSION),
  help: typeof __FG_HELP__ === "string" && typeof __FG_YARGS_LOCALES__ === "object" ? { text: __FG_HELP__, locales: __FG_YARGS_LOCALES__ } : undefined,
});
