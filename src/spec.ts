import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { SpecError } from "./errors.js";
import { snake } from "./target.js";

import { DEFAULT_SPEC_PATH } from "./paths.js";

export { DEFAULT_SPEC_PATH };

// Everything below that reaches generated code is restricted to characters that are inert in all
// five target languages (string literals, identifiers, comments, shell words), so no spec can
// inject code. Escaping helpers in each target are the second line of defence.
const HEADER_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;
const FIELD = /^[a-z][a-zA-Z0-9]*$/;
const ERROR_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
const PATH_SEGMENT = "[A-Za-z0-9._~-]+";
const PLAIN_PATH = new RegExp(`^(/${PATH_SEGMENT})+$`);
const ID_PATH = new RegExp(`^(/${PATH_SEGMENT})*/\\{requestId\\}(/${PATH_SEGMENT})*$`);
const TEXT = /^[^\u0000-\u001f\u007f`$\\]*$/;

// Field names become identifiers (Go, Rust, Python, JS) and shell variable names; these are the
// keywords of the snake_case languages plus the names the context already uses.
const RESERVED_FIELDS = new Set([
  // Python
  "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
  "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not",
  "or", "pass", "raise", "return", "try", "while", "with", "yield", "none", "true", "false",
  // Rust
  "abstract", "become", "box", "const", "crate", "do", "dyn", "enum", "extern", "final", "fn", "impl",
  "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "self",
  "static", "struct", "super", "trait", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual",
  "where", "gen",
  // fields the generated context defines itself
  "deadline", "headers", "env", "event", "context", "remainingTime", "remainingTimeMs", "logger",
]);

const text = () =>
  z.string().min(1, "must not be empty").max(200, "must be at most 200 characters").regex(TEXT, "must be one line without control characters, backslashes, backticks or $");

const endpoint = (pathRe: RegExp, hint: string) =>
  z.strictObject({
    method: z.enum(["GET", "POST"], { error: "method must be GET or POST" }),
    path: z.string().regex(pathRe, hint),
  });

const field = z
  .string()
  .regex(FIELD, "must be lowerCamelCase letters and digits, e.g. functionName")
  .refine((f) => !RESERVED_FIELDS.has(f) && !RESERVED_FIELDS.has(snake(f)), {
    message: "is a reserved word in a target language or a name the context already uses; pick another",
  });

const header = z.strictObject({
  name: z.string().regex(HEADER_NAME, "must be an HTTP header name: letters, digits and '-', starting with a letter"),
  field,
  description: text(),
  secret: z.boolean().optional().default(false),
  requestId: z.boolean().optional().default(false),
});

const envVar = z.strictObject({
  name: z.string().regex(ENV_NAME, "must be an environment variable name: A-Z, 0-9 and '_', starting with a letter"),
  field,
  type: z.enum(["string", "integer", "number"], { error: "type must be string, integer or number" }),
  description: text(),
  default: z.union([z.string().regex(TEXT, "must be one line without special characters"), z.number()]).optional(),
  timeout: z.boolean().optional().default(false),
});

const specSchema = z.strictObject({
  name: text(),
  apiAddressEnv: z.string().regex(ENV_NAME, "must be an environment variable name: A-Z, 0-9 and '_'"),
  endpoints: z.strictObject({
    next: endpoint(PLAIN_PATH, "must be an absolute path of plain segments, e.g. /v1/runtime/invocation/request"),
    response: endpoint(ID_PATH, "must be an absolute path with exactly one {requestId} segment"),
    error: endpoint(ID_PATH, "must be an absolute path with exactly one {requestId} segment"),
  }),
  headers: z.array(header).min(1, "must list at least the request ID header"),
  env: z.array(envVar),
  errors: z.strictObject({
    typeField: z.string().regex(FIELD, "must be a lowerCamelCase JSON key"),
    messageField: z.string().regex(FIELD, "must be a lowerCamelCase JSON key"),
    types: z.strictObject({
      handler: z.string().regex(ERROR_TYPE, "must be letters, digits and . _ : -"),
      panic: z.string().regex(ERROR_TYPE, "must be letters, digits and . _ : -"),
      responseTooLarge: z.string().regex(ERROR_TYPE, "must be letters, digits and . _ : -"),
    }),
  }),
  limits: z.strictObject({
    maxResponseBytes: z.number().int("must be a whole number of bytes").positive("must be positive").max(2 ** 31 - 1),
  }),
});

export type Spec = z.output<typeof specSchema>;
export type SpecHeader = Spec["headers"][number];
export type SpecEnv = Spec["env"][number];


/** Renders a zod issue path the way users read it: `env[3].name`. */
function place(path: PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || "(top level)";
}

/** Rules that span several entries, which a per-field schema cannot express. */
function crossChecks(spec: Spec): string[] {
  const problems: string[] = [];
  const dupes = (items: { name: string; field: string }[], list: string, caseless: boolean) => {
    const names = new Map<string, number>();
    const fields = new Map<string, number>();
    items.forEach((item, i) => {
      const key = caseless ? item.name.toLowerCase() : item.name;
      const seen = names.get(key);
      if (seen !== undefined) problems.push(`${list}[${i}].name: ${item.name} repeats ${list}[${seen}].name`);
      else names.set(key, i);
      const seenField = fields.get(snake(item.field));
      if (seenField !== undefined) problems.push(`${list}[${i}].field: ${item.field} repeats ${list}[${seenField}].field`);
      else fields.set(snake(item.field), i);
    });
  };
  dupes(spec.headers, "headers", true);
  dupes(spec.env, "env", false);

  const ids = spec.headers.filter((h) => h.requestId);
  if (ids.length !== 1) problems.push(`headers: exactly one header needs requestId: true (found ${ids.length})`);
  spec.headers.forEach((h, i) => {
    if (h.requestId && h.secret) problems.push(`headers[${i}].secret: the request ID header cannot be a secret`);
  });
  const timeouts = spec.env.filter((e) => e.timeout);
  if (timeouts.length !== 1) problems.push(`env: exactly one variable needs timeout: true (found ${timeouts.length})`);
  spec.env.forEach((e, i) => {
    if (e.timeout && e.type !== "integer") problems.push(`env[${i}].type: the timeout variable must be an integer (whole seconds)`);
    if (e.timeout && e.default === undefined) problems.push(`env[${i}].default: the timeout variable needs a default`);
    if (e.default !== undefined && e.type !== "string" && typeof e.default !== "number")
      problems.push(`env[${i}].default: must be a number for a ${e.type} variable`);
    if (e.type === "integer" && typeof e.default === "number" && !Number.isInteger(e.default))
      problems.push(`env[${i}].default: must be a whole number for an integer variable`);
    if (e.name === spec.apiAddressEnv) problems.push(`env[${i}].name: ${e.name} is already the apiAddressEnv`);
  });
  const headerFields = new Set(spec.headers.map((h) => snake(h.field)));
  spec.env.forEach((e, i) => {
    if (headerFields.has(snake(e.field))) problems.push(`env[${i}].field: ${e.field} is already a header's field`);
  });
  if (spec.errors.typeField === spec.errors.messageField)
    problems.push("errors.messageField: must differ from errors.typeField");
  if (spec.endpoints.response.path === spec.endpoints.error.path)
    problems.push("endpoints.error.path: must differ from endpoints.response.path");
  return problems;
}

