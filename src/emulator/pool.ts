import type { EventSource, InvocationResult } from "./api.js";
import { Emulator, type EmulatorOptions } from "./emulator.js";
import type { TranscriptEntry } from "./transcript.js";

export interface PoolOptions extends EmulatorOptions {
  /** Bootstrap instances, each with its own runtime API (default 1). */
  instances?: number;
  /** Invocations that may wait for a free instance; beyond that `tryInvoke` refuses (default 100). */
  maxQueue?: number;
}

interface Job {
  event: EventSource;
  headers: Record<string, string> | undefined;
  resolve(result: InvocationResult): void;
}

export const DEFAULT_MAX_QUEUE = 100;

/**
 * N function instances, as FunctionGraph scales out: each invocation goes to a free instance, the
 * rest wait here (not in an instance's API), so that an instance that crashes loses only the one
 * invocation it was running (reported as a crash by its Emulator) and the others' work goes on.
 */
export class Pool {
  readonly emulators: Emulator[];
  readonly maxQueue: number;
  private readonly idle: Emulator[] = [];
  private readonly queue: Job[] = [];
  private readonly restartWanted = new Set<Emulator>();
  private stopped = false;

  constructor(options: PoolOptions) {
    const n = options.instances ?? 1;
    this.maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
    this.emulators = Array.from({ length: n }, (_, i) => {
      const label = n > 1 ? `instance ${i + 1}: ` : "";
      return new Emulator({ ...options, onLifecycle: options.onLifecycle && ((m) => options.onLifecycle!(`${label}${m}`)) });
    });
    this.idle.push(...this.emulators);
  }

  get size(): number {
    return this.emulators.length;
  }

  /** Invocations waiting for a free instance. */
  get queued(): number {
    return this.queue.length;
  }

  async start(): Promise<void> {
    await Promise.all(this.emulators.map((e) => e.start()));
  }

  /**
   * Runs the event on a free instance, or queues it; undefined when the queue is full (the
   * caller answers 429). An event may be a function of its request ID (see RuntimeApi.invoke).
   */
  tryInvoke(event: EventSource, headers?: Record<string, string>): Promise<InvocationResult> | undefined {
    if (this.stopped) return Promise.resolve(stoppedResult());
    const emu = this.takeIdle();
    if (emu) return new Promise((resolve) => this.run(emu, { event, headers, resolve }));
    if (this.queue.length >= this.maxQueue) return undefined;
    return new Promise((resolve) => this.queue.push({ event, headers, resolve }));
  }

  /** Like tryInvoke, without the bound: for the events of --event, which come one at a time. */
  invoke(event: EventSource, headers?: Record<string, string>): Promise<InvocationResult> {
    return this.tryInvoke(event, headers) ?? new Promise((resolve) => this.queue.push({ event, headers, resolve }));
  }

  /** Restarts every instance (after a rebuild): a free one now, a busy one when its invocation ends. */
  restartAll(): void {
    for (const emu of this.emulators) this.restartWanted.add(emu);
    for (const emu of this.idle.splice(0)) this.release(emu);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.emulators.map((e) => e.stop()));
    for (const job of this.queue.splice(0)) job.resolve(stoppedResult());
  }

  /** Every instance's transcript; with several, each entry says which instance (1-based). */
  transcript(): TranscriptEntry[] | (TranscriptEntry & { instance: number })[] {
    if (this.emulators.length === 1) return this.emulators[0]!.api.transcript;
    return this.emulators
      .flatMap((e, i) => e.api.transcript.map((entry) => ({ ...entry, instance: i + 1 })))
      .sort((a, b) => a.t - b.t);
  }

  /** A free instance that is still alive; one given up on only when none is left (it fails at once). */
  private takeIdle(): Emulator | undefined {
    const alive = this.idle.findIndex((e) => e.gaveUp === undefined);
    if (alive >= 0) return this.idle.splice(alive, 1)[0];
    if (this.emulators.every((e) => e.gaveUp !== undefined)) return this.idle.shift();
    return undefined;
  }

  private run(emu: Emulator, job: Job): void {
    void emu.invoke(job.event, job.headers).then((result) => {
      job.resolve(result);
      this.release(emu);
    });
  }

  private release(emu: Emulator): void {
    if (this.stopped) return;
    if (this.restartWanted.delete(emu)) {
      void emu.restart().then(() => this.release(emu));
      return;
    }
    const job = this.queue.length > 0 && (emu.gaveUp === undefined || this.emulators.every((e) => e.gaveUp !== undefined)) ? this.queue.shift() : undefined;
    if (job) return this.run(emu, job);
    this.idle.push(emu);
  }
}

function stoppedResult(): InvocationResult {
  return { requestId: "", kind: "crash", body: Buffer.alloc(0), ms: 0, reason: "the emulator stopped" };
}
