import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CARGO_TARGET_DIR } from "../support/outputs.js";
import type { BuildProbe, ProbeResult } from "./probe.js";

/** The triggers whose decode helpers the probe calls by name (probe.ts: ProbeResult.decoded). */
const SPECIAL = ["apig", "dis", "lts"];

/** Trigger → type, from the generated events.rs ("The whole event of the `obs` trigger."). */
function triggerTypes(eventsRs: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of eventsRs.matchAll(/The whole event of the `([^`]+)` trigger\.\n(?:#\[.*\n)*pub struct (\w+)/g)) found.set(m[1]!, m[2]!);
  return found;
}

/**
 * The Rust probe: a copy of the output with src/main.rs replaced by test/events/rust/main.rs
 * (which keeps `mod fgruntime;`; the triggers without decode helpers are matched from the types
 * the generated events.rs marks as a trigger's whole event), built once with the output's Makefile and the shared cargo
 * target folder, then run once per trigger: the sample on stdin, the trigger as the argument.
 */
export const buildProbe: BuildProbe = (outDir, workDir) => {
  const dir = join(workDir, "rust-probe");
  rmSync(dir, { recursive: true, force: true });
  cpSync(outDir, dir, { recursive: true });
  rmSync(join(dir, "bootstrap"), { force: true });
  const types = triggerTypes(readFileSync(join(dir, "src/fgruntime/events.rs"), "utf8"));
  const arms = [...types].filter(([t]) => !SPECIAL.includes(t)).map(([t, type]) => `"${t}" => return plain::<${type}>(input),`);
  const main = readFileSync(join(import.meta.dirname, "rust/main.rs"), "utf8").replace("// @plain-triggers", arms.join("\n        "));
  writeFileSync(join(dir, "src/main.rs"), main);
  try {
    execFileSync("make", ["-s"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CARGO_TARGET_DIR } });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`building the Rust probe failed:\n${e.stdout ?? ""}${e.stderr ?? String(err)}`);
  }
  return {
    triggers: [...types.keys()],
    decode(trigger: string, event: string): ProbeResult {
      const r = spawnSync(join(dir, "bootstrap"), [trigger], { input: event, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`the Rust probe failed on ${trigger} (status ${r.status}): ${r.stderr}`);
      return JSON.parse(r.stdout) as ProbeResult;
    },
  };
};
