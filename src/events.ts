import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UserError } from "./errors.js";
import { checkEvent, isPlainObject, kindName } from "./eventcheck.js";
import type { Spec, SpecEventField, SpecEventType, SpecEvents } from "./spec.js";

type Types = SpecEvents["types"];

/** One realistic event per trigger of the embedded spec; they ship with the package (spec/ is in "files"). */
export const SAMPLES_DIR = fileURLToPath(new URL("../spec/samples/", import.meta.url));

export interface TriggerInfo {
  trigger: string;
  /** The spec's name of the event type. */
  type: string;
  description: string;
  /** spec/samples/<trigger>.json exists and fits the type (otherwise the event is built from the schema). */
  sample: boolean;
}

export function triggers(spec: Spec): TriggerInfo[] {
  return Object.entries(spec.events.types)
    .filter(([, t]) => t.trigger)
    .map(([type, t]) => ({ trigger: t.trigger!, type, description: t.description, sample: readSample(spec, t.trigger!, type) !== undefined }));
}

function typeOfTrigger(spec: Spec, trigger: string): string {
  const found = Object.entries(spec.events.types).find(([, t]) => t.trigger === trigger);
  if (!found) {
    const known = triggers(spec).map((t) => t.trigger);
    throw new UserError(`unknown trigger ${trigger}: pick one of ${known.join(", ")} (fg-bootgen event --list describes them)`);
  }
  return found[0];
}

/** The shipped sample of a trigger, when there is one and it fits the spec's type (a user's spec may change the type). */
function readSample(spec: Spec, trigger: string, type: string): unknown {
  const file = `${SAMPLES_DIR}${trigger}.json`;
  if (!existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  return checkEvent(spec.events.types, type, value).length === 0 ? value : undefined;
}

/**
 * A value of the type with every non-optional field at its zero value, lists holding one zero
 * item (so that `--set Records.0.key=...` has something to set), and encoded fields holding a
 * decodable encoding of their zero value (an empty string is not valid JSON).
 */
export function zeroValue(types: Types, typeName: string): Record<string, unknown> {
  const type = types[typeName]!;
  const out: Record<string, unknown> = {};
  for (const f of type.fields) {
    if (f.optional) continue;
    out[f.name] = zeroField(types, f);
  }
  return out;
}

function zeroField(types: Types, f: SpecEventField): unknown {
  if (f.list) return types[f.type] ? [zeroValue(types, f.type)] : [];
  return zeroScalar(types, f);
}

function zeroScalar(types: Types, f: SpecEventField): unknown {
  if (types[f.type]) return zeroValue(types, f.type);
  switch (f.type) {
    case "string": {
      const d = f.decode;
      if (!d?.json) return "";
      const text = JSON.stringify(d.list ? [] : zeroValue(types, d.json));
      return d.base64 ? Buffer.from(text).toString("base64") : text;
    }
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "map":
      return {};
    default:
      return null;
  }
}

/** The trigger's sample (shipped, else built from the schema). */
export function sampleEvent(spec: Spec, trigger: string): Record<string, unknown> {
  const type = typeOfTrigger(spec, trigger);
  const sample = readSample(spec, trigger, type);
  return (sample as Record<string, unknown> | undefined) ?? zeroValue(spec.events.types, type);
}

function fieldNames(type: SpecEventType): string {
  return type.fields.map((f) => f.name).join(", ");
}

/** `a.b.0.c` split on dots (an empty segment is an error). */
function segments(path: string, flag: string): string[] {
  const parts = path.split(".");
  if (parts.some((p) => p === "")) throw new UserError(`${flag}: ${JSON.stringify(path)} is not a field path; write it as a.b.0.c`);
  return parts;
}

/** The text of a `--set` as the JSON value the field's type calls for. */
function typedValue(types: Types, f: SpecEventField, raw: string, flag: string, where: string): unknown {
  const bad = () => new UserError(`${flag}: ${where} is ${kindName({ type: f.type, list: false })}; ${JSON.stringify(raw)} is not one`);
  switch (f.type) {
    case "string":
      return raw;
    case "integer": {
      if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(Number(raw))) throw bad();
      return Number(raw);
    }
    case "number": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) throw bad();
      return n;
    }
    case "boolean":
      if (raw === "true") return true;
      if (raw === "false") return false;
      throw bad();
    case "json":
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
    default: {
      // A whole object (a map, or a type): JSON, checked against the type.
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new UserError(`${flag}: ${where} is ${kindName({ type: f.type, list: false })}: give it as JSON, or set its fields one by one (${where}.FIELD=...)`);
      }
      checkWhole(types, { ...f, list: false }, parsed, flag, where);
      return parsed;
    }
  }
}

