import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import type { Spec } from "../spec.js";
import { RuntimeApi, type EventSource, type GetFault, type InvocationResult, type PostFault } from "./api.js";
import { Instance, type ExitInfo } from "./instance.js";

export interface EmulatorOptions {
  spec: Spec;
  /** The function's folder: the bootstrap's working directory. */
  dir: string;
  /** argv of the bootstrap: `[dir/bootstrap]`, or `[shell, dir/bootstrap]`. */
  command: string[];
  /** The bootstrap's environment, without the API address (the emulator adds it). */
  env: Record<string, string>;
  /** Values for the spec's non-ID headers on every event. */
  headerValues?: Record<string, string>;
  /** The function's timeout; 0 or absent: none. */
  timeoutMs?: number;
  /** Record a transcript (bodies included). */
  record?: boolean;
  getFaults?: Record<number, GetFault>;
  postFaults?: Record<number, PostFault>;
  /** Port of the runtime API (0 or absent: a free one), always on 127.0.0.1. */
  port?: number;
  /** Fault: start the bootstrap first and the API this many milliseconds later. */
  listenDelayMs?: number;
  onOutput?(stream: "stdout" | "stderr", chunk: Buffer): void;
  /** Called when the bootstrap starts or exits, for the user's log. */
  onLifecycle?(message: string): void;
  /** Time between SIGTERM and SIGKILL when stopping (default 2000 ms). */
  stopGraceMs?: number;
}

/** After this many exits in a row within QUICK_MS of starting, the emulator gives up on the bootstrap. */
const MAX_QUICK_EXITS = 5;
const QUICK_MS = 1000;

/**
 * Runs one function instance against an emulated runtime API: starts the bootstrap with the
 * spec's environment, enforces the timeout (kills and restarts the bootstrap), restarts a
 * bootstrap that exits, and stops it with SIGTERM then SIGKILL.
 */
