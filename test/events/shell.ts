import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../support/outputs.js";
import type { BuildProbe, ProbeResult } from "./probe.js";

/**
 * The shell output's probe: the APIG request only (the shell has no event types), read with the
 * generated fg_apig_read by test/events/shell/probe.sh under sh. Nothing to build.
 */
const PROBE = join(ROOT, "test/events/shell/probe.sh");

export const buildProbe: BuildProbe = (outDir, workDir) => {
  let n = 0;
  return {
    triggers: ["apig"],
    decode(trigger: string, event: string): ProbeResult {
      if (trigger !== "apig") throw new Error(`the shell probe decodes the APIG request only, not ${trigger}`);
      const file = join(workDir, `event-${++n}.json`);
      writeFileSync(file, event);
      const r = spawnSync("sh", [PROBE, outDir, file], { encoding: "utf8", env: { ...process.env, TMPDIR: workDir } });
      if (r.error) throw r.error;
      if (r.status !== 0) throw new Error(`probe.sh exited with status ${r.status}: ${r.stderr}`);
      return JSON.parse(r.stdout) as ProbeResult;
    },
  };
};
