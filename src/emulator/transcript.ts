import { createHash } from "node:crypto";
import type { Spec } from "../spec.js";

/**
 * One line of a transcript: a request that reached the runtime API and what it answered, or
 * something the emulator did to the function's process. `t` is milliseconds since the API
 * started listening. Bodies are UTF-8 text (invalid bytes replaced), `bytes` their real length.
 * Secret header values never appear: they read `[secret]`.
 */
export type TranscriptEntry =
  | {
      t: number;
      type: "get";
      /** 0 when the connection was reset. */
      status: number;
      requestId?: string;
      headers?: Record<string, string>;
      body?: string;
      bytes?: number;
      fault?: "status" | "reset" | "noRequestId";
    }
  | {
      t: number;
      type: "post";
      kind: "response" | "error";
      requestId: string;
      status: number;
      body?: string;
      bytes?: number;
      fault?: "status" | "reset";
    }
  | { t: number; type: "other"; method: string; path: string; status: number }
  | { t: number; type: "timeout" | "crash" | "unanswered"; requestId: string; reason: string }
  | { t: number; type: "start"; pid: number | undefined }
  | { t: number; type: "exit"; code: number | null; signal: string | null; expected: boolean }
  | { t: number; type: "kill"; signal: string; why: string }
  /** The API started listening late (fault injection): before this, connections were refused. */
  | { t: number; type: "listen" };

/** An entry before the API stamps its time on it. */
export type UntimedEntry = TranscriptEntry extends infer E ? (E extends { t: number } ? Omit<E, "t"> : never) : never;

/** A transcript entry with everything that varies between runs taken out. */
export type NormalEntry = Record<string, unknown>;

const SMALL_BODY = 512;

/** The same for every run: short text as is, long text as its length and hash. */
function normalBody(body: string | undefined, bytes: number | undefined): unknown {
  if (body === undefined) return undefined;
  if ((bytes ?? body.length) <= SMALL_BODY) return body;
  return `<${bytes} bytes, sha256 ${createHash("sha256").update(body).digest("hex").slice(0, 16)}>`;
}

/**
 * Normalises a transcript for comparison across languages and runs: request IDs become
 * `<id1>`, `<id2>`… in order of appearance, times and process IDs go, error messages become
 * `<message>` (keeping the keys, their order and the error type), the API's own reasons go,
 * and long bodies become their length and hash.
 */
export function normalize(entries: readonly TranscriptEntry[], spec: Spec): NormalEntry[] {
  const ids = new Map<string, string>();
  const id = (raw: string | undefined) => {
    if (raw === undefined) return undefined;
    let name = ids.get(raw);
    if (!name) ids.set(raw, (name = `<id${ids.size + 1}>`));
    return name;
  };
  const out: NormalEntry[] = [];
  for (const e of entries) {
    switch (e.type) {
      case "get": {
        const headers = e.headers ? Object.keys(e.headers).sort().join(",") : undefined;
        out.push(clean({ type: "get", status: e.status, fault: e.fault, requestId: id(e.requestId), headers, body: normalBody(e.body, e.bytes) }));
        break;
      }
      case "post": {
        let body = e.kind === "error" ? normalError(e.body, spec) : normalBody(e.body, e.bytes);
        // A handler may echo its request ID: that varies too.
        if (typeof body === "string") for (const [raw, name] of ids) body = (body as string).split(raw).join(name);
        out.push(clean({ type: "post", kind: e.kind, requestId: id(e.requestId), status: e.status, fault: e.fault, body }));
        break;
      }
      case "other":
        out.push({ type: "other", method: e.method, path: e.path, status: e.status });
        break;
      case "timeout":
      case "crash":
      case "unanswered":
        out.push({ type: e.type, requestId: id(e.requestId) });
        break;
      case "start":
        out.push({ type: "start" });
        break;
      case "exit":
        // How a process ends when told to (SIGTERM: by the signal, or a trap's status) is its own affair.
        out.push(e.expected ? { type: "exit", expected: true } : clean({ type: "exit", code: e.code ?? undefined, signal: e.signal ?? undefined, expected: false }));
        break;
      case "kill":
        out.push({ type: "kill", signal: e.signal, why: e.why });
        break;
      case "listen":
        out.push({ type: "listen" });
        break;
    }
  }
  return out;
}

/** An error body with its message replaced; anything that is not the spec's shape stays verbatim. */
function normalError(body: string | undefined, spec: Spec): unknown {
  if (body === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return normalBody(body, Buffer.byteLength(body));
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return normalBody(body, Buffer.byteLength(body));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed)) {
    // A stack trace is each language's own (and only some failures have one): scenarios check
    // it directly, and the transcripts compare the rest.
    if (k === spec.errors.stackTraceField) continue;
    out[k] = k === spec.errors.messageField && typeof v === "string" && v !== "" ? "<message>" : v;
  }
  // Compact JSON with exactly these keys is part of the contract: keep whether it was.
  return { json: out, compact: !/\s/.test(body.replace(/"(?:[^"\\]|\\.)*"/g, '""')) };
}

function clean(o: Record<string, unknown>): NormalEntry {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
