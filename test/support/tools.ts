import { spawnSync } from "node:child_process";

/** Runs a checker; returns its combined output, and its exit status for the assertion message. */
export function check(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  if (r.error) throw new Error(`${cmd} could not run (${r.error.message}): run scripts/install-tools.sh`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
