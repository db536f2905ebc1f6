import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Spec } from "../spec.js";
import type { TranscriptEntry, UntimedEntry } from "./transcript.js";

/** What became of one invocation. */
export interface InvocationResult {
  requestId: string;
  /**
   * response / error: the function posted to that endpoint (and the API took it). timeout: no
   * answer within the function's timeout. crash: the bootstrap exited (or could not be kept
   * running) before answering. unanswered: the runtime asked for the next event without a
   * successful answer to this one (e.g. it gave up after its POST failed).
   */
  kind: "response" | "error" | "timeout" | "crash" | "unanswered";
  /** The answer's body; for unanswered, the body of the last (failed) POST if there was one. */
  body: Buffer;
  /** Milliseconds from handing the event out to receiving the answer (or giving up). */
  ms: number;
  /** Status of the last POST the API rejected with an injected fault (0: connection reset). */
  postStatus?: number;
  /** For timeout, crash and unanswered: what happened, in words. */
  reason?: string;
}

/** A fault injected into the answer to one next-invocation GET. */
export type GetFault =
  /** Answer at once with this status and a small JSON error body, no event. */
  | { kind: "status"; status: number }
  /** Reset the connection (TCP RST) as soon as the request arrives. */
  | { kind: "reset" }
  /** Answer at once with 200 and a synthetic event, but without the request-ID header. */
  | { kind: "noRequestId" };

/**
 * A fault injected into the answer to one response or error POST. Either way the API has not
 * taken the answer: the invocation stays open, and a retried POST is accepted.
 */
export type PostFault =
  /** Read the body, then answer with this status. */
  | { kind: "status"; status: number }
  /** Reset the connection (TCP RST) as soon as the request arrives, before reading the body. */
  | { kind: "reset" };

export interface ApiOptions {
  /** Keep a transcript of every request and answer, bodies included (off: counters only). */
  record?: boolean;
  /** Faults for the Nth GET (1-based, counting every next-invocation GET the API received). */
  getFaults?: Record<number, GetFault>;
  /** Faults for the Nth POST (1-based, counting response and error POSTs). */
  postFaults?: Record<number, PostFault>;
}

/** The synthetic event of a `noRequestId` fault. */
export const NO_ID_EVENT = Buffer.from('{"fault":"answered without a request ID"}');

/** An event, or a function that makes it once its request ID is known (an APIG event carries that ID). */
export type EventSource = Buffer | string | ((requestId: string) => Buffer);

interface Pending {
  requestId: string;
  /** The ID to hand out instead of a generated one (tests of IDs that need escaping). */
  fixedId?: string;
  event: Buffer | ((requestId: string) => Buffer);
  headers: Record<string, string> | undefined;
  sentAt: number;
  /** Status of the last POST for it that the API rejected with a fault (0: reset). */
  faultStatus?: number;
  faultBody?: Buffer;
  resolve(result: InvocationResult): void;
}

const CLOSED: Pending = { requestId: "", event: Buffer.alloc(0), headers: undefined, sentAt: 0, resolve() {} };

/**
 * The runtime API of one function instance, served over HTTP on loopback: the next-invocation
 * long poll hands out queued events, the response and error endpoints settle them. Paths and
 * header names come from the spec. Protocol mistakes get a clear 4xx:
 * - a second GET while one is already waiting: 409;
 * - a POST for a request ID that was never handed out: 404; for one already answered (or given
 *   up on after a timeout or crash): 409;
 * - any other method or path: 404.
 *
 * Request IDs are UUID-shaped: a random prefix per API plus a counter, so that telling an
 * answered ID from an unknown one needs no growing set, and the hot path allocates little.
 */
export class RuntimeApi {
  /** Every request and answer, when `record` is on. */
  readonly transcript: TranscriptEntry[] = [];
  /** Next-invocation GETs received, faulted ones included. */
  gets = 0;
  /** Response and error POSTs received, rejected ones included. */
  posts = 0;
  /** Requests answered with a 4xx for a protocol mistake (unknown path, second GET, unknown or answered ID). */
  rejected = 0;
  /** Called when an event is handed out (the emulator arms the function's timeout here). */
  onDispatch: ((requestId: string) => void) | undefined;

