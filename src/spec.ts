import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { SpecError } from "./errors.js";
import { snake } from "./names.js";

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

// The name of a built-in runtime's context getter, e.g. getRequestID.
const getter = z.string().regex(/^get[A-Z][A-Za-z0-9]*$/, "must be a getter name such as getRequestID").optional();

const header = z.strictObject({
  name: z.string().regex(HEADER_NAME, "must be an HTTP header name: letters, digits and '-', starting with a letter"),
  field,
  getter,
  description: text(),
  secret: z.boolean().optional().default(false),
  requestId: z.boolean().optional().default(false),
});

const envVar = z.strictObject({
  name: z.string().regex(ENV_NAME, "must be an environment variable name: A-Z, 0-9 and '_', starting with a letter"),
  field,
  getter,
  type: z.enum(["string", "integer", "number"], { error: "type must be string, integer or number" }),
  description: text(),
  default: z.union([z.string().regex(TEXT, "must be one line without special characters"), z.number()]).optional(),
  timeout: z.boolean().optional().default(false),
  userData: z.boolean().optional().default(false),
  entryPoint: z.boolean().optional().default(false),
  logFormat: z.boolean().optional().default(false),
});

// Event schemas. JSON keys become identifiers in every language (after each one's spelling
// rules), so they are held to letters, digits and '_'; type names to PascalCase.
const JSON_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;
const TRIGGER = /^[a-z][a-z0-9-]*$/;
export const SCALAR_TYPES = ["string", "integer", "number", "boolean", "map", "json"] as const;
export const REQUEST_ROLES = ["method", "path", "query", "body", "base64"] as const;
export const RESPONSE_ROLES = ["status", "headers", "body", "base64"] as const;
/** Roles an APIG request may give (the local API Gateway fills them), and its context type's. */
export const OPTIONAL_REQUEST_ROLES = ["headers", "pathParameters", "context"] as const;
export const CONTEXT_ROLES = ["requestId", "sourceIp", "stage", "apiId"] as const;
// Python keywords cannot be TypedDict keys in class syntax; the others stay usable everywhere.
const PY_KEYWORDS = new Set(["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"]);

const typeName = () => z.string().regex(TYPE_NAME, "must be a PascalCase type name, e.g. ObsRecord");

const eventField = z.strictObject({
  name: z
    .string()
    .regex(JSON_KEY, "must be a JSON key of letters, digits and '_', starting with a letter")
    .refine((k) => !PY_KEYWORDS.has(k), { message: "is a Python keyword, which a TypedDict cannot declare; pick another" }),
  type: z.string().refine((t) => (SCALAR_TYPES as readonly string[]).includes(t) || TYPE_NAME.test(t), {
    message: `must be ${SCALAR_TYPES.join(", ")} or the name of a type`,
  }),
  list: z.boolean().optional().default(false),
  optional: z.boolean().optional().default(false),
  role: z.string().optional(),
  decode: z
    .strictObject({
      base64: z.boolean().optional().default(false),
      base64When: z.string().regex(JSON_KEY, "must name a boolean field of the same type").optional(),
      json: typeName().optional(),
      list: z.boolean().optional().default(false),
    })
    .optional(),
  description: text(),
});

const eventType = z.strictObject({
  trigger: z.string().regex(TRIGGER, "must be lower-case letters, digits and '-', e.g. async-failure").optional(),
  description: text(),
  fields: z.array(eventField).min(1, "must list at least one field"),
});

const events = z.strictObject({
  apig: z
    .strictObject({
      request: typeName(),
      response: typeName(),
      maxBytes: z.number().int("must be a whole number of bytes").positive("must be positive").max(2 ** 31 - 1),
    })
    .optional(),
  types: z.record(z.string().regex(TYPE_NAME, "type names must be PascalCase, e.g. ObsRecord"), eventType).optional().default({}),
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
    stackTraceField: z.string().regex(FIELD, "must be a lowerCamelCase JSON key").optional(),
    types: z.strictObject({
      handler: z.string().regex(ERROR_TYPE, "must be letters, digits and . _ : -"),
      panic: z.string().regex(ERROR_TYPE, "must be letters, digits and . _ : -"),
      responseTooLarge: z.string().regex(ERROR_TYPE, "must be letters, digits and . _ : -"),
      // Defaults keep a spec written before these limits existed valid.
      init: z.string().regex(ERROR_TYPE, "must be letters, digits and . _ : -").optional().default("Runtime.InitError"),
    }),
  }),
  limits: z.strictObject({
    maxResponseBytes: z.number().int("must be a whole number of bytes").positive("must be positive").max(2 ** 31 - 1),
    maxStackFrames: z.number().int("must be a whole number").min(1, "must be at least 1").max(1000).optional().default(32),
    maxLogLineBytes: z.number().int("must be a whole number of bytes").min(1024, "must be at least 1024").max(2 ** 31 - 1).optional().default(90000),
    shutdownGraceMs: z.number().int("must be a whole number of milliseconds").min(0, "must not be negative").max(600000).optional().default(2000),
  }),
  events: events.optional(),
});