function checkWhole(types: Types, f: SpecEventField, value: unknown, flag: string, where: string): void {
  const holder = { type: "Holder", description: "x", fields: [{ ...f, name: "v", optional: false }] } as unknown as SpecEventType;
  const problems = checkEvent({ ...types, "(set)": holder }, "(set)", { v: value });
  if (problems.length > 0) throw new UserError(`${flag}: ${where}: ${problems[0]!.replace(/^v\b/, "the value")}`);
}

/**
 * Sets one field of an event, given as a dotted path of JSON keys (list items by index, map keys
 * after the map's key), the value typed by the schema. Unknown fields are errors that name the
 * known ones.
 */
export function setField(types: Types, typeName: string, root: Record<string, unknown>, path: string, raw: string, flag = `--set ${path}`): void {
  const parts = segments(path, flag);
  let typeNow = typeName;
  let holder: Record<string, unknown> = root;
  let done = "";
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i]!;
    const type = types[typeNow]!;
    const f = type.fields.find((x) => x.name === key);
    if (!f) throw new UserError(`${flag}: ${typeNow} has no field ${key}${done ? ` (at ${done})` : ""}; its fields: ${fieldNames(type)}`);
    const here = done ? `${done}.${key}` : key;
    const rest = parts.slice(i + 1);
    if (f.list) {
      if (rest.length === 0) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          throw new UserError(`${flag}: ${here} is a list of ${f.type}: give it as a JSON array, or set one item (${here}.0...)`);
        }
        checkWhole(types, f, parsed, flag, here);
        holder[key] = parsed;
        return;
      }
      const list = Array.isArray(holder[key]) ? (holder[key] as unknown[]) : (holder[key] = []);
      const index = rest[0]!;
      if (!/^\d+$/.test(index) || Number(index) > list.length)
        throw new UserError(`${flag}: ${here} is a list of ${list.length} item(s): ${index} is not an index of it (0 to ${list.length}, ${list.length} adds one)`);
      const n = Number(index);
      if (n === list.length) list.push(types[f.type] ? zeroValue(types, f.type) : zeroScalar(types, { ...f, list: false }));
      const itemPath = `${here}.${n}`;
      if (rest.length === 1) {
        list[n] = typedValue(types, { ...f, list: false }, raw, flag, itemPath);
        return;
      }
      if (!types[f.type]) throw new UserError(`${flag}: ${itemPath} is ${kindName({ ...f, list: false })}, which has no fields`);
      if (!isPlainObject(list[n])) list[n] = zeroValue(types, f.type);
      holder = list[n] as Record<string, unknown>;
      typeNow = f.type;
      done = itemPath;
      i++;
      continue;
    }
    if (rest.length === 0) {
      holder[key] = typedValue(types, f, raw, flag, here);
      return;
    }
    if (f.type === "map") {
      // A map's keys may hold dots (`headers.x.y`): the rest of the path is the key.
      const map = isPlainObject(holder[key]) ? (holder[key] as Record<string, unknown>) : (holder[key] = {});
      (map as Record<string, unknown>)[rest.join(".")] = raw;
      return;
    }
    if (f.type === "json") {
      let node = isPlainObject(holder[key]) ? (holder[key] as Record<string, unknown>) : (holder[key] = {});
      for (const k of rest.slice(0, -1)) node = isPlainObject(node[k]) ? (node[k] as Record<string, unknown>) : (node[k] = {});
      node[rest[rest.length - 1]!] = typedValue(types, f, raw, flag, path);
      return;
    }
    if (!types[f.type]) throw new UserError(`${flag}: ${here} is ${kindName(f)}, which has no fields`);
    if (!isPlainObject(holder[key])) holder[key] = zeroValue(types, f.type);
    holder = holder[key] as Record<string, unknown>;
    typeNow = f.type;
    done = here;
  }
}

