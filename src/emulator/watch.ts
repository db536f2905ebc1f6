import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Folders that hold build output, dependencies or history, not the function's sources. */
const SKIP_DIRS = new Set([".git", "node_modules", "target", "__pycache__", ".cache", ".venv", "venv", "dist", "build"]);
/** Files a build writes: their changes must not start another build. */
const SKIP_FILE = /^(bootstrap|.*\.(zip|pyc|o|a|so|tmp|swp)|.*~)$/;

export interface WatchOptions {
  dir: string;
  /** Milliseconds between looks (default 300). */
  intervalMs?: number;
  /** A file changed (after the last build): rebuild. The watcher waits for it before looking again. */
  onChange(changed: string[]): Promise<void>;
}

type Snapshot = Map<string, string>;

/** Size and modification time of every source file under dir. */
function snapshot(dir: string): Snapshot {
  const out: Snapshot = new Map();
  const walk = (d: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && depth < 8) walk(p, depth + 1);
      } else if (e.isFile() && !SKIP_FILE.test(e.name)) {
        try {
          const st = statSync(p);
          out.set(relative(dir, p), `${st.size}:${st.mtimeMs}`);
        } catch {
          // Removed meanwhile.
        }
      }
    }
  };
  walk(dir, 0);
  return out;
}

function diff(a: Snapshot, b: Snapshot): string[] {
  const changed: string[] = [];
  for (const [k, v] of b) if (a.get(k) !== v) changed.push(k);
  for (const k of a.keys()) if (!b.has(k)) changed.push(k);
  return changed.sort();
}

/**
 * Watches the function's sources by polling their size and time: it works the same on every
 * file system and editor (some replace files, some write them in place), and since the snapshot
 * is retaken after each build, what the build itself writes never triggers another. Returns stop.
 */
export function watchSources(options: WatchOptions): () => void {
  let last = snapshot(options.dir);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const look = async () => {
    if (stopped) return;
    const now = snapshot(options.dir);
    const changed = diff(last, now);
    if (changed.length > 0) {
      // Let an editor finish writing (several files, or a rename) before building.
      await new Promise((r) => setTimeout(r, 100));
      await options.onChange(changed);
      last = snapshot(options.dir);
    }
    if (!stopped) timer = setTimeout(() => void look(), options.intervalMs ?? 300);
  };
  timer = setTimeout(() => void look(), options.intervalMs ?? 300);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Runs `make` in dir; resolves with its exit status and its output (stdout and stderr together). */
export function runMake(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("make", [], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.once("error", (err: NodeJS.ErrnoException) => resolve({ code: 127, output: `cannot run make: ${err.code ?? err.message}\n` }));
    child.once("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}
