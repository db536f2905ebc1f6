import { type GenerateArgs, fastCommand, helpIsEnglish } from "./argv.js";
import { EXIT_OK, EXIT_USAGE, isUserError } from "./errors.js";
import { write } from "./output.js";

/**
 * How an entry point reaches each command: tsc's dist/cli.js imports them when asked, the bundle
 * (src/bin.ts) has the generate path in its own file and imports the rest.
 */
export interface Commands {
  generate(args: GenerateArgs): Promise<number>;
  /** Everything src/argv.ts leaves to yargs; `onJson` learns whether a failure is told in JSON. */
  yargs(argv: string[], onJson: (json: boolean) => void): Promise<number>;
  version(): Promise<string>;
  /** yargs' --help text in English and the languages yargs has words for, when known beforehand. */
  help?: { text: string; locales: readonly string[] };
}

/**
 * Runs one command line. Start-up is module loading, so each command loads only what it needs:
 * the plain generate, --help and --version lines skip yargs (src/argv.ts), generating skips the
 * emulator, and yargs (src/parser.ts) parses the rest.
 */
export async function main(argv: string[], commands: Commands): Promise<number> {
  let json = argv.includes("--json");
  try {
    const fast = fastCommand(argv);
    if (fast?.kind === "help" && commands.help && helpIsEnglish(process.env, commands.help.locales)) {
      write(1, commands.help.text);
      return EXIT_OK;
    }
    if (fast?.kind === "version") {
      write(1, `${await commands.version()}\n`);
      return EXIT_OK;
    }
    if (fast?.kind === "generate") return await commands.generate(fast.args);
    return await commands.yargs(argv, (j) => (json = j));
  } catch (err) {
    if (!isUserError(err)) throw err;
    if (json) write(1, `${JSON.stringify({ ok: false, error: err.message, exitCode: err.exitCode })}\n`);
    write(2, `fg-bootgen: ${err.message}\n`);
    return err.exitCode;
  }
}

/** Runs the command line of this process (what yargs' hideBin gives outside Electron) and sets its exit code. */
export function runMain(commands: Commands): Promise<void> {
  return main(process.argv.slice(2), commands).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      write(2, `fg-bootgen: internal error, please report it: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = EXIT_USAGE + 1;
    },
  );
}