export interface EventOptions {
  spec: Spec;
  trigger?: string;
  list?: boolean;
  set?: string[];
  // apig
  method?: string;
  path?: string;
  /** The body as text, or `@FILE` for a file's bytes. */
  body?: string;
  query?: string[];
  header?: string[];
  // obs
  bucket?: string;
  key?: string;
  // timer
  triggerName?: string;
  userEvent?: string;
  time?: string;
}

/** The field holding an APIG request role (the roles are validated: exactly one each). */
export function roleField(spec: Spec, which: "request" | "response", role: string): SpecEventField {
  const type = spec.events.types[spec.events.apig[which]]!;
  return type.fields.find((f) => f.role === role)!;
}

/** The APIG request's field of an optional role (headers, pathParameters, context), if it has one. */
export function optionalRoleField(spec: Spec, role: string): SpecEventField | undefined {
  return spec.events.types[spec.events.apig.request]!.fields.find((f) => f.role === role);
}

function pair(text: string, flag: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq === 0) throw new UserError(`${flag} ${text}: expected NAME=VALUE`);
  return eq < 0 ? [text, ""] : [text.slice(0, eq), text.slice(eq + 1)];
}

function readBody(body: string): Buffer {
  if (!body.startsWith("@")) return Buffer.from(body);
  try {
    return readFileSync(body.slice(1));
  } catch (err) {
    throw new UserError(`--body ${body}: cannot read ${body.slice(1)} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

const FLAGS_OF: Record<string, (keyof EventOptions)[]> = {
  apig: ["method", "path", "body", "query", "header"],
  obs: ["bucket", "key"],
  timer: ["triggerName", "userEvent", "time"],
};
const FLAG_NAME: Partial<Record<keyof EventOptions, string>> = { triggerName: "--trigger-name", userEvent: "--user-event" };

/** `fg-bootgen event`: the sample event of a trigger with the flags applied, as JSON text (or the list of triggers). */
export function eventText(opts: EventOptions): string {
  const { spec } = opts;
  if (opts.list || opts.trigger === undefined) {
    if (!opts.list) throw new UserError("name a trigger (fg-bootgen event apig), or list them with fg-bootgen event --list");
    const rows = triggers(spec);
    const w = Math.max(...rows.map((r) => r.trigger.length));
    const tw = Math.max(...rows.map((r) => r.type.length));
    return rows.map((r) => `${r.trigger.padEnd(w)}  ${r.type.padEnd(tw)}  ${r.description}${r.sample ? "" : " (built from the schema)"}\n`).join("");
  }
  const trigger = opts.trigger;
  const typeName = typeOfTrigger(spec, trigger);
  const types = spec.events.types;
  const apigTrigger = types[spec.events.apig.request]?.trigger;
  for (const [owner, flags] of Object.entries(FLAGS_OF)) {
    const forTrigger = owner === "apig" ? apigTrigger : owner;
    for (const flag of flags) {
      const v = opts[flag];
      const given = Array.isArray(v) ? v.length > 0 : v !== undefined;
      if (given && trigger !== forTrigger) {
        const name = FLAG_NAME[flag] ?? `--${flag}`;
        throw new UserError(`${name} is for the ${forTrigger} trigger, not ${trigger}; use --set FIELD=VALUE for ${typeName}'s fields (${fieldNames(types[typeName]!)})`);
      }
    }
  }
  const event = structuredClone(sampleEvent(spec, trigger));
  if (trigger === apigTrigger) applyApig(spec, event, opts);
  const set = (path: string, value: string, flag: string) => setField(types, typeName, event, path, value, flag);
  if (trigger === "obs") {
    const records = Array.isArray(event.Records) ? event.Records.length : 1;
    for (let i = 0; i < Math.max(records, 1); i++) {
      if (opts.bucket !== undefined) {
        set(`Records.${i}.s3.bucket.name`, opts.bucket, "--bucket");
        set(`Records.${i}.s3.bucket.arn`, `arn:aws:s3:::${opts.bucket}`, "--bucket");
      }
      if (opts.key !== undefined) set(`Records.${i}.s3.object.key`, opts.key, "--key");
    }
  }
  if (trigger === "timer") {
    if (opts.triggerName !== undefined) set("trigger_name", opts.triggerName, "--trigger-name");
    if (opts.userEvent !== undefined) set("user_event", opts.userEvent, "--user-event");
    if (opts.time !== undefined) set("time", opts.time === "now" ? new Date().toISOString() : opts.time, "--time");
  }
  for (const s of opts.set ?? []) {
    const eq = s.indexOf("=");
    if (eq <= 0) throw new UserError(`--set ${s}: expected FIELD=VALUE, e.g. --set ${types[typeName]!.fields[0]!.name}=...`);
    setField(types, typeName, event, s.slice(0, eq), s.slice(eq + 1), `--set ${s.slice(0, eq)}`);
  }
  const problems = checkEvent(types, typeName, event);
  if (problems.length > 0) throw new UserError(`the event does not fit ${typeName}: ${problems[0]}`);
  return `${JSON.stringify(event, null, 2)}\n`;
}

