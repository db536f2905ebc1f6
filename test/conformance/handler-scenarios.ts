import { expect } from "vitest";
import type { InvocationResult } from "../../src/emulator/api.js";
import type { NormalEntry } from "../../src/emulator/transcript.js";
import { roleField } from "../../src/events.js";
import type { Spec } from "../../src/spec.js";
import { SPEC, conformanceEnv, conformanceHeaders, errorKeysOk, type Session } from "./harness.js";
import type { Scenario } from "./scenarios.js";

/**
 * The handler's side (docs/events-contract.md): the default scaffold as an APIG handler, the
 * JSON handler API, the APIG response builders, the context's getters and logger. Each
 * scenario asserts on what reached the runtime API; transcripts are compared with JSON bodies
 * in a canonical form (sorted keys), since key order and escaping style are each language's own.
 */

const spec = SPEC.default;
const NOT_JSON = "the event is not valid JSON";
const BAD_BASE64 = "the APIG request body is not valid base64";
const NOT_SERIALISABLE = "the handler's result cannot be serialised as JSON";
const NOT_INPUT_TYPE = "the event does not match the handler's input type";

/** The JSON keys of the APIG request and response fields, by role, from the spec. */
export function apigKeys(s: Spec) {
  const req = (role: string) => roleField(s, "request", role).name;
  const res = (role: string) => roleField(s, "response", role).name;
  return {
    method: req("method"),
    path: req("path"),
    query: req("query"),
    body: req("body"),
    base64: req("base64"),
    status: res("status"),
    headers: res("headers"),
    responseBody: res("body"),
    responseBase64: res("base64"),
  };
}
const K = apigKeys(spec);

