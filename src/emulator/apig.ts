import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { base64Problem, checkEvent, describeValue, isPlainObject } from "../eventcheck.js";
import { optionalRoleField, roleField, zeroValue } from "../events.js";
import type { Spec } from "../spec.js";
import type { InvocationResult } from "./api.js";
import type { Pool } from "./pool.js";

/** An HTTP request as API Gateway hands it on. */
export interface HttpRequest {
  method: string;
  /** The request target: path and query string, as sent. */
  url: string;
  /** Node's rawHeaders: name, value, name, value, ... */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
}

/**
 * The APIG request event of an HTTP request, in the spec's request type: the role fields (method,
 * path, query, body, base64) wherever the spec puts them; the body always base64, as API Gateway
 * sends it. The request type has no roles for the headers, the path parameters and the request
 * context, so those are the fields of those names, filled only when the type has them.
 */
export function apigRequestEvent(spec: Spec, req: HttpRequest, requestId: string): Buffer {
  const types = spec.events.types;
  const typeName = spec.events.apig.request;
  const event = zeroValue(types, typeName);
  const key = (role: string) => roleField(spec, "request", role).name;
  const q = req.url.indexOf("?");
  event[key("method")] = req.method;
  event[key("path")] = q < 0 ? req.url : req.url.slice(0, q);
  const query: Record<string, string> = {};
  // A repeated parameter keeps its last value: the type's map holds one string per name.
  if (q >= 0) for (const [k, v] of new URLSearchParams(req.url.slice(q + 1))) query[k] = v;
  event[key("query")] = query;
  event[key("body")] = req.body.toString("base64");
  event[key("base64")] = true;
  const headersField = optionalRoleField(spec, "headers");
  if (headersField) {
    const headers: Record<string, string> = {};
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!.toLowerCase();
      const value = req.rawHeaders[i + 1]!;
      headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
    }
    event[headersField.name] = headers;
  }
  const context = optionalRoleField(spec, "context");
  if (context) {
    const ctx = event[context.name] as Record<string, unknown>;
    const set = (role: string, value: string) => {
      const f = types[context.type]!.fields.find((x) => x.role === role);
      if (f) ctx[f.name] = value;
    };
    // One ID for the request context, the runtime's request ID header and the access log.
    set("requestId", requestId);
    set("apiId", "fg-bootgen-emulate");
    set("stage", "RELEASE");
    set("sourceIp", req.sourceIp);
  }
  return Buffer.from(JSON.stringify(event));
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

// RFC 9110 token characters; values: no control characters but tab (what Node's writeHead accepts).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers that frame the message: the emulator sets them for the body it sends. */
const FRAMING = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

/**
 * The HTTP answer of a function's APIG response, or what is wrong with the response, in one line.
 * The keys and their types come from the spec's response type and its roles; a missing or null
 * field is its zero value (as the generated decoders read it) except the status, which has none.
 */
export function readApigResponse(spec: Spec, raw: Buffer): HttpAnswer | { problem: string } {
  const typeName = spec.events.apig.response;
  const status = roleField(spec, "response", "status").name;
  const headersKey = roleField(spec, "response", "headers").name;
  const bodyKey = roleField(spec, "response", "body").name;
  const base64Key = roleField(spec, "response", "base64").name;
  const example = `{"${status}":200,"${headersKey}":{"Content-Type":"text/plain"},"${bodyKey}":"hello","${base64Key}":false}`;
  const fail = (what: string) => ({ problem: `invalid APIG response: ${what}` });
  const text = raw.toString("utf8");
  if (text.trim() === "") return fail(`the function answered with an empty body; API Gateway needs a JSON object such as ${example}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail(`the function's answer is not JSON (${(err as Error).message}); API Gateway needs a JSON object such as ${example}`);
  }
  if (!isPlainObject(value)) return fail(`the function's answer is ${describeValue(value)}, not a JSON object (${typeName}) such as ${example}`);
  const problems: string[] = [];
  if (value[status] === undefined || value[status] === null) problems.push(`${status} is missing (${typeName} needs the HTTP status as an integer, e.g. 200)`);
  for (const p of checkEvent(spec.events.types, typeName, value, { mode: "lenient" })) {
    const hint = p.startsWith(`${bodyKey}:`)
      ? ` (JSON-encode an object into a string, or send bytes as base64 with ${base64Key}: true)`
      : "";
    problems.push(`${p.replace(/^([^:]+): must be/, "$1 must be")}${hint}`);
  }
  if (problems.length > 0) return fail(problems.join("; "));
  const code = value[status] as number;
  if (code < 100 || code > 599) problems.push(`${status} ${code} is not an HTTP status (100 to 599)`);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((value[headersKey] as Record<string, unknown> | null) ?? {})) {
    if (v === null || v === undefined) continue;
    if (!HEADER_NAME.test(k)) problems.push(`${headersKey} has ${JSON.stringify(k)}, which is not an HTTP header name`);
    else if (!HEADER_VALUE.test(v as string)) problems.push(`${headersKey}.${k} holds a line break or control character, which an HTTP header cannot`);
    else if (!FRAMING.has(k.toLowerCase())) headers[k] = v as string;
  }
  const bodyText = (value[bodyKey] as string | null | undefined) ?? "";
  let body: Buffer;
  if (value[base64Key] === true) {
    const bad = base64Problem(bodyText);
    if (bad) problems.push(`${bodyKey} ${bad} (${base64Key} is true)`);
    body = Buffer.from(bodyText, "base64");
  } else {
    body = Buffer.from(bodyText, "utf8");
  }
  const max = spec.events.apig.maxBytes;
  if (body.length > max) problems.push(`${bodyKey} is ${body.length} bytes, over API Gateway's limit of ${max} bytes (events.apig.maxBytes)`);
  if (problems.length > 0) return fail(problems.join("; "));
  return { status: code, headers, body };
}

