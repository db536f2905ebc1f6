#!/usr/bin/env node
import { runMain } from "./main.js";

// tsc's entry point (dist/cli.js): every command imported when asked, and yargs' own --help. The
// package's bin is the bundle of src/bin.ts, which must say byte for byte what this one says.
await runMain({
  generate: async (args) => (await import("./run.js")).runGenerate(args),
  yargs: async (argv, onJson) => (await import("./parser.js")).parseWithYargs(argv, onJson),
  version: async () => (await import("./version.js")).VERSION,
});