  private readonly queue: Pending[] = [];
  private queueHead = 0;
  /** The invocation handed out and not yet settled (one instance runs one at a time). */
  private readonly inFlight = new Map<string, Pending>();
  private waiting: ServerResponse | undefined;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly idPrefix = randomUUID().slice(0, 24);
  private dispatched = 0;
  /** Fixed IDs handed out so far (generated ones are recognised by their form). */
  private readonly fixedIds = new Set<string>();
  private readonly fixedHeaders: Record<string, string>;
  private readonly idHeader: string;
  private readonly nextPath: string;
  private readonly routes: { kind: "response" | "error"; method: string; prefix: string; suffix: string }[];
  private readonly record: boolean;
  private readonly getFaults: Record<number, GetFault>;
  private readonly postFaults: Record<number, PostFault>;
  private readonly secretHeaders: Set<string>;
  private startedAt = performance.now();

  constructor(
    private readonly spec: Spec,
    /** Values for the spec's non-ID headers on every event (e.g. credentials). */
    headerValues: Record<string, string> = {},
    options: ApiOptions = {},
  ) {
    this.record = options.record ?? false;
    this.getFaults = options.getFaults ?? {};
    this.postFaults = options.postFaults ?? {};
    this.idHeader = spec.headers.find((h) => h.requestId)!.name;
    this.secretHeaders = new Set(spec.headers.filter((h) => h.secret).map((h) => h.name));
    this.fixedHeaders = { "content-type": "application/json" };
    for (const h of spec.headers) {
      const value = headerValues[h.name];
      if (!h.requestId && value !== undefined) this.fixedHeaders[h.name] = value;
    }
    this.nextPath = spec.endpoints.next.path;
    this.routes = (["response", "error"] as const).map((kind) => {
      const { method, path } = spec.endpoints[kind];
      const [prefix = "", suffix = ""] = path.split("{requestId}");
      return { kind, method, prefix, suffix };
    });
  }