type ParsedSpec = z.output<typeof specSchema>;
type ParsedEvents = NonNullable<ParsedSpec["events"]>;
/** The events after a user's spec is merged over the embedded one: the APIG roles always there. */
export interface SpecEvents {
  apig: NonNullable<ParsedEvents["apig"]>;
  types: ParsedEvents["types"];
}
export type Spec = Omit<ParsedSpec, "events"> & { events: SpecEvents };
export type SpecHeader = Spec["headers"][number];
export type SpecEnv = Spec["env"][number];
export type SpecEventType = SpecEvents["types"][string];
export type SpecEventField = SpecEventType["fields"][number];


/** Renders a zod issue path the way users read it: `env[3].name`. */
function place(path: PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || "(top level)";
}

// "type": the field holds one value of an event type (not a list).
const ROLE_TYPES: Record<string, string> = {
  method: "string", path: "string", query: "map", body: "string", base64: "boolean", status: "integer", headers: "map",
  pathParameters: "map", context: "type", requestId: "string", sourceIp: "string", stage: "string", apiId: "string",
};

/** The event rules that span types: references resolve, roles are complete, names stay distinct. */
function eventChecks(events: SpecEvents): string[] {
  const problems: string[] = [];
  const types = events.types;
  const snakeTypes = new Map<string, string>();
  const triggers = new Map<string, string>();
  for (const [name, type] of Object.entries(types)) {
    const at = `events.types.${name}`;
    const other = snakeTypes.get(snake(name));
    if (other) problems.push(`${at}: ${name} and ${other} spell the same in snake_case; rename one`);
    else snakeTypes.set(snake(name), name);
    if (type.trigger) {
      const seen = triggers.get(type.trigger);
      if (seen) problems.push(`${at}.trigger: ${type.trigger} is already the trigger of ${seen}`);
      else triggers.set(type.trigger, name);
    }
    const keys = new Map<string, string>();
    type.fields.forEach((f, i) => {
      const fat = `${at}.fields[${i}]`;
      const seen = keys.get(snake(f.name));
      if (seen !== undefined) problems.push(`${fat}.name: ${f.name} and ${seen} spell the same in snake_case`);
      else keys.set(snake(f.name), f.name);
      if (!(SCALAR_TYPES as readonly string[]).includes(f.type) && !types[f.type])
        problems.push(`${fat}.type: ${f.type} is not a type of events.types`);
      if (f.decode) {
        const d = f.decode;
        if (f.type !== "string" || f.list) problems.push(`${fat}.decode: only a string field can be decoded`);
        if (!d.base64 && !d.base64When && !d.json) problems.push(`${fat}.decode: needs base64, base64When or json`);
        if (d.base64 && d.base64When) problems.push(`${fat}.decode: base64 and base64When exclude each other`);
        if (d.list && !d.json) problems.push(`${fat}.decode.list: goes with json`);
        if (d.json && !types[d.json]) problems.push(`${fat}.decode.json: ${d.json} is not a type of events.types`);
        if (d.base64When) {
          const flag = type.fields.find((g) => g.name === d.base64When);
          if (!flag || flag.type !== "boolean" || flag.list)
            problems.push(`${fat}.decode.base64When: ${d.base64When} is not a boolean field of ${name}`);
        }
      }
    });
    const cycle = findCycle(name, types);
    if (cycle) problems.push(`${at}: contains itself (${cycle.join(" > ")}); only a list may hold its own type`);
  }
  /** Each required role on exactly one field, each optional one on at most one, of the right type. */
  const roleCheck = (name: string, at: string, required: readonly string[], optional: readonly string[] = []) => {
    const type = types[name];
    if (!type) return problems.push(`${at}: ${name} is not a type of events.types`);
    for (const role of [...required, ...optional]) {
      const holders = type.fields.filter((f) => f.role === role);
      const want = ROLE_TYPES[role]!;
      if (holders.length > 1 || (holders.length === 0 && required.includes(role)))
        problems.push(`events.types.${name}: needs ${required.includes(role) ? "exactly" : "at most"} one field with role: ${role} (found ${holders.length})`);
      else if (holders[0] && (holders[0].list || (want === "type" ? !types[holders[0].type] : holders[0].type !== want)))
        problems.push(`events.types.${name}: the field with role ${role} must be of ${want === "type" ? "an event type" : `type ${want}`}`);
    }
    const all = [...required, ...optional];
    type.fields.forEach((f, i) => {
      if (f.role !== undefined && !all.includes(f.role)) problems.push(`events.types.${name}.fields[${i}].role: must be one of ${all.join(", ")}`);
    });
    return undefined;
  };
  roleCheck(events.apig.request, "events.apig.request", REQUEST_ROLES, OPTIONAL_REQUEST_ROLES);
  roleCheck(events.apig.response, "events.apig.response", RESPONSE_ROLES);
  const contextType = types[events.apig.request]?.fields.find((f) => f.role === "context")?.type;
  if (contextType && types[contextType]) roleCheck(contextType, "events.apig.request context", [], CONTEXT_ROLES);
  const request = types[events.apig.request];
  const body = request?.fields.find((f) => f.role === "body");
  const flag = request?.fields.find((f) => f.role === "base64");
  if (body && flag && body.decode?.base64When !== flag.name)
    problems.push(`events.types.${events.apig.request}: the body field needs decode: { base64When: ${flag.name} } (the scaffolds decode it)`);
  for (const [name, type] of Object.entries(types)) {
    if (name === events.apig.request || name === events.apig.response || name === contextType) continue;
    type.fields.forEach((f, i) => {
      if (f.role !== undefined) problems.push(`events.types.${name}.fields[${i}].role: roles belong to the events.apig types (and the request's context) only`);
    });
  }
  return problems;
}

