/** Exit codes of the CLI: 1 stays reserved for "output out of date" (`--check`). */
export const EXIT_OK = 0;
export const EXIT_OUT_OF_DATE = 1;
export const EXIT_USAGE = 2;

// The bundle's generate path is bundled apart from the rest of the CLI (scripts/bundle.mjs), and
// some modules are shared with tsc's dist/: each has its own copy of this class, so the CLI knows a
// UserError by this mark rather than by `instanceof`.
const MARK = Symbol.for("fg-bootgen.UserError");

/**
 * An error the user can fix: bad flags, a bad spec, an unwritable folder.
 * Its message is shown as is, one line per problem, without a stack trace.
 */
export class UserError extends Error {
  readonly [MARK] = true;

  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** A spec that failed to parse or validate; `problems` are `place: message` lines. */
export class SpecError extends UserError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.map((p) => `${file}: ${p}`).join("\n"));
    this.name = "SpecError";
  }
}

export function isUserError(err: unknown): err is UserError {
  return typeof err === "object" && err !== null && MARK in err;
}
