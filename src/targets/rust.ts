import type { EnvModel, HeaderModel, Model } from "../model.js";
import { snake, type Target } from "../target.js";

/** A Rust string literal: Rust has no \uXXXX escape, only \u{X}. */
export function rustLiteral(value: unknown): string {
  const body = [...String(value)]
    .map((c) => {
      if (c === '"' || c === "\\") return `\\${c}`;
      const code = c.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029 ? `\\u{${code.toString(16)}}` : c;
    })
    .join("");
  return `"${body}"`;
}

/**
 * rustfmt's defaults: lines up to `max_width`, a call's arguments on one line up to `fn_call_width`.
 * Generated lines with spec values that would pass either are emitted the way rustfmt breaks them.
 */
const MAX_WIDTH = 100;
const FN_CALL_WIDTH = 60;

/** Whether rustfmt puts the arguments of a call, indented by `indent`, one per line. */
function breaksCall(indent: number, head: string, args: string[], tail: string): boolean {
  const joined = args.join(", ");
  return width(joined) > FN_CALL_WIDTH || indent + width(`${head}(${joined})${tail}`) > MAX_WIDTH;
}

function width(line: string): number {
  return [...line].length;
}

/** Digits in groups of three (`6_291_456`), as clippy's `unreadable_literal` wants from five digits on. */
function groupDigits(digits: string, fromLeft = false): string {
  if (digits.length < 5) return digits;
  const groups: string[] = [];
  if (fromLeft) {
    for (let i = 0; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  } else {
    for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  }
  return groups.join("_");
}

/** A Rust integer literal from the model's text of a whole number. */
export function intLiteral(text: string): string {
  const match = /^(-?)(\d+)$/.exec(text);
  if (!match) throw new Error(`not a whole number for a Rust integer literal: ${text}`);
  return `${match[1]}${groupDigits(match[2]!)}`;
}

/** A Rust f64 literal from the model's text of a number (always with a point or an exponent). */
export function floatLiteral(text: string): string {
  const n = Number(text);
  if (Number.isNaN(n)) return "f64::NAN";
  if (!Number.isFinite(n)) return n > 0 ? "f64::INFINITY" : "f64::NEG_INFINITY";
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(n));
  if (!match) throw new Error(`not a number for a Rust float literal: ${text}`);
  const [, sign, whole, fraction, exponent] = match;
  const exp = exponent === undefined ? "" : `e${exponent.replace(/^\+/, "")}`;
  return `${sign}${groupDigits(whole!)}.${groupDigits(fraction ?? "0", true)}${exp}`;
}

function envField(e: EnvModel) {
  const [rustType, reader] = e.isString ? ["String", "env_string"] : e.isInteger ? ["i64", "env_integer"] : ["f64", "env_number"];
  const fallback = e.hasDefault ? e.default : e.isString ? "" : "0";
  const literal = e.isString ? rustLiteral(fallback) : e.isInteger ? intLiteral(fallback) : floatLiteral(fallback);
  // Function::from_env's struct literal is indented by 12 spaces.
  const wrap = breaksCall(12, `${e.id}: ${reader}`, [rustLiteral(e.name), literal], ",");
  return { ...e, rustType, reader, literal, wrap };
}

function headerField(h: HeaderModel) {
  // Runtime::next's statements are indented by 8 spaces.
  const target = `context.${h.id}${h.secret ? ".0" : ""}`;
  const wrap = breaksCall(8, "replace", [`&mut ${target}`, `client.header(${rustLiteral(h.name)})`], ";");
  return { ...h, target, wrap };
}

/** A `Duration` of whole milliseconds, in seconds when that is exact (clippy's `duration_suboptimal_units`). */
function duration(ms: number): string {
  return ms % 1000 === 0 ? `Duration::from_secs(${intLiteral(String(ms / 1000))})` : `Duration::from_millis(${intLiteral(String(ms))})`;
}

/** `const NAME: &str = "value";`, broken after `=` as rustfmt does when the line is too long. */
function strConst(name: unknown, value: unknown): string {
  const line = `const ${String(name)}: &str = ${rustLiteral(value)};`;
  return width(line) > MAX_WIDTH ? `const ${String(name)}: &str =\n    ${rustLiteral(value)};` : line;
}

// Strict and reserved keywords, which a field needs as a raw identifier (`r#type`).
const KEYWORDS = new Set(
  ("as break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref " +
    "return static struct super trait true type unsafe use where while async await dyn abstract become box do " +
    "final macro override priv typeof unsized virtual yield try gen").split(" "),
);

/** A struct field from a JSON key: snake_case, a raw identifier where it is a keyword. */
export function rustField(key: string): string {
  const id = snake(key);
  return KEYWORDS.has(id) ? `r#${id}` : id;
}

export const rust: Target = {
  lang: "rust",
  naming: { field: snake, type: (name) => name, eventField: rustField },
  helpers: { str: rustLiteral, strConst },
  files: [
    { template: "fgruntime.rs.hbs", path: "src/fgruntime.rs", owner: "generated" },
    { template: "main.rs.hbs", path: "src/main.rs", owner: "user" },
    { template: "Cargo.toml.hbs", path: "Cargo.toml", owner: "user" },
    { template: "Cargo.lock.hbs", path: "Cargo.lock", owner: "user" },
    { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
    { template: "README.md.hbs", path: "README.md", owner: "generated" },
  ],
  decorate(model: Model) {
    return {
      env: model.env.map(envField),
      headers: model.headers.map(headerField),
      hasInteger: model.env.some((e) => e.isInteger),
      hasNumber: model.env.some((e) => e.isNumber),
      backoffInitial: duration(model.backoff.initialMs),
      backoffMax: duration(model.backoff.maxMs),
      maxResponseBytesLiteral: intLiteral(String(model.maxResponseBytes)),
    };
  },
};
