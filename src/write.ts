import { dirname, join } from "node:path";
// Synchronous calls, in the same order as awaited ones: a CLI has nothing to do meanwhile, and
// each call spares a round trip through the thread pool.
import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { UserError } from "./errors.js";
import type { Step } from "./plan.js";

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message;
}

/** Removes now-empty folders between a deleted file and the output folder itself. */
async function pruneEmpty(dir: string, path: string): Promise<void> {
  for (let d = dirname(join(dir, path)); d.startsWith(dir) && d !== dir; d = dirname(d)) {
    if (readdirSync(d).length > 0) return;
    rmdirSync(d);
  }
}

/**
 * Applies a plan all or nothing: every new file goes to a temporary name beside its target first;
 * only when all are on disk are they renamed into place (rename is atomic), then stale files go.
 */
export async function applyPlan(dir: string, steps: Step[]): Promise<void> {
  // The plan lists the manifest last, so it is renamed into place after every file it describes.
  const writes = steps
    .filter((s) => s.action === "create" || s.action === "update")
    .map((s) => ({ path: s.path, text: s.next ?? "", mode: s.executable ? 0o755 : 0o644 }));
  const staged: { tmp: string; dest: string }[] = [];
  // Unique to this run (no random bytes: node:crypto costs more to load than the whole write);
  // "wx" refuses to reuse a name that exists all the same, rather than writing into another's file.
  const suffix = `.fg-bootgen-${process.pid}-${Date.now().toString(36)}.tmp`;
  const made = new Set<string>();
  try {
    for (const w of writes) {
      const dest = join(dir, w.path);
      const parent = dirname(dest);
      if (!made.has(parent)) mkdirSync(parent, { recursive: true });
      made.add(parent);
      const tmp = dest + suffix;
      writeFileSync(tmp, w.text, { flag: "wx" });
      staged.push({ tmp, dest });
      // Set explicitly: the umask must not decide the modes that the package ships.
      chmodSync(tmp, w.mode);
    }
  } catch (err) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw new UserError(`cannot write to ${dir} (${describe(err)}): choose another --out folder or fix its permissions; nothing was written`);
  }
  for (const { tmp, dest } of staged) renameSync(tmp, dest);
  for (const s of steps.filter((step) => step.action === "delete")) {
    rmSync(join(dir, s.path), { force: true });
    await pruneEmpty(dir, s.path);
  }
}
