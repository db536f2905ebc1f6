import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export interface InstanceOptions {
  /** Working directory: the function's code root. */
  cwd: string;
  /** argv: `[/path/to/bootstrap]`, or `[shell, ...args, /path/to/bootstrap]`. */
  command: string[];
  /** The complete environment of the process. */
  env: Record<string, string>;
  onOutput?(stream: "stdout" | "stderr", chunk: Buffer): void;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT, EACCES). */
  error?: string;
}

/**
 * One running bootstrap process, in its own process group so that stopping it also stops
 * whatever it started (a shell runtime's curl, a handler's children).
 */
export class Instance {
  readonly child: ChildProcess;
  readonly startedAt = performance.now();
  /** Resolves when the process has exited (or failed to start). */
  readonly exited: Promise<ExitInfo>;
  private exit: ExitInfo | undefined;

  constructor(options: InstanceOptions) {
    const [cmd, ...args] = options.command;
    this.child = spawn(cmd!, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const { onOutput } = options;
    if (onOutput) {
      for (const stream of ["stdout", "stderr"] as const) {
        // Chunks handed on end between UTF-8 characters, so that a reader decoding each one
        // alone (emulate writes them to its stderr) never splits a character in two.
        let held: Buffer = Buffer.alloc(0);
        const pipe = this.child[stream]!;
        pipe.on("data", (c: Buffer) => {
          const data = held.length > 0 ? Buffer.concat([held, c]) : c;
          const cut = wholeCharacters(data);
          held = data.subarray(cut);
          if (cut > 0) onOutput(stream, data.subarray(0, cut));
        });
        pipe.on("end", () => {
          if (held.length > 0) onOutput(stream, held);
        });
      }
    } else {
      this.child.stdout!.resume();
      this.child.stderr!.resume();
    }
    this.exited = new Promise((resolve) => {
      this.child.once("error", (err: NodeJS.ErrnoException) => {
        // An error after the process ran (e.g. a failed kill) is not an exit.
        if (this.child.pid !== undefined && err.code !== "ENOENT" && err.code !== "EACCES") return;
        this.exit = { code: null, signal: null, error: `cannot start ${cmd}: ${err.code ?? err.message}` };
        resolve(this.exit);
      });
      // "close" waits for stdout and stderr to end too, so no output is lost after the exit.
      this.child.once("close", (code, signal) => {
        this.exit ??= { code, signal };
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal to the process, or to its whole process group. */
  signal(signal: NodeJS.Signals, group = true): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(group ? -pid : pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** Processes still in the instance's process group (Linux; elsewhere always empty). */
  leftovers(): number[] {
    return this.child.pid === undefined ? [] : groupMembers(this.child.pid);
  }

  /** SIGTERM to the group, then SIGKILL to what is left after `graceMs`; resolves once all is gone. */
  async stop(graceMs = 2000): Promise<ExitInfo> {
    if (this.running) {
      this.signal("SIGTERM");
      const timer = setTimeout(() => this.signal("SIGKILL"), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    this.killLeftovers();
    return this.exited;
  }

  /** SIGKILL to the group at once. */
  async kill(): Promise<ExitInfo> {
    this.signal("SIGKILL");
    const info = await this.exited;
    this.killLeftovers();
    return info;
  }

  private killLeftovers(): void {
    if (this.leftovers().length > 0) this.signal("SIGKILL");
  }
}

/** The processes whose process group is `pgid`, from /proc (Linux). */
export function groupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses; parse after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (rest[0] !== "Z" && Number(rest[2]) === pgid) out.push(Number(name));
    } catch {
      // The process went away meanwhile.
    }
  }
  return out;
}

/** Resident memory of a process in KiB (VmRSS from /proc; undefined elsewhere or if it is gone). */
export function rssKiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** How many leading bytes of `b` end on a UTF-8 character boundary (an unfinished sequence at the end is left out). */
export function wholeCharacters(b: Buffer): number {
  // A sequence is at most 4 bytes: look at the last 3 for the lead byte of an unfinished one.
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const byte = b[b.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = byte >= 0xf8 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? b.length - back : b.length;
  }
  return b.length;
}
