import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BuildProbe, ProbeResult } from "./probe.js";

/**
 * The Go probe: a copy of the output with a `package main` of its own under cmd/probe
 * (test/events/go/probe.go) that imports function/fgruntime/events, built once with go build,
 * then run once per trigger: the sample on stdin, the trigger as the argument. It names the
 * triggers it decodes itself (-triggers).
 */
export const buildProbe: BuildProbe = (outDir, workDir) => {
  const dir = join(workDir, "go-probe");
  rmSync(dir, { recursive: true, force: true });
  cpSync(outDir, dir, { recursive: true });
  mkdirSync(join(dir, "cmd/probe"), { recursive: true });
  copyFileSync(join(import.meta.dirname, "go/probe.go"), join(dir, "cmd/probe/main.go"));
  const bin = join(dir, "probe");
  try {
    execFileSync("go", ["build", "-o", bin, "./cmd/probe"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CGO_ENABLED: "0" } });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`building the Go probe failed:\n${e.stdout ?? ""}${e.stderr ?? String(err)}`);
  }
  const triggers = execFileSync(bin, ["-triggers"], { encoding: "utf8" }).split("\n").filter(Boolean).sort();
  return {
    triggers,
    decode(trigger: string, event: string): ProbeResult {
      const r = spawnSync(bin, [trigger], { input: event, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`the Go probe failed on ${trigger} (status ${r.status}): ${r.stderr}`);
      return JSON.parse(r.stdout) as ProbeResult;
    },
  };
};