  /** Starts serving; resolves with `host:port`. Port 0 picks a free port. */
  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    const server = createServer((req, res) => this.route(req, res));
    this.server = server;
    // Keep the function's connection open between requests however long it idles.
    server.keepAliveTimeout = 0;
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    server.on("connection", (socket: Socket) => {
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.startedAt = performance.now();
    const { port: bound } = server.address() as AddressInfo;
    return `${host}:${bound}`;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  /** Milliseconds since the API started listening (the transcript's clock). */
  now(): number {
    return Math.round((performance.now() - this.startedAt) * 10) / 10;
  }

  /** Queues an event; resolves when the function answers it, or when the emulator gives up on it. */
  invoke(event: EventSource, headers?: Record<string, string>, requestId?: string): Promise<InvocationResult> {
    return new Promise((resolve) => {
      this.queue.push({ requestId: "", fixedId: requestId, event: typeof event === "string" ? Buffer.from(event) : event, headers, sentAt: 0, resolve });
      this.dispatch();
    });
  }

  /** Events queued and not yet handed out. */
  get queued(): number {
    return this.queue.length - this.queueHead;
  }

  /** Request IDs handed out and not yet answered. */
  get inFlightIds(): string[] {
    return [...this.inFlight.keys()];
  }

  /** Settles an in-flight invocation without an answer (timeout, crash); a late POST then gets 409. */
  abandon(requestId: string, kind: "timeout" | "crash", reason: string): boolean {
    const pending = this.inFlight.get(requestId);
    if (!pending) return false;
    this.inFlight.delete(requestId);
    if (this.record) this.transcript.push({ t: this.now(), type: kind, requestId, reason });
    pending.resolve({ requestId, kind, body: Buffer.alloc(0), ms: performance.now() - pending.sentAt, reason });
    return true;
  }

  /** Settles every queued (not yet handed out) invocation as a crash: nothing will serve them. */
  failQueued(reason: string): void {
    while (this.queueHead < this.queue.length) {
      const p = this.queue[this.queueHead++]!;
      p.resolve({ requestId: "", kind: "crash", body: Buffer.alloc(0), ms: 0, reason });
    }
    this.queue.length = this.queueHead = 0;
  }

  /**
   * Forgets the next-invocation GET of a process that has exited. Its socket may not have shown
   * the close yet, and an event written to it would be lost (then reported as unanswered when
   * the next process asks): the event must wait in the queue for the new process instead.
   */
  dropWaiting(): void {
    const res = this.waiting;
    this.waiting = undefined;
    res?.socket?.destroy();
  }

  /** Adds an entry to the transcript (the emulator's lifecycle events), when recording. */
  note(entry: UntimedEntry): void {
    if (this.record) this.transcript.push({ t: this.now(), ...entry } as TranscriptEntry);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.waiting = undefined;
    for (const s of this.sockets) s.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private takeQueued(): Pending | undefined {
    if (this.queueHead >= this.queue.length) return undefined;
    const next = this.queue[this.queueHead]!;
    this.queue[this.queueHead++] = CLOSED;
    // Compact now and then instead of shift()ing an array of thousands on every event.
    if (this.queueHead === this.queue.length) this.queue.length = this.queueHead = 0;
    else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    return next;
  }

  private newRequestId(): string {
    const n = this.dispatched++;
    return this.idPrefix + n.toString(16).padStart(12, "0");
  }

  /** 0: never handed out; 1: in flight; 2: settled. */
  private idState(requestId: string): 0 | 1 | 2 {
    if (this.inFlight.has(requestId)) return 1;
    if (this.fixedIds.has(requestId)) return 2;
    if (requestId.length !== 36 || !requestId.startsWith(this.idPrefix)) return 0;
    const n = Number.parseInt(requestId.slice(24), 16);
    return Number.isInteger(n) && n >= 0 && n < this.dispatched && /^[0-9a-f]{12}$/.test(requestId.slice(24)) ? 2 : 0;
  }

  private dispatch(): void {
    const res = this.waiting;
    if (!res || this.queueHead >= this.queue.length) return;
    if (res.destroyed) {
      this.waiting = undefined;
      return;
    }
    const next = this.takeQueued()!;
    this.waiting = undefined;
    if (next.fixedId !== undefined) {
      if (this.inFlight.has(next.fixedId) || this.fixedIds.has(next.fixedId)) throw new Error(`request ID ${next.fixedId} was already handed out`);
      this.fixedIds.add(next.fixedId);
    }
    next.requestId = next.fixedId ?? this.newRequestId();
    const event = typeof next.event === "function" ? (next.event = next.event(next.requestId)) : next.event;
    next.sentAt = performance.now();
    this.inFlight.set(next.requestId, next);
    const headers = next.headers ? { ...this.fixedHeaders, ...next.headers } : { ...this.fixedHeaders };
    // HTTP carries header bytes: an ID beyond ASCII goes as its UTF-8 bytes (Node writes latin1).
    headers[this.idHeader] = Buffer.from(next.requestId, "utf8").toString("latin1");
    headers["content-length"] = String(event.length);
    res.writeHead(200, headers).end(event);
    if (this.record) {
      this.transcript.push({
        t: this.now(),
        type: "get",
        status: 200,
        requestId: next.requestId,
        headers: this.redact(headers),
        body: event.toString("utf8"),
        bytes: event.length,
      });
    }
    this.onDispatch?.(next.requestId);
  }

  private redact(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) {
      if (k === "content-type" || k === "content-length") continue;
      out[k] = this.secretHeaders.has(k) ? "[secret]" : v;
    }
    return out;
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    if (req.method === this.spec.endpoints.next.method && path === this.nextPath) return this.next(req, res);
    for (const r of this.routes) {
      if (req.method === r.method && path.length > r.prefix.length + r.suffix.length && path.startsWith(r.prefix) && path.endsWith(r.suffix)) {
        const raw = path.slice(r.prefix.length, path.length - r.suffix.length);
        // The ID is one path segment: anything beyond RFC 3986's pchar must come percent-encoded.
        if (!/^[A-Za-z0-9\-._~!$&'()*+,;=:@%]*$/.test(raw)) {
          req.resume();
          this.rejected++;
          this.reply(res, 400, `the request ID in ${path} is not percent-encoded: escape every byte outside A-Z a-z 0-9 - . _ ~`);
          if (this.record) this.transcript.push({ t: this.now(), type: "other", method: req.method ?? "", path, status: 400 });
          return;
        }
        let id = raw;
        if (raw.includes("%")) {
          try {
            id = decodeURIComponent(raw);
          } catch {
            id = raw;
          }
        }
        return this.settle(r.kind, id, req, res);
      }
    }
    req.resume();
    this.rejected++;
    this.reply(res, 404, `no such endpoint: ${req.method} ${path}`);
    if (this.record) this.transcript.push({ t: this.now(), type: "other", method: req.method ?? "", path, status: 404 });
  }

  private reply(res: ServerResponse, status: number, message: string, close = false): void {
    const body = status < 300 ? '{"status":"OK"}' : JSON.stringify({ error: message });
    const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
    if (close) headers.connection = "close";
    res.writeHead(status, headers).end(body);
  }

  private next(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const n = ++this.gets;
    // One instance runs one invocation at a time: asking for the next means giving up on this one.
    if (this.inFlight.size > 0) this.unanswered();
    const fault = this.getFaults[n];
    if (fault) return this.faultGet(n, fault, req, res);
    if (this.waiting && !this.waiting.destroyed) {
      this.rejected++;
      this.reply(res, 409, "another next-invocation request is already waiting: one instance fetches one event at a time");
      if (this.record) this.transcript.push({ t: this.now(), type: "get", status: 409 });
      return;
    }
    this.waiting = res;
    res.once("close", () => {
      if (this.waiting === res) this.waiting = undefined;
    });
    this.dispatch();
  }

  private unanswered(): void {
    for (const [requestId, p] of this.inFlight) {
      this.inFlight.delete(requestId);
      const after = p.faultStatus === undefined ? "" : p.faultStatus === 0 ? " after its POST was reset" : ` after its POST got ${p.faultStatus}`;
      const reason = `the runtime asked for the next event without answering this one${after}`;
      if (this.record) this.transcript.push({ t: this.now(), type: "unanswered", requestId, reason });
      p.resolve({ requestId, kind: "unanswered", body: p.faultBody ?? Buffer.alloc(0), ms: performance.now() - p.sentAt, postStatus: p.faultStatus, reason });
    }
  }

  private faultGet(n: number, fault: GetFault, req: IncomingMessage, res: ServerResponse): void {
    if (this.record) this.transcript.push({ t: this.now(), type: "get", status: fault.kind === "status" ? fault.status : fault.kind === "reset" ? 0 : 200, fault: fault.kind, ...(fault.kind === "noRequestId" ? { body: NO_ID_EVENT.toString(), bytes: NO_ID_EVENT.length } : {}) });
    if (fault.kind === "reset") return resetSocket(req.socket);
    if (fault.kind === "status") return this.reply(res, fault.status, `injected fault: GET number ${n} answered with ${fault.status}`);
    res.writeHead(200, { ...this.fixedHeaders, "content-length": NO_ID_EVENT.length }).end(NO_ID_EVENT);
  }

  private settle(kind: "response" | "error", requestId: string, req: IncomingMessage, res: ServerResponse): void {
    const n = ++this.posts;
    const fault = this.postFaults[n];
    if (fault?.kind === "reset") {
      if (this.record) this.transcript.push({ t: this.now(), type: "post", kind, requestId, status: 0, fault: "reset" });
      const pending = this.inFlight.get(requestId);
      if (pending) pending.faultStatus = 0;
      return resetSocket(req.socket);
    }
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    req.on("data", (c: Buffer) => {
      if (!first) first = c;
      else (chunks ??= [first]).push(c);
    });
    req.on("end", () => {
      const body = chunks ? Buffer.concat(chunks) : (first ?? Buffer.alloc(0));
      const state = this.idState(requestId);
      let status: number;
      if (fault) {
        status = fault.status;
        this.reply(res, status, `injected fault: POST number ${n} answered with ${status}`);
      } else if (state === 1) {
        status = 202;
        this.reply(res, status, "");
      } else {
        status = state === 2 ? 409 : 404;
        this.rejected++;
        this.reply(res, status, state === 2 ? `request ID ${requestId} was already answered (or timed out)` : `request ID ${requestId} is unknown: it was never handed out`);
      }
      if (this.record) {
        this.transcript.push({ t: this.now(), type: "post", kind, requestId, status, body: body.toString("utf8"), bytes: body.length, ...(fault ? { fault: "status" } : {}) });
      }
      if (state !== 1) return;
      const pending = this.inFlight.get(requestId)!;
      if (fault) {
        pending.faultStatus = status;
        pending.faultBody = body;
        return;
      }
      this.inFlight.delete(requestId);
      pending.resolve({ requestId, kind, body, ms: performance.now() - pending.sentAt, postStatus: pending.faultStatus });
    });
  }
}

function resetSocket(socket: Socket): void {
  // resetAndDestroy sends a TCP RST (Node >= 18.3); destroy() alone would close politely.
  const s = socket as Socket & { resetAndDestroy?: () => void };
  if (typeof s.resetAndDestroy === "function") s.resetAndDestroy();
  else socket.destroy();
}
