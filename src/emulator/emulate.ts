import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import { UserError } from "../errors.js";
import type { Spec } from "../spec.js";
import type { InvocationResult } from "./api.js";
import { buildEnv, buildHeaders, timeoutMs } from "./env.js";
import { DEFAULT_MAX_QUEUE, Pool } from "./pool.js";

/** Exit status of `emulate` when an invocation failed (1 is the CLI's "out of date", 2 usage, 3 internal). */
export const EXIT_INVOCATION_FAILED = 4;

export interface EmulateOptions {
  spec: Spec;
  dir: string;
  events: string[];
  serve: boolean;
  port: number;
  env: string[];
  envFile?: string;
  header: string[];
  shell?: string;
  transcript?: string;
  /** Serve HTTP as a local API Gateway (APIG events in, APIG responses out) on `port`. */
  apig?: boolean;
  /** Bootstrap instances (default 1). */
  instances?: number;
  /** Requests that may wait for a free instance with --serve or --apig (default 100); beyond: 429. */
  maxQueue?: number;
  /** Rebuild with make and restart the instances when a file of the function changes. */
  watch?: boolean;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Reads standard input (for `--event -`). */
  stdin(): Buffer;
  /** Registers a handler for SIGINT/SIGTERM; returns a function that removes it. */
  onSignal(handler: () => void): () => void;
}

export const processIo: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  stdin: () => readFileSync(0),
  onSignal(handler) {
    process.once("SIGINT", handler);
    process.once("SIGTERM", handler);
    return () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    };
  },
};

/** The bootstrap's argv: `dir/bootstrap` itself, or run by the given shell (`dash`, `busybox ash`). */
export function bootstrapCommand(dir: string, shell: string | undefined): string[] {
  const file = join(dir, "bootstrap");
  if (!existsSync(file)) throw new UserError(`${file} does not exist: build the function first (make)`);
  if (shell !== undefined) {
    const argv = shell.trim().split(/\s+/).filter(Boolean);
    if (argv.length === 0) throw new UserError("--shell: give a shell, e.g. --shell dash or --shell 'busybox ash'");
    return [...argv, file];
  }
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new UserError(`${file} is not executable: chmod +x it, or run it with --shell`);
  }
  if (!statSync(file).isFile()) throw new UserError(`${file} is not a file`);
  return [file];
}