export class Emulator {
  readonly api: RuntimeApi;
  addr = "";
  instance: Instance | undefined;
  /** Set when the bootstrap kept exiting and the emulator stopped restarting it. */
  gaveUp: string | undefined;
  private stopping = false;
  private expectedExit = false;
  private quickExits = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private listenTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: EmulatorOptions) {
    this.api = new RuntimeApi(options.spec, options.headerValues, {
      record: options.record,
      getFaults: options.getFaults,
      postFaults: options.postFaults,
    });
    const timeoutMs = options.timeoutMs ?? 0;
    if (timeoutMs > 0) {
      // One timer, re-armed on every event handed out: no allocation per invocation.
      this.timer = setTimeout(() => this.checkTimeouts(timeoutMs), timeoutMs);
      this.timer.unref();
      this.api.onDispatch = () => this.timer!.refresh();
    }
  }

  /** Starts the API and the bootstrap; resolves with the API's `host:port`. */
  async start(): Promise<string> {
    const delay = this.options.listenDelayMs ?? 0;
    if (delay > 0) {
      const port = this.options.port || (await freePort());
      this.addr = `127.0.0.1:${port}`;
      this.spawn();
      await new Promise<void>((resolve, reject) => {
        this.listenTimer = setTimeout(() => {
          this.api.note({ type: "listen" });
          this.api.listen(port).then(() => {
            this.options.onLifecycle?.(`runtime API listening on http://${this.addr} (late, as asked)`);
            resolve();
          }, reject);
        }, delay);
      });
      return this.addr;
    }
    this.addr = await this.api.listen(this.options.port ?? 0);
    this.options.onLifecycle?.(`runtime API listening on http://${this.addr}`);
    this.spawn();
    return this.addr;
  }

  /** Queues an event; resolves with the function's answer, a timeout, or a crash. */
  invoke(event: EventSource, headers?: Record<string, string>, requestId?: string): Promise<InvocationResult> {
    if (this.gaveUp) {
      return Promise.resolve({ requestId: "", kind: "crash", body: Buffer.alloc(0), ms: 0, reason: this.gaveUp });
    }
    return this.api.invoke(event, headers, requestId);
  }

  /**
   * Sends a signal to the bootstrap (only to its main process unless `group`) and waits for it to
   * exit, without restarting it; SIGKILLs the group after `killAfterMs`. For tests of shutdown.
   */
  async terminate(signal: NodeJS.Signals, { group = false, killAfterMs = 5000 } = {}): Promise<ExitInfo & { ms: number; leftovers: number[] }> {
    const instance = this.instance;
    if (!instance) throw new Error("no bootstrap is running");
    this.expectedExit = true;
    const t0 = performance.now();
    instance.signal(signal, group);
    const timer = setTimeout(() => instance.signal("SIGKILL"), killAfterMs);
    const info = await instance.exited;
    const ms = performance.now() - t0;
    clearTimeout(timer);
    // Give orphans a moment to show (or to go), then look.
    await new Promise((r) => setTimeout(r, 100));
    const leftovers = instance.leftovers();
    instance.signal("SIGKILL");
    return { ...info, ms, leftovers };
  }

  /** Stops the bootstrap (SIGTERM, then SIGKILL) and the API. */
  async stop(): Promise<ExitInfo | undefined> {
    this.stopping = true;
    clearTimeout(this.timer);
    clearTimeout(this.restartTimer);
    clearTimeout(this.listenTimer);
    const info = await this.instance?.stop(this.options.stopGraceMs ?? 2000);
    for (const id of this.api.inFlightIds) this.api.abandon(id, "crash", "the emulator stopped");
    this.api.failQueued("the emulator stopped");
    await this.api.close();
    return info;
  }

  /**
   * Replaces the bootstrap by a fresh process (after a rebuild): SIGTERM, then SIGKILL after the
   * grace period, then a new start. Also revives a bootstrap the emulator gave up on. Call it
   * while no invocation is in flight (the pool does).
   */
  async restart(): Promise<void> {
    if (this.stopping) return;
    clearTimeout(this.restartTimer);
    const instance = this.instance;
    if (this.gaveUp !== undefined || !instance?.running) {
      this.gaveUp = undefined;
      this.quickExits = 0;
      this.spawn();
      return;
    }
    this.expectedExit = true;
    this.restartAfterKill = true;
    this.api.note({ type: "kill", signal: "SIGTERM", why: "rebuild" });
    await instance.stop(this.options.stopGraceMs ?? 2000);
  }

  private spawn(): void {
    const { spec, dir, command, env, onOutput } = this.options;
    this.api.dropWaiting();
    const instance = new Instance({ cwd: dir, command, env: { ...env, [spec.apiAddressEnv]: this.addr }, onOutput });
    this.instance = instance;
    this.expectedExit = false;
    this.api.note({ type: "start", pid: instance.pid });
    this.options.onLifecycle?.(`started ${command.join(" ")} (pid ${instance.pid ?? "none"})`);
    void instance.exited.then((info) => this.onExit(instance, info));
  }

  private onExit(instance: Instance, info: ExitInfo): void {
    if (instance !== this.instance) return;
    this.api.dropWaiting();
    const expected = this.expectedExit || this.stopping;
    this.api.note({ type: "exit", code: info.code, signal: info.signal, expected });
    if (this.stopping) return;
    const how = info.error ?? (info.signal ? `was killed by ${info.signal}` : `exited with status ${info.code}`);
    // An exit asked for (terminate) still loses what was in flight: say so now, not at the timeout.
    for (const id of this.api.inFlightIds) this.api.abandon(id, "crash", `the bootstrap ${how} before answering`);
    if (this.expectedExit && !this.restartAfterKill) return;
    if (!expected) this.options.onLifecycle?.(`the bootstrap ${how}`);
    const lived = performance.now() - instance.startedAt;
    this.quickExits = expected ? 0 : lived < QUICK_MS ? this.quickExits + 1 : 0;
    if (this.quickExits >= MAX_QUICK_EXITS || info.error) {
      this.gaveUp = info.error ?? `the bootstrap ${how} ${this.quickExits} times in a row right after starting; gave up restarting it`;
      this.options.onLifecycle?.(this.gaveUp);
      this.api.failQueued(this.gaveUp);
      return;
    }
    this.restartAfterKill = false;
    const delay = this.quickExits === 0 ? 0 : Math.min(100 * 2 ** (this.quickExits - 1), 2000);
    this.restartTimer = setTimeout(() => this.spawn(), delay);
  }

  private restartAfterKill = false;

  private checkTimeouts(timeoutMs: number): void {
    if (this.stopping) return;
    const ids = this.api.inFlightIds;
    if (ids.length === 0) return;
    for (const id of ids) this.api.abandon(id, "timeout", `no answer within the function's timeout of ${timeoutMs / 1000} s`);
    this.options.onLifecycle?.(`invocation timed out after ${timeoutMs / 1000} s; restarting the bootstrap`);
    const instance = this.instance;
    if (!instance?.running) return;
    this.expectedExit = true;
    this.restartAfterKill = true;
    this.api.note({ type: "kill", signal: "SIGKILL", why: "timeout" });
    void instance.kill();
  }
}

/** A free TCP port on loopback (closed again, so that a later listen can take it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