/** Validates parsed spec data; throws SpecError listing every problem with its place. */
export function validateSpec(data: unknown, file: string): Spec {
  const result = specSchema.safeParse(data);
  if (!result.success) {
    throw new SpecError(
      file,
      result.error.issues.map((issue) => `${place(issue.path)}: ${issue.message}`),
    );
  }
  const problems = crossChecks(result.data);
  if (problems.length > 0) throw new SpecError(file, problems);
  return result.data;
}

/** Parses spec text as JSON (by extension) or YAML (otherwise; YAML is a superset of JSON). */
export function parseSpec(source: string, file: string): Spec {
  let data: unknown;
  try {
    data = extname(file).toLowerCase() === ".json" ? JSON.parse(source) : parseYaml(source, { prettyErrors: true });
  } catch (err) {
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new SpecError(file, [`cannot parse: ${reason}`]);
  }
  return validateSpec(data, file);
}

function readSpecSource(file: string | undefined): { source: string; file: string } {
  const path = file ?? DEFAULT_SPEC_PATH;
  try {
    return { source: readFileSync(path, "utf8"), file: file ?? "(embedded spec)" };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SpecError(path, [`cannot read the spec (${code ?? "error"}); check the --spec path`]);
  }
}

export function loadSpec(file?: string): { spec: Spec; source: string } {
  const { source, file: name } = readSpecSource(file);
  return { spec: parseSpec(source, name), source };
}