function readEvent(name: string, io: Io): Buffer {
  if (name === "-") return io.stdin();
  try {
    return readFileSync(name);
  } catch (err) {
    throw new UserError(`--event ${name}: cannot read it (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

/** One line about a result, then its body. */
export function describeResult(label: string, r: InvocationResult, spec: Spec): string {
  const ms = `${r.ms.toFixed(1)} ms`;
  switch (r.kind) {
    case "response":
      return `== ${label}: response, ${ms}, ${r.body.length} bytes\n${r.body.toString("utf8")}\n`;
    case "error": {
      let type = "";
      try {
        const parsed = JSON.parse(r.body.toString("utf8")) as Record<string, unknown>;
        if (typeof parsed[spec.errors.typeField] === "string") type = ` ${String(parsed[spec.errors.typeField])}`;
      } catch {
        type = " (body is not JSON)";
      }
      return `== ${label}: error${type}, ${ms}\n${r.body.toString("utf8")}\n`;
    }
    case "timeout":
      return `== ${label}: timed out after ${ms}: ${r.reason ?? ""}\n`;
    case "crash":
      return `== ${label}: failed: ${r.reason ?? "the bootstrap did not answer"}\n`;
    case "unanswered":
      return `== ${label}: unanswered, ${ms}: ${r.reason ?? ""}\n`;
  }
}

/** Binds the HTTP port first, so that a port in use stops the run before anything is started. */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      const why = err.code === "EADDRINUSE" ? "it is in use; pick another with --port N (0: any free port)" : (err.code ?? err.message);
      reject(new UserError(`--port ${port}: cannot listen on 127.0.0.1:${port}: ${why}`));
    });
    server.listen(port, "127.0.0.1", () => resolveListen((server.address() as { port: number }).port));
  });
}

/**
 * `fg-bootgen emulate`: runs the function in `dir` against emulated runtime APIs (one per
 * instance), feeds it the events, prints each result; with `serve`, then answers `POST /invoke`,
 * with `apig` any HTTP request as API Gateway, until interrupted. Throws a UserError with
 * EXIT_INVOCATION_FAILED if any of the events failed.
 */
export async function emulate(opts: EmulateOptions, io: Io = processIo): Promise<void> {
  const { spec } = opts;
  const dir = resolve(opts.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`--dir ${opts.dir}: not a folder`);
  const command = bootstrapCommand(dir, opts.shell);
  const env = buildEnv(spec, dir, opts.envFile, opts.env);
  const headerValues = buildHeaders(spec, opts.header);
  const serving = opts.serve || opts.apig === true;
  if (opts.serve && opts.apig) throw new UserError("--serve and --apig exclude each other: --serve answers POST /invoke, --apig any HTTP request");
  if (opts.watch && !serving) throw new UserError("--watch goes with --serve or --apig (it rebuilds while serving)");
  const events = opts.events.map((name) => ({ name, body: readEvent(name, io) }));
  if (events.length === 0 && !serving) throw new UserError("nothing to do: give --event FILE (repeatable; --event=- reads stdin), --serve or --apig");
  const instances = opts.instances ?? 1;
  if (!Number.isInteger(instances) || instances < 1 || instances > 64) throw new UserError("--instances must be a whole number from 1 to 64");
  const maxQueue = opts.maxQueue ?? DEFAULT_MAX_QUEUE;
  if (!Number.isInteger(maxQueue) || maxQueue < 0) throw new UserError("--max-queue must be a whole number, 0 or more");
  const timeout = timeoutMs(spec, env);

  const pool = new Pool({
    spec,
    dir,
    command,
    env,
    headerValues,
    timeoutMs: timeout,
    record: opts.transcript !== undefined,
    instances,
    maxQueue,
    onOutput: (_stream, chunk) => io.err(chunk.toString("utf8")),
    onLifecycle: (message) => io.err(`emulate: ${message}\n`),
  });
  let failed = 0;
  let total = 0;
  let server: Server | undefined;
  if (opts.apig) {
    const { createApigServer } = await import("./apig.js");
    server = createApigServer({ spec, pool, log: (line) => io.err(`emulate: ${line}\n`) });
  } else if (opts.serve) {
    server = createServer((req, res) => void invokeOverHttp(req, res, pool, spec, io, () => total++, () => failed++));
  }
  const port = server ? await listen(server, opts.port) : 0;

  let stopped: Promise<void> | undefined;
  let stop!: () => void;
  const done = new Promise<void>((r) => (stop = r));
  const removeSignal = io.onSignal(() => stop());
  let stopWatch: (() => void) | undefined;

  const shutdown = () =>
    (stopped ??= (async () => {
      removeSignal();
      stopWatch?.();
      const closed = server ? new Promise<void>((r) => server!.close(() => r())) : Promise.resolve();
      // Invocations still running or queued are answered (502, the emulator stopped) before the connections go.
      await pool.stop();
      server?.closeIdleConnections();
      await new Promise((r) => setImmediate(r));
      server?.closeAllConnections();
      await closed;
      if (opts.transcript !== undefined) {
        writeFileSync(opts.transcript, `${JSON.stringify({ spec: spec.name, entries: pool.transcript() }, null, 1)}\n`);
        io.err(`emulate: wrote the transcript to ${opts.transcript}\n`);
      }
    })());

  try {
    io.err(`emulate: function timeout ${timeout / 1000} s (${spec.env.find((e) => e.timeout)!.name})\n`);
    await pool.start();
    for (const event of events) {
      const result = await Promise.race([pool.invoke(event.body), done.then(() => undefined)]);
      if (!result) break;
      total++;
      if (result.kind !== "response") failed++;
      io.out(describeResult(event.name, result, spec));
    }
    if (serving) {
      if (opts.watch) {
        const { watchSources, runMake } = await import("./watch.js");
        io.err(`emulate: watching ${dir}: a change rebuilds with make and restarts the bootstrap\n`);
        stopWatch = watchSources({
          dir,
          onChange: async (changed) => {
            io.err(`emulate: ${changed.slice(0, 3).join(", ")}${changed.length > 3 ? ` and ${changed.length - 3} more` : ""} changed; running make\n`);
            const { code, output } = await runMake(dir);
            if (code !== 0) {
              io.err(output.endsWith("\n") || output === "" ? output : `${output}\n`);
              io.err(`emulate: make failed (status ${code}); still serving the last good build\n`);
              return;
            }
            io.err(`emulate: rebuilt; restarting the bootstrap${instances > 1 ? ` (${instances} instances)` : ""}\n`);
            pool.restartAll();
          },
        });
      }
      const where = `http://127.0.0.1:${port}`;
      const many = instances > 1 ? ` (${instances} instances)` : "";
      if (opts.apig) io.err(`emulate: API Gateway listening on ${where}${many}; try: curl -i ${where}/hello?name=world  (Ctrl-C stops)\n`);
      else io.err(`emulate: serving${many}; try: curl -d @event.json ${where}/invoke  (Ctrl-C stops)\n`);
      await done;
    }
  } finally {
    await shutdown();
  }
  if (!serving && failed > 0) throw new UserError(`${failed} of ${total} invocations failed`, EXIT_INVOCATION_FAILED);
}