export interface ApigServerOptions {
  spec: Spec;
  pool: Pool;
  /** One line of the access log, or the emulator's message about a request, without newline. */
  log(line: string): void;
}

function textAnswer(status: number, line: string, extra: Record<string, string> = {}): HttpAnswer {
  return { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...extra }, body: Buffer.from(`${line}\n`) };
}

/**
 * A local API Gateway: every HTTP request becomes an APIG request event for the pool, and the
 * function's APIG response becomes the HTTP response. What the emulator answers itself (502, 504,
 * 413, 429) is one line of text, also logged.
 */
export function createApigServer(options: ApigServerOptions): Server {
  const server = createServer((req, res) => void handle(req, res, options));
  // Clients (and load tests) keep connections open between requests.
  server.keepAliveTimeout = 5000;
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, { spec, pool, log }: ApigServerOptions): Promise<void> {
  const t0 = performance.now();
  const method = req.method ?? "GET";
  const url = req.url ?? "/";
  const send = (a: HttpAnswer, requestId: string, close = false) => {
    const headers: Record<string, string | number> = { ...a.headers, "Content-Length": a.body.length };
    if (requestId && !Object.keys(a.headers).some((k) => k.toLowerCase() === "x-request-id")) headers["X-Request-Id"] = requestId;
    if (close) headers.Connection = "close";
    res.writeHead(a.status, headers).end(a.body);
    log(`${method} ${url} ${a.status} ${(performance.now() - t0).toFixed(1)} ms ${requestId || "-"}`);
  };
  const max = spec.events.apig.maxBytes;
  const tooLarge = () => {
    const line = `request body over API Gateway's limit of ${max} bytes (events.apig.maxBytes)`;
    log(line);
    send(textAnswer(413, line), "", true);
    req.resume();
  };
  if (Number(req.headers["content-length"] ?? 0) > max) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > max) return tooLarge();
      chunks.push(c as Buffer);
    }
  } catch {
    return; // the client went away
  }
  const request: HttpRequest = { method, url, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks), sourceIp: req.socket.remoteAddress ?? "127.0.0.1" };
  const pending = pool.tryInvoke((id) => apigRequestEvent(spec, request, id));
  if (!pending) {
    const line = `too many requests: all ${pool.size} instance(s) are busy and ${pool.maxQueue} request(s) are waiting; retry later, or raise --instances or --max-queue`;
    log(line);
    return send(textAnswer(429, line, { "Retry-After": "1" }), "");
  }
  const result = await pending;
  send(answerOf(spec, result, log), result.requestId);
}

function answerOf(spec: Spec, r: InvocationResult, log: (line: string) => void): HttpAnswer {
  const logged = (status: number, line: string) => {
    log(`${r.requestId ? `[${r.requestId}] ` : ""}${line}`);
    return textAnswer(status, line);
  };
  switch (r.kind) {
    case "response": {
      const answer = readApigResponse(spec, r.body);
      return "problem" in answer ? logged(502, answer.problem) : answer;
    }
    case "error":
      return { status: 500, headers: { "Content-Type": "application/json" }, body: r.body };
    case "timeout":
      return logged(504, `the function timed out: ${r.reason ?? "no answer within its timeout"}`);
    default:
      return logged(502, `the function did not answer: ${r.reason ?? "the bootstrap failed"}`);
  }
}
