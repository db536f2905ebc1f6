import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { UserError } from "../errors.js";
import type { Spec } from "../spec.js";

/**
 * Values for FunctionGraph's own variables when the user gives none: placeholders of the right
 * shape, so that a handler reading them sees something plausible. The timeout variable keeps the
 * spec's default; any other variable gets the spec's default, else "" (strings) or 0 (numbers).
 */
function placeholders(dir: string): Record<string, string> {
  return {
    RUNTIME_PROJECT_ID: "0123456789abcdef0123456789abcdef",
    RUNTIME_FUNC_NAME: basename(resolve(dir)),
    RUNTIME_FUNC_VERSION: "latest",
    RUNTIME_PACKAGE: "default",
    RUNTIME_HANDLER: "bootstrap",
    RUNTIME_USERDATA: "{}",
    RUNTIME_CPU: "0.3",
    RUNTIME_MEMORY: "128",
    RUNTIME_CODE_ROOT: resolve(dir),
  };
}

/** The spec's variables with their emulated values, in spec order. */
export function defaultEnv(spec: Spec, dir: string): Record<string, string> {
  const known = placeholders(dir);
  const out: Record<string, string> = {};
  for (const e of spec.env) {
    const placeholder = e.timeout ? undefined : known[e.name];
    out[e.name] = placeholder ?? (e.default !== undefined ? String(e.default) : e.type === "string" ? "" : "0");
  }
  return out;
}

/** Variables of the emulator's own environment that the bootstrap needs to find its tools. */
const PASSED_THROUGH = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "PYENV_ROOT", "RUSTUP_HOME", "CARGO_HOME"];

/**
 * The bootstrap's environment: a few of the emulator's own variables (PATH, HOME, …), then the
 * spec's variables (placeholders), then the env file, then `--env` flags; later ones win.
 */
export function buildEnv(spec: Spec, dir: string, envFile: string | undefined, flags: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const v = process.env[name];
    if (v !== undefined) env[name] = v;
  }
  Object.assign(env, defaultEnv(spec, dir));
  if (envFile !== undefined) Object.assign(env, readEnvFile(envFile));
  for (const flag of flags) {
    const [name, value] = splitAssignment(flag, "--env");
    env[name] = value;
  }
  return env;
}

/** `NAME=VALUE` → [NAME, VALUE]. */
export function splitAssignment(text: string, what: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UserError(`${what} ${text}: expected NAME=VALUE`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/**
 * Reads a dotenv-style file: `NAME=VALUE` lines, `#` comments and blank lines ignored, an
 * optional `export ` prefix, a value optionally in single or double quotes (taken literally).
 */
export function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UserError(`--env-file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new UserError(`--env-file ${file}:${i + 1}: expected NAME=VALUE`);
    let value = m[2]!;
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    out[m[1]!] = value;
  });
  return out;
}

/** The function's timeout in milliseconds, from the spec's timeout variable as the bootstrap will see it. */
export function timeoutMs(spec: Spec, env: Record<string, string>): number {
  const variable = spec.env.find((e) => e.timeout)!;
  const raw = env[variable.name];
  const seconds = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number(variable.default);
  return seconds * 1000;
}

/**
 * Values for the spec's non-ID headers. Known FunctionGraph headers get emulated values (the
 * invoke type `sync`); credentials are sent only when given with `--header`.
 */
export function buildHeaders(spec: Spec, flags: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const byLower = new Map(spec.headers.map((h) => [h.name.toLowerCase(), h]));
  if (byLower.has("x-cff-invoke-type")) out[byLower.get("x-cff-invoke-type")!.name] = "sync";
  for (const flag of flags) {
    const [name, value] = splitAssignment(flag, "--header");
    const h = byLower.get(name.toLowerCase());
    if (!h) throw new UserError(`--header ${name}: not a header of the spec (${spec.headers.map((x) => x.name).join(", ")})`);
    if (h.requestId) throw new UserError(`--header ${name}: the emulator sets the request ID itself`);
    out[h.name] = value;
  }
  return out;
}