const STATUS: Record<InvocationResult["kind"], number> = { response: 200, error: 500, timeout: 504, crash: 502, unanswered: 502 };

/** `POST /invoke`: the request body is the event; spec headers in the request go with it. */
async function invokeOverHttp(
  req: IncomingMessage,
  res: ServerResponse,
  pool: Pool,
  spec: Spec,
  io: Io,
  counted: () => void,
  failed: () => void,
): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method !== "POST" || path !== "/invoke") {
    req.resume();
    const body = "POST the event to /invoke, e.g. curl -d @event.json http://HOST:PORT/invoke\n";
    res.writeHead(404, { "content-type": "text/plain", "content-length": Buffer.byteLength(body) }).end(body);
    return;
  }
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers: Record<string, string> = {};
  for (const h of spec.headers) {
    const v = req.headers[h.name.toLowerCase()];
    if (!h.requestId && typeof v === "string") headers[h.name] = v;
  }
  const pending = pool.tryInvoke(Buffer.concat(chunks), headers);
  if (!pending) {
    const body = `${JSON.stringify({ error: `too many requests: all ${pool.size} instance(s) are busy and ${pool.maxQueue} invocation(s) are waiting; retry later, or raise --instances or --max-queue` })}\n`;
    io.err(`emulate: POST /invoke 429: the queue is full (${pool.maxQueue})\n`);
    res.writeHead(429, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "retry-after": "1" }).end(body);
    return;
  }
  const result = await pending;
  counted();
  if (result.kind !== "response") failed();
  io.out(describeResult(`POST /invoke ${result.requestId}`.trimEnd(), result, spec));
  const body = result.kind === "response" || result.kind === "error" ? result.body : Buffer.from(`${JSON.stringify({ error: result.reason })}\n`);
  res
    .writeHead(STATUS[result.kind], {
      "content-type": "application/json",
      "content-length": body.length,
      "x-fg-result": result.kind,
      "x-fg-request-id": result.requestId,
      "x-fg-duration-ms": result.ms.toFixed(1),
    })
    .end(body);
}
