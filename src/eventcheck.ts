import type { SpecEventField, SpecEvents } from "./spec.js";

type Types = SpecEvents["types"];

export interface CheckOptions {
  /**
   * strict (samples, generated events): every non-optional field present, no `null` outside `json`
   * fields, no key the type does not declare. lenient (what a runtime decodes, e.g. a function's
   * APIG response): a missing or null field is its zero value and unknown keys are ignored, as the
   * generated decoders do.
   */
  mode: "strict" | "lenient";
}

/** The JSON value's kind in words, for messages: `a string ("200")`, `an object`. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  switch (typeof v) {
    case "string": {
      const shown = v.length > 40 ? `${v.slice(0, 37)}...` : v;
      return `a string (${JSON.stringify(shown)})`;
    }
    case "number":
      return Number.isInteger(v) ? `the integer ${v}` : `the number ${v}`;
    case "boolean":
      return `the boolean ${v}`;
    case "object":
      return "an object";
    default:
      return typeof v;
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Why `text` is not standard base64 (RFC 4648 alphabet, padding optional), or undefined when it
 * is. Node's own decoder skips bad characters silently; a runtime's decoder does not.
 */
export function base64Problem(text: string): string | undefined {
  const m = /^([A-Za-z0-9+/]*)(=*)$/.exec(text);
  if (m) {
    const core = m[1]!.length % 4;
    const pad = m[2]!.length;
    if (core !== 1 && (pad === 0 || (core !== 0 && pad === 4 - core))) return undefined;
    return `is not valid base64: its length (${text.length}) does not fit base64 (padding missing or extra characters)`;
  }
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  if (bad) return `is not valid base64: ${JSON.stringify(bad[0])} at offset ${bad.index} is not a base64 character`;
  return `is not valid base64: "=" at offset ${text.indexOf("=")} is padding in the middle`;
}

function scalarProblem(type: string, v: unknown): string | undefined {
  switch (type) {
    case "string":
      return typeof v === "string" ? undefined : `must be a string, got ${describeValue(v)}`;
    case "integer":
      return typeof v === "number" && Number.isSafeInteger(v) ? undefined : `must be an integer, got ${describeValue(v)}`;
    case "number":
      return typeof v === "number" && Number.isFinite(v) ? undefined : `must be a number, got ${describeValue(v)}`;
    case "boolean":
      return typeof v === "boolean" ? undefined : `must be a boolean (true or false), got ${describeValue(v)}`;
    case "json":
      return undefined;
    case "map":
      return undefined; // checked by the caller, which names the bad key
    default:
      return undefined;
  }
}

/**
 * Checks a JSON value against an event type of the spec, the way the generated decoders read it,
 * decode helpers included (base64, base64When, json: the decoded text is checked as its type).
 * Returns one `place: problem` line per problem, [] when the value fits.
 */
export function checkEvent(types: Types, typeName: string, value: unknown, options: CheckOptions = { mode: "strict" }): string[] {
  const problems: string[] = [];
  checkType(types, typeName, value, "", options, problems);
  return problems;
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

function checkType(types: Types, typeName: string, value: unknown, path: string, options: CheckOptions, problems: string[]): void {
  const type = types[typeName];
  if (!type) {
    problems.push(`${path || "(top level)"}: ${typeName} is not a type of events.types`);
    return;
  }
  if (!isPlainObject(value)) {
    problems.push(`${path || "(top level)"}: must be an object (${typeName}), got ${describeValue(value)}`);
    return;
  }
  const strict = options.mode === "strict";
  for (const field of type.fields) {
    const at = join(path, field.name);
    const v = value[field.name];
    if (v === undefined || (v === null && !(strict && field.type === "json" && !field.list))) {
      if (strict && !field.optional) problems.push(`${at}: ${v === null ? "is null" : "is missing"} (${typeName}.${field.name} is ${kindName(field)})`);
      continue;
    }
    if (field.list) {
      if (!Array.isArray(v)) {
        problems.push(`${at}: must be a list of ${field.type}, got ${describeValue(v)}`);
        continue;
      }
      v.forEach((item, i) => checkOne(types, field, item, join(at, i), value, options, problems));
    } else {
      checkOne(types, field, v, at, value, options, problems);
    }
  }
  if (strict) {
    const known = new Set(type.fields.map((f) => f.name));
    for (const key of Object.keys(value)) {
      if (!known.has(key)) problems.push(`${join(path, key)}: ${typeName} has no field ${key} (its fields: ${[...known].join(", ")})`);
    }
  }
}

/** `an integer`, `a list of ObsRecord`: how a field's type reads in a message. */
export function kindName(field: Pick<SpecEventField, "type" | "list">): string {
  const one = ({ string: "a string", integer: "an integer", number: "a number", boolean: "a boolean", map: "an object of strings", json: "any JSON value" } as Record<string, string>)[field.type] ?? `a ${field.type}`;
  return field.list ? `a list of ${field.type}` : one;
}

function checkOne(types: Types, field: SpecEventField, v: unknown, at: string, holder: Record<string, unknown>, options: CheckOptions, problems: string[]): void {
  if (v === null && field.type !== "json") {
    if (options.mode === "strict") problems.push(`${at}: is null (${field.name} is ${kindName({ ...field, list: false })})`);
    return;
  }
  if (types[field.type]) return checkType(types, field.type, v, at, options, problems);
  if (field.type === "map") {
    if (!isPlainObject(v)) return void problems.push(`${at}: must be an object of strings, got ${describeValue(v)}`);
    for (const [k, s] of Object.entries(v)) {
      if (typeof s !== "string" && !(s === null && options.mode === "lenient")) problems.push(`${at}.${k}: must be a string, got ${describeValue(s)}`);
    }
    return;
  }
  const problem = scalarProblem(field.type, v);
  if (problem) return void problems.push(`${at}: ${problem}`);
  const d = field.decode;
  if (!d || typeof v !== "string") return;
  let text = v;
  if (d.base64 || (d.base64When && holder[d.base64When] === true)) {
    const bad = base64Problem(v);
    if (bad) return void problems.push(`${at}: ${bad}`);
    text = Buffer.from(v, "base64").toString("utf8");
  }
  if (!d.json) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return void problems.push(`${at}: its ${d.base64 ? "decoded " : ""}text must be JSON (${d.list ? "a list of " : ""}${d.json}): ${(err as Error).message}`);
  }
  if (d.list) {
    if (!Array.isArray(parsed)) return void problems.push(`${at}: its decoded JSON must be a list of ${d.json}, got ${describeValue(parsed)}`);
    parsed.forEach((item, i) => checkType(types, d.json!, item, `${at}(decoded)[${i}]`, options, problems));
  } else {
    checkType(types, d.json, parsed, `${at}(decoded)`, options, problems);
  }
}
