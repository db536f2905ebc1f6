import { resolve } from "node:path";
import type { GenerateArgs } from "./argv.js";
import { regenerate } from "./regenerate.js";

/** The generate command's handler, whether yargs or src/argv.ts parsed its line. */
export function runGenerate(args: GenerateArgs): Promise<number> {
  return regenerate({
    langs: args.lang,
    out: args.out === undefined ? undefined : resolve(args.out),
    spec: args.spec,
    templates: args.templates === undefined ? undefined : resolve(args.templates),
    check: args.check,
    dryRun: args.dryRun,
    force: args.force,
    json: args.json,
    // Loaded only without --lang: the config module brings YAML and zod.
    findConfig: async () => (await import("./config.js")).findConfig(process.cwd()),
  });
}
