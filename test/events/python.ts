import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pyString } from "../../src/targets/python.js";
import type { BuildProbe, ProbeResult } from "./probe.js";

/** A parsed JSON value as a Python literal (true → True, null → None, strings quoted as ruff would). */
function pyLiteral(value: unknown, indent = ""): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return pyString(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) return value.length ? `[\n${value.map((v) => `${inner}${pyLiteral(v, inner)},\n`).join("")}${indent}]` : "[]";
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length ? `{\n${entries.map(([k, v]) => `${inner}${pyString(k)}: ${pyLiteral(v, inner)},\n`).join("")}${indent}}` : "{}";
}

function run(cmd: string, args: string[], cwd: string, input?: string) {
  const r = spawnSync(cmd, args, { cwd, input, encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
  if (r.error) throw r.error;
  return r;
}

/**
 * The Python probe: a copy of the output with test/events/python/probe.py beside the fgruntime
 * package, run with `python3 -S` once per trigger (the sample on stdin). It projects the parsed
 * event onto the keys of its trigger's TypedDict (events.TRIGGERS) with typing.get_type_hints,
 * recursively, and calls the decode helpers. The typecheck assigns every sample, as a literal,
 * to a variable of its trigger's TypedDict and runs mypy --strict on it: a renamed or missing
 * key fails it.
 */
export const buildProbe: BuildProbe = (outDir, workDir) => {
  const dir = join(workDir, "python-probe");
  rmSync(dir, { recursive: true, force: true });
  cpSync(outDir, dir, { recursive: true });
  copyFileSync(join(import.meta.dirname, "python/probe.py"), join(dir, "probe.py"));
  const list = run("python3", ["-S", "probe.py", "--triggers"], dir);
  if (list.status !== 0) throw new Error(`the Python probe cannot load fgruntime.events (status ${list.status}): ${list.stderr}`);
  const types = JSON.parse(list.stdout) as Record<string, string>;
  return {
    triggers: Object.keys(types),
    decode(trigger: string, event: string): ProbeResult {
      const r = run("python3", ["-S", "probe.py", trigger], dir, event);
      if (r.status !== 0) throw new Error(`the Python probe failed on ${trigger} (status ${r.status}): ${r.stderr}`);
      return JSON.parse(r.stdout) as ProbeResult;
    },
    typecheck(samples: Record<string, string>): void {
      const used = Object.keys(samples).map((trigger) => {
        const type = types[trigger];
        if (!type) throw new Error(`fgruntime.events has no type for the ${trigger} trigger`);
        return type;
      });
      const lines = ['"""Every sample event as a literal of its trigger\'s TypedDict."""', "", "from __future__ import annotations", ""];
      lines.push(`from fgruntime.events import ${[...new Set(used)].sort().join(", ")}`, "");
      for (const [trigger, text] of Object.entries(samples)) {
        lines.push(`${trigger.replace(/\W/g, "_").toUpperCase()}: ${types[trigger]} = ${pyLiteral(JSON.parse(text))}`, "");
      }
      writeFileSync(join(dir, "samples.py"), lines.join("\n"));
      const r = run("mypy", ["--strict", "--config-file=", "--cache-dir=/dev/null", "samples.py"], dir);
      if (r.status !== 0) throw new Error(`mypy --strict on the samples as typed literals failed:\n${r.stdout}${r.stderr}`);
    },
  };
};