/** A path from a type back to itself through fields that are not lists (a value cannot hold itself). */
function findCycle(start: string, types: SpecEvents["types"]): string[] | undefined {
  const walk = (name: string, path: string[]): string[] | undefined => {
    for (const f of types[name]?.fields ?? []) {
      if (f.list || !types[f.type]) continue;
      if (f.type === start) return [...path, f.type];
      if (!path.includes(f.type)) {
        const found = walk(f.type, [...path, f.type]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(start, [start]);
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
  const stack = spec.errors.stackTraceField;
  if (stack !== undefined && (stack === spec.errors.typeField || stack === spec.errors.messageField))
    problems.push("errors.stackTraceField: must differ from errors.typeField and errors.messageField");
  const errorTypes = Object.entries(spec.errors.types);
  errorTypes.forEach(([k, v], i) => {
    const other = errorTypes.slice(0, i).find(([, w]) => w === v);
    if (other) problems.push(`errors.types.${k}: ${v} is already errors.types.${other[0]}: every failure needs its own type`);
  });
  if (spec.endpoints.response.path === spec.endpoints.error.path)
    problems.push("endpoints.error.path: must differ from endpoints.response.path");
  const getters = new Map<string, string>();
  for (const [list, items] of [["headers", spec.headers], ["env", spec.env]] as const) {
    items.forEach((item, i) => {
      if (!item.getter) return;
      const seen = getters.get(item.getter);
      if (seen) problems.push(`${list}[${i}].getter: ${item.getter} is already the getter of ${seen}`);
      else getters.set(item.getter, `${list}[${i}]`);
    });
  }
  const entryPoints = spec.env.filter((e) => e.entryPoint);
  if (entryPoints.length > 1) problems.push(`env: at most one variable can be the entryPoint (found ${entryPoints.length})`);
  spec.env.forEach((e, i) => {
    if (e.entryPoint && e.type !== "string") problems.push(`env[${i}].type: the entryPoint variable names a handler, so it must be a string`);
  });
  const userData = spec.env.filter((e) => e.userData);
  if (userData.length > 1) problems.push(`env: at most one variable can be userData (found ${userData.length})`);
  spec.env.forEach((e, i) => {
    if (e.userData && e.type !== "string") problems.push(`env[${i}].type: the userData variable holds JSON text, so it must be a string`);
  });
  const logFormats = spec.env.filter((e) => e.logFormat);
  if (logFormats.length > 1) problems.push(`env: at most one variable can be the logFormat (found ${logFormats.length})`);
  spec.env.forEach((e, i) => {
    if (e.logFormat && (e.type !== "string" || (e.default !== undefined && e.default !== "text" && e.default !== "json")))
      problems.push(`env[${i}]: the logFormat variable must be a string whose default is text or json`);
  });
  problems.push(...eventChecks(spec.events));
  return problems;
}

/**
 * Validates parsed spec data; throws SpecError listing every problem with its place. `base` is
 * the embedded spec's events: a user's types add to them or replace those of the same name.
 */
export function validateSpec(data: unknown, file: string, base?: SpecEvents): Spec {
  const result = specSchema.safeParse(data);
  if (!result.success) {
    throw new SpecError(
      file,
      result.error.issues.map((issue) => `${place(issue.path)}: ${issue.message}`),
    );
  }
  const { events: own, ...rest } = result.data;
  const apig = own?.apig ?? base?.apig;
  if (!apig) throw new SpecError(file, ["events.apig: missing (name the APIG request and response types)"]);
  const spec: Spec = { ...rest, events: { apig, types: { ...base?.types, ...own?.types } } };
  const problems = crossChecks(spec);
  if (problems.length > 0) throw new SpecError(file, problems);
  return spec;
}

/** Parses spec text as JSON (by extension) or YAML (otherwise; YAML is a superset of JSON). */
export function parseSpec(source: string, file: string, base?: SpecEvents): Spec {
  let data: unknown;
  try {
    data = extname(file).toLowerCase() === ".json" ? JSON.parse(source) : parseYaml(source, { prettyErrors: true });
  } catch (err) {
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new SpecError(file, [`cannot parse: ${reason}`]);
  }
  return validateSpec(data, file, base);
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
  // A user's spec builds on the embedded spec's events (see validateSpec).
  const base = file === undefined ? undefined : loadSpec().spec.events;
  return { spec: parseSpec(source, name, base), source };
}
