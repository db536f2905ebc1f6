#!/usr/bin/env node
import { fastCommand, helpIsEnglish } from "./argv.js";
import { EXIT_OK, EXIT_USAGE, isUserError } from "./errors.js";

// Set by the bundle (scripts/bundle.mjs): yargs' --help text, and the languages yargs has words
// for. Absent from tsc's dist/cli.js, which asks yargs every time.
declare const __FG_HELP__: string | undefined;
declare const __FG_YARGS_LOCALES__: string[] | undefined;

/**
 * Runs one command line. Start-up is module loading, so each command loads only what it needs:
 * the plain generate, --help and --version lines skip yargs (src/argv.ts), generating skips the
 * emulator, and yargs (src/parser.ts) parses the rest.
 */
export async function main(argv: string[]): Promise<number> {
  let json = argv.includes("--json");
  try {
    const fast = fastCommand(argv);
    if (fast?.kind === "help" && typeof __FG_HELP__ === "string" && typeof __FG_YARGS_LOCALES__ === "object" && helpIsEnglish(process.env, __FG_YARGS_LOCALES__)) {
      process.stdout.write(__FG_HELP__);
      return EXIT_OK;
    }
    if (fast?.kind === "version") {
      const { VERSION } = await import("./version.js");
      process.stdout.write(`${VERSION}\n`);
      return EXIT_OK;
    }
    if (fast?.kind === "generate") return await (await import("./run.js")).runGenerate(fast.args);
    return await (await import("./parser.js")).parseWithYargs(argv, (j) => (json = j));
  } catch (err) {
    if (!isUserError(err)) throw err;
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: err.message, exitCode: err.exitCode })}\n`);
    process.stderr.write(`fg-bootgen: ${err.message}\n`);
    return err.exitCode;
  }
}

// What yargs' hideBin does outside Electron: the arguments after node and the script.
process.exitCode = await main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`fg-bootgen: internal error, please report it: ${err instanceof Error ? err.stack : String(err)}\n`);
  return EXIT_USAGE + 1;
});
