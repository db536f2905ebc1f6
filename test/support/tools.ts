import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Runs a checker; returns its combined output, and its exit status for the assertion message. */
export function check(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  if (r.error) throw new Error(`${cmd} could not run (${r.error.message}): run scripts/install-tools.sh`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Every file under dir (relative path -> bytes, mode bits, mtime), for before/after comparisons. */
export function snapshotFiles(dir: string): Map<string, { text: string; mode: number; mtime: number }> {
  const files = new Map<string, { text: string; mode: number; mtime: number }>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const st = statSync(path);
        files.set(relative(dir, path), { text: readFileSync(path, "utf8"), mode: st.mode, mtime: st.mtimeMs });
      }
    }
  };
  walk(dir);
  return files;
}