function applyApig(spec: Spec, event: Record<string, unknown>, opts: EventOptions): void {
  const request = spec.events.types[spec.events.apig.request]!;
  const key = (role: string) => roleField(spec, "request", role).name;
  if (opts.method !== undefined) {
    if (!/^[A-Za-z]+$/.test(opts.method)) throw new UserError(`--method ${opts.method}: expected an HTTP method such as GET or POST`);
    event[key("method")] = opts.method.toUpperCase();
  }
  if (opts.path !== undefined) {
    if (!opts.path.startsWith("/")) throw new UserError(`--path ${opts.path}: a request path starts with /, e.g. --path /orders/42`);
    event[key("path")] = opts.path;
    // The sample's path parameters belong to the sample's path; the API's path template is unknown here.
    const params = optionalRoleField(spec, "pathParameters");
    if (params) event[params.name] = {};
  }
  if (opts.body !== undefined) {
    const bytes = readBody(opts.body);
    const max = spec.events.apig.maxBytes;
    if (bytes.length > max) throw new UserError(`--body: ${bytes.length} bytes is over API Gateway's limit of ${max} bytes (events.apig.maxBytes)`);
    // As API Gateway sends it: always base64, flagged.
    event[key("body")] = bytes.toString("base64");
    event[key("base64")] = true;
  }
  if (opts.query !== undefined && opts.query.length > 0) {
    const q: Record<string, string> = {};
    for (const item of opts.query) {
      const [k, v] = pair(item, "--query");
      q[k] = v;
    }
    event[key("query")] = q;
  }
  if (opts.header !== undefined && opts.header.length > 0) {
    const f = optionalRoleField(spec, "headers");
    if (!f) throw new UserError(`--header: ${spec.events.apig.request} has no headers map; set its fields with --set (${fieldNames(request)})`);
    const h: Record<string, string> = {};
    for (const item of opts.header) {
      const [k, v] = pair(item, "--header");
      h[k.toLowerCase()] = v;
    }
    event[f.name] = h;
  }
}

