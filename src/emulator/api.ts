import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Spec } from "../spec.js";

/** What the function answered for one invocation. */
export interface InvocationResult {
  requestId: string;
  kind: "response" | "error";
  body: Buffer;
  /** Milliseconds from handing the event out to receiving the answer. */
  ms: number;
}

/** One request that reached the API and what it answered, for transcripts. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  requestId?: string;
  body?: string;
}

interface Pending {
  requestId: string;
  event: Buffer;
  headers: Record<string, string>;
  sentAt?: number;
  resolve(result: InvocationResult): void;
}

/**
 * The runtime API of one function instance, served over HTTP on loopback: the next-invocation
 * long poll hands out queued events, the response and error endpoints settle them. Paths and
 * header names come from the spec. Protocol mistakes get a clear 4xx.
 */
export class RuntimeApi {
  readonly exchanges: Exchange[] = [];
  private readonly queue: Pending[] = [];
  private readonly inFlight = new Map<string, Pending>();
  private readonly answered = new Set<string>();
  private waiting: ServerResponse | undefined;
  private server: Server | undefined;

  constructor(
    private readonly spec: Spec,
    /** Values for the spec's non-ID headers on every event (e.g. credentials). */
    private readonly headerValues: Record<string, string> = {},
  ) {}

  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    this.server = createServer((req, res) => this.route(req, res));
    this.server.keepAliveTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, resolve);
    });
    const { port: bound } = this.server.address() as AddressInfo;
    return `${host}:${bound}`;
  }

  /** Queues an event; resolves when the function posts its response or error. */
  invoke(event: Buffer | string, headers: Record<string, string> = {}): Promise<InvocationResult> {
    return new Promise((resolve) => {
      this.queue.push({ requestId: randomUUID(), event: Buffer.from(event), headers, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.waiting?.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private record(exchange: Exchange): void {
    this.exchanges.push(exchange);
  }

  private dispatch(): void {
    const res = this.waiting;
    const next = this.queue[0];
    if (!res || !next) return;
    this.queue.shift();
    this.waiting = undefined;
    next.sentAt = performance.now();
    this.inFlight.set(next.requestId, next);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "content-length": String(next.event.length),
    };
    for (const h of this.spec.headers) {
      const value = h.requestId ? next.requestId : (next.headers[h.name] ?? this.headerValues[h.name]);
      if (value !== undefined) headers[h.name] = value;
    }
    res.writeHead(200, headers).end(next.event);
    this.record({ method: "GET", path: this.spec.endpoints.next.path, status: 200, requestId: next.requestId });
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const { next, response, error } = this.spec.endpoints;
    if (req.method === next.method && path === next.path) return this.next(req, res);
    for (const [kind, endpoint] of [["response", response], ["error", error]] as const) {
      const [prefix = "", suffix = ""] = endpoint.path.split("{requestId}");
      if (req.method === endpoint.method && path.startsWith(prefix) && path.endsWith(suffix) && path.length > prefix.length + suffix.length) {
        const id = decodeURIComponent(path.slice(prefix.length, path.length - suffix.length));
        return this.settle(kind, id, req, res);
      }
    }
    this.reply(res, 404, `no such endpoint: ${req.method} ${path}`, { method: req.method ?? "", path, status: 404 });
  }

  private reply(res: ServerResponse, status: number, message: string, exchange: Exchange): void {
    const body = JSON.stringify(status < 300 ? { status: "OK" } : { error: message });
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
    this.record(exchange);
  }

  private next(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    if (this.waiting && !this.waiting.destroyed) {
      return this.reply(res, 409, "another next-invocation request is already waiting: one instance fetches one event at a time", {
        method: "GET",
        path: this.spec.endpoints.next.path,
        status: 409,
      });
    }
    this.waiting = res;
    res.on("close", () => {
      if (this.waiting === res) this.waiting = undefined;
    });
    this.dispatch();
  }

  private settle(kind: "response" | "error", requestId: string, req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? "";
      const pending = this.inFlight.get(requestId);
      if (!pending) {
        const why = this.answered.has(requestId) ? "was already answered" : "is unknown";
        return this.reply(res, this.answered.has(requestId) ? 409 : 404, `request ID ${requestId} ${why}`, {
          method: "POST",
          path,
          status: this.answered.has(requestId) ? 409 : 404,
          requestId,
        });
      }
      this.inFlight.delete(requestId);
      this.answered.add(requestId);
      this.reply(res, 202, "", { method: "POST", path, status: 202, requestId, body: body.toString("utf8") });
      pending.resolve({ requestId, kind, body, ms: performance.now() - (pending.sentAt ?? 0) });
    });
  }
}
