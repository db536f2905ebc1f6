import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CARGO_TARGET_DIR } from "../support/outputs.js";
import type { BuildProbe, ProbeResult } from "./probe.js";

const TRIGGERS = ["apig", "timer", "obs", "smn", "dis", "kafka", "rocketmq", "lts", "cts", "dds"];

/**
 * The Rust probe: a copy of the output with src/main.rs replaced by test/events/rust/main.rs
 * (which keeps `mod fgruntime;`), built once with the output's Makefile and the shared cargo
 * target folder, then run once per trigger: the sample on stdin, the trigger as the argument.
 */
export const buildProbe: BuildProbe = (outDir, workDir) => {
  const dir = join(workDir, "rust-probe");
  rmSync(dir, { recursive: true, force: true });
  cpSync(outDir, dir, { recursive: true });
  rmSync(join(dir, "bootstrap"), { force: true });
  copyFileSync(join(import.meta.dirname, "rust/main.rs"), join(dir, "src/main.rs"));
  try {
    execFileSync("make", ["-s"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CARGO_TARGET_DIR } });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`building the Rust probe failed:\n${e.stdout ?? ""}${e.stderr ?? String(err)}`);
  }
  return {
    triggers: TRIGGERS,
    decode(trigger: string, event: string): ProbeResult {
      const r = spawnSync(join(dir, "bootstrap"), [trigger], { input: event, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`the Rust probe failed on ${trigger} (status ${r.status}): ${r.stderr}`);
      return JSON.parse(r.stdout) as ProbeResult;
    },
  };
};