const isShell = (v: { lang: string }) => v.lang === "shell";

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what} is not JSON: ${text.slice(0, 300)}`);
  }
}

/** An APIG response as API Gateway accepts it: exactly the four keys, of the right types. */
export function expectApigResponse(r: InvocationResult, session: Session, s: Spec = spec) {
  const k = apigKeys(s);
  expect(r.kind, `expected a response, got ${r.kind}: ${r.body.toString().slice(0, 300)}\n${session.tail()}`).toBe("response");
  const res = parse(r.body.toString("utf8"), "the APIG response") as Record<string, unknown>;
  expect(Object.keys(res).sort(), `APIG response keys: ${r.body.toString().slice(0, 300)}`).toEqual(
    [k.status, k.base64, k.headers, k.responseBody].sort(),
  );
  expect(Number.isInteger(res[k.status]), `${k.status} is an integer`).toBe(true);
  expect(typeof res[k.base64], `${k.base64} is a boolean`).toBe("boolean");
  expect(typeof res[k.responseBody], `${k.responseBody} is a string (an object is not a valid APIG response)`).toBe("string");
  const headers = res[k.headers] as Record<string, unknown>;
  expect(typeof headers === "object" && headers !== null && Object.values(headers).every((h) => typeof h === "string"), "headers: strings").toBe(true);
  return {
    status: res[k.status] as number,
    base64: res[k.base64] as boolean,
    headers: headers as Record<string, string>,
    body: res[k.responseBody] as string,
  };
}

function expectJsonEnvelope(r: InvocationResult, session: Session, s: Spec = spec) {
  const res = expectApigResponse(r, session, s);
  expect(res.status).toBe(200);
  expect(res.base64).toBe(false);
  expect(res.headers).toEqual({ "Content-Type": "application/json" });
  return res.body;
}

/** The scaffold's answer to a JSON event that is not an APIG request: its text as the body. */
export function expectScaffoldEcho(r: InvocationResult, event: string, session: Session, s: Spec = spec): void {
  expect(expectJsonEnvelope(r, session, s), "body: the event's text, byte for byte").toBe(event);
}

function expectError(r: InvocationResult, session: Session, message: string, exact: boolean, s: Spec = spec): string {
  expect(r.kind, `expected an error post, got ${r.kind}: ${r.body.toString().slice(0, 300)}\n${session.tail()}`).toBe("error");
  const e = parse(r.body.toString("utf8"), "the error body") as Record<string, unknown>;
  expect(errorKeysOk(Object.keys(e), s), `error body keys ${Object.keys(e).join(", ")}`).toBe(true);
  expect(e[s.errors.typeField]).toBe(s.errors.types.handler);
  const got = String(e[s.errors.messageField]);
  if (exact) expect(got).toBe(message);
  else expect(got.startsWith(message), `message ${JSON.stringify(got)} starts with ${JSON.stringify(message)}`).toBe(true);
  return got;
}

/** A realistic APIG request event; `over` replaces fields (undefined removes one). */
function apigEvent(over: Record<string, unknown>): string {
  const base: Record<string, unknown> = {
    [K.base64]: false,
    [K.method]: "GET",
    [K.path]: "/",
    [K.body]: "",
    pathParameters: {},
    requestContext: { apiId: "api-1", requestId: "apig-req-1", stage: "RELEASE", sourceIp: "203.0.113.7" },
    headers: { "content-type": "application/json", host: "fn.example.com" },
    [K.query]: {},
  };
  const event = { ...base, ...over };
  for (const [key, value] of Object.entries(over)) if (value === undefined) delete event[key];
  return JSON.stringify(event);
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString("base64");
const BINARY = Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x80, 0x41, 0xc3, 0x28, 0x0a, 0xe2, 0x82, 0xac]);

/** APIG requests and what the scaffold must answer in `body` (decoded to text, U+FFFD for bad bytes). */
const APIG_CASES: { name: string; event: string; want: { method: string; path: string; query: Record<string, string>; body: string } }[] = [
  {
    name: "GET with query parameters",
    event: apigEvent({ [K.method]: "GET", [K.path]: "/items", [K.query]: { q: "green tea", page: "2" } }),
    want: { method: "GET", path: "/items", query: { q: "green tea", page: "2" }, body: "" },
  },
  {
    name: "POST JSON, base64 (API Gateway's usual form)",
    event: apigEvent({ [K.method]: "POST", [K.path]: "/orders", [K.base64]: true, [K.body]: b64('{"id":1,"name":"grüße"}') }),
    want: { method: "POST", path: "/orders", query: {}, body: '{"id":1,"name":"grüße"}' },
  },
  {
    name: "POST plain text, not base64",
    event: apigEvent({ [K.method]: "POST", [K.path]: "/notes", [K.body]: 'say "hi" \\ and\nbye\t$HOME `id`' }),
    want: { method: "POST", path: "/notes", query: {}, body: 'say "hi" \\ and\nbye\t$HOME `id`' },
  },
  {
    name: "POST binary",
    event: apigEvent({ [K.method]: "PUT", [K.path]: "/blob", [K.base64]: true, [K.body]: b64(BINARY) }),
    want: { method: "PUT", path: "/blob", query: {}, body: BINARY.toString("utf8") },
  },
  {
    name: "unicode path, query and body",
    event: apigEvent({ [K.method]: "PATCH", [K.path]: "/wörter/日本", [K.query]: { q: "😀 emoji", empty: "" }, [K.base64]: true, [K.body]: b64("שלום 😀 e\u0301") }),
    want: { method: "PATCH", path: "/wörter/日本", query: { q: "😀 emoji", empty: "" }, body: "שלום 😀 e\u0301" },
  },
  {
    name: "no body and null query parameters",
    event: apigEvent({ [K.method]: "DELETE", [K.path]: "/items/7", [K.body]: undefined, [K.query]: null }),
    want: { method: "DELETE", path: "/items/7", query: {}, body: "" },
  },
];

/** Transcripts with every JSON body in a canonical form: sorted keys, and JSON inside `body` strings parsed. */
function canonical(entries: NormalEntry[]): NormalEntry[] {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
    return v;
  };
  const tryParse = (t: string): unknown => {
    try {
      return JSON.parse(t);
    } catch {
      return undefined;
    }
  };
  return entries.map((e) => {
    if (e.type !== "post" || e.kind !== "response" || typeof e.body !== "string") return e;
    const parsed = tryParse(e.body);
    if (parsed === undefined) return e;
    if (parsed && typeof parsed === "object" && typeof (parsed as Record<string, unknown>)[K.responseBody] === "string") {
      const inner = tryParse((parsed as Record<string, string>)[K.responseBody]!);
      if (inner !== undefined) (parsed as Record<string, unknown>)[K.responseBody] = { json: inner };
    }
    // Through JSON text and back, as the golden file stores it (-0 becomes 0 there).
    return { ...e, body: JSON.parse(JSON.stringify(sortKeys(parsed))) as unknown };
  });
}

export const HANDLER_SCENARIOS: Scenario[] = [
  {
    name: "scaffold-apig",
    async run(v, start) {
      const s = await start({ handler: "scaffold" });
      for (const c of APIG_CASES) {
        const body = expectJsonEnvelope(await s.invoke(c.event), s);
        expect(parse(body, `${c.name}: the body`), `${v.id}: ${c.name}`).toEqual(c.want);
      }
      const bad = apigEvent({ [K.method]: "POST", [K.base64]: true, [K.body]: "!!! not base64 !!!" });
      expectError(await s.invoke(bad), s, BAD_BASE64, true);
      expect(parse(expectJsonEnvelope(await s.invoke(APIG_CASES[0]!.event), s), "body"), "alive after the error").toEqual(APIG_CASES[0]!.want);
      return canonical(s.normalized());
    },
  },
  {
    name: "scaffold-json",
    async run(v, start) {
      const s = await start({ handler: "scaffold" });
      for (const event of SCAFFOLD_JSON_EVENTS) expectScaffoldEcho(await s.invoke(event), event, s);
      return canonical(s.normalized());
    },
  },
  {
    name: "json-handler",
    // The shell has no JSON handler API: its handler reads the event's bytes.
    applies: (v) => !isShell(v),
    group: (v) => (v.lang === "go" || v.lang === "rust" ? "typed" : "dynamic"),
    async run(v, start) {
      const s = await start({ handler: "test", mode: "json" });
      const values: unknown[] = [{ a: 1, nested: { list: [1, 2.5, "x", null, true] } }, ["grüße", "😀", "\u2028"], "just a string", 42, null];
      for (const value of values) {
        const r = await s.invoke(JSON.stringify({ op: "echo", value }));
        expect(r.kind, s.tail()).toBe("response");
        expect(parse(r.body.toString("utf8"), "the JSON handler's response"), `${v.id}: echo of ${JSON.stringify(value)}`).toEqual(value);
      }
      expectError(await s.invoke('{"op":"unserialisable"}'), s, NOT_SERIALISABLE, false);
      expectError(await s.invoke("{not json"), s, NOT_JSON, false);
      // A typed language checks the event against the handler's input type.
      if (v.lang === "go" || v.lang === "rust") expectError(await s.invoke('{"op":5}'), s, NOT_INPUT_TYPE, false);
      const r = await s.invoke('{"op":"echo","value":"still alive"}');
      expect(parse(r.body.toString("utf8"), "response")).toBe("still alive");
      expect(s.emu.api.transcript.filter((e) => e.type === "start").length, "no crash").toBe(1);
      return canonical(s.normalized());
    },
  },
  {
    name: "apig-builders",
    async run(v, start) {
      const s = await start({ handler: "test", mode: "json" });
      const json = expectApigResponse(await s.invoke('{"op":"apig-json"}'), s);
      expect(json.status).toBe(201);
      expect(json.base64).toBe(false);
      expect(json.headers["Content-Type"]).toBe("application/json");
      expect(parse(json.body, "json builder body")).toEqual({ ok: true, n: [1, 2] });
      const text = expectApigResponse(await s.invoke('{"op":"apig-text"}'), s);
      expect(text.status).toBe(200);
      expect(text.base64).toBe(false);
      expect(text.headers["Content-Type"]).toBe("text/plain; charset=utf-8");
      expect(text.body).toBe("grüße ✓");
      const binary = expectApigResponse(await s.invoke('{"op":"apig-binary"}'), s);
      expect(binary.status).toBe(200);
      expect(binary.base64).toBe(true);
      expect(binary.headers["Content-Type"]).toBe("application/octet-stream");
      expect(Buffer.from(binary.body, "base64").equals(Buffer.from(Array.from({ length: 256 }, (_, i) => i))), "the 256 bytes").toBe(true);
      expect(binary.body, "standard padded base64").toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      return canonical(s.normalized());
    },
  },
  {
    name: "apig-decode",
    applies: (v) => !isShell(v),
    async run(v, start) {
      const s = await start({ handler: "test", mode: "json" });
      for (const [event, bytes] of [
        [JSON.parse(apigEvent({ [K.base64]: true, [K.body]: b64(BINARY) })), BINARY],
        [JSON.parse(apigEvent({ [K.base64]: false, [K.body]: "plain ü" })), Buffer.from("plain ü")],
        [JSON.parse(apigEvent({ [K.body]: undefined })), Buffer.alloc(0)],
      ] as const) {
        const r = await s.invoke(JSON.stringify({ op: "apig-decode", event }));
        expect(r.kind, s.tail()).toBe("response");
        expect(parse(r.body.toString("utf8"), "apig-decode"), `${v.id}: decoded body`).toEqual({ body: bytes.toString("hex") });
      }
      return canonical(s.normalized());
    },
  },
  {
    name: "context-getters",
    // The shell answers its own op (fg_user_data), the others the getters.
    group: (v) => (isShell(v) ? "shell" : "all"),
    async run(v, start) {
      const s = await start({ handler: "test", mode: "json" });
      const env = conformanceEnv(spec, s.dir);
      const userData = spec.env.find((e) => e.userData)!;
      const msg = (JSON.parse(env[userData.name]!) as { msg: string }).msg;
      if (isShell(v)) {
        // The shell's userData lookup; its other context values are the FG_* variables (scenario "context").
        const r = await s.invoke('{"op":"userdata"}');
        expect(r.kind, s.tail()).toBe("response");
        expect(r.body.toString("utf8")).toBe(msg);
        return s.normalized();
      }
      const headers = conformanceHeaders(spec);
      const r = await s.invoke('{"op":"context"}');
      expect(r.kind, s.tail()).toBe("response");
      const seen = parse(r.body.toString("utf8"), "the context op's answer") as Record<string, unknown>;
      for (const h of spec.headers.filter((x) => x.getter)) {
        const want = h.requestId ? r.requestId : headers[h.name];
        expect(seen[h.getter!], `${h.getter}() answers header ${h.name}`).toBe(want);
      }
      for (const e of spec.env.filter((x) => x.getter)) {
        const got = seen[e.getter!];
        if (e.type === "string") expect(got, `${e.getter}() answers ${e.name}`).toBe(env[e.name]);
        else expect(Number(got), `${e.getter}() answers ${e.name}: ${String(got)}`).toBe(Number(env[e.name]));
      }
      expect(seen.userData, "the userData lookup of msg").toBe(msg);
      expect(seen.missing ?? null, "a key that is not there").toBe(null);
      return s.normalized().map((e) => (e.type === "post" ? { ...e, body: "<context>" } : e));
    },
  },
  {
    name: "context-logger",
    async run(v, start) {
      const s = await start({ handler: "test", mode: "json" });
      const r = await s.invoke('{"op":"logger"}');
      expect(r.kind, s.tail()).toBe("response");
      const until = performance.now() + 2000;
      while (!s.stderr().includes("careful") && performance.now() < until) await new Promise((res) => setTimeout(res, 20));
      const lines = s.stderr().split("\n");
      const id = r.requestId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      for (const [level, message] of [
        ["INFO", "hello from the context logger"],
        ["WARN", "careful"],
      ]) {
        const re = new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ${id} ${level} ${message}$`);
        expect(lines.some((l) => re.test(l)), `${v.id}: a line "<time> ${r.requestId} ${level} ${message}" in stderr:\n${s.tail()}`).toBe(true);
      }
      return canonical(s.normalized());
    },
  },
];

/** JSON events that are not APIG requests: the scaffold answers each with its text as the body. */
const SCAFFOLD_JSON_EVENTS: string[] = [
  '{"hello":"world"}',
  '{"unicode":"grüße, 日本語, emoji 😀, שלום, e\u0301","escaped":"\\u00fc\\ud83d\\ude00\\u2028"}',
  '{"quotes":"\\"double\\" \'single\'","dollar":"$HOME ${PATH} $(id)","backslashes":"\\\\ \\\\n \\\\t","percent":"%s %d %%"}',
  '  {\n  "pretty": [1, 2.5, -0, 1e3, true, false, null],\n\t"nested": {"a": {"b": []}}\n}\n',
  '{"crlf":"line"}\r\n',
  '{"controls":"\\b\\f\\r\\t\\u0000\\u001f"}',
  '{"httpMethod":5,"path":"/not-apig: the method is not a string"}',
  "[]",
  '"just a string"',
  "42",
  "null",
];

/** Also for the alt spec's scaffold (its own limits and paths; the same APIG contract). */
export const SCAFFOLD_ECHO = { expectScaffoldEcho, expectError: (r: InvocationResult, s: Session, sp: Spec) => expectError(r, s, NOT_JSON, true, sp) };
