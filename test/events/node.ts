import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { ROOT } from "../support/outputs.js";
import type { BuildProbe, ProbeResult } from "./probe.js";

/** An interface of events.d.mts: each declared key and its type's text (`string`, `ObsRecord[]`). */
type Shape = Map<string, string>;

/** The interfaces events.d.mts declares, read with the TypeScript parser. */
function readShapes(file: string): Map<string, Shape> {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const shapes = new Map<string, Shape>();
  for (const node of source.statements) {
    if (!ts.isInterfaceDeclaration(node)) continue;
    const shape: Shape = new Map();
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const name = ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(source);
      shape.set(name, member.type.getText(source));
    }
    shapes.set(node.name.text, shape);
  }
  return shapes;
}

/**
 * A parsed value through the keys the declaration of `type` names, recursively: keys it does not
 * declare are left out, so that a field the type misses (or misspells) shows.
 */
function project(value: unknown, type: string, shapes: Map<string, Shape>): unknown {
  if (type.endsWith("[]")) return Array.isArray(value) ? value.map((v) => project(v, type.slice(0, -2), shapes)) : value;
  const shape = shapes.get(type);
  if (!shape || typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries([...shape].filter(([key]) => key in record).map(([key, t]) => [key, project(record[key], t, shapes)]));
}

/**
 * The Node probe: a copy of the output with test/events/node/probe.mjs beside events.mjs. It runs
 * once per trigger (the sample on stdin) and prints the parsed event and what the decode helpers
 * return; both are projected here through the interfaces of the generated events.d.mts, whose
 * TriggerEvents gives each trigger's type. The typecheck assigns every sample, as a literal, to a
 * const of its trigger's type and runs tsc --strict on it.
 */
export const buildProbe: BuildProbe = (outDir, workDir) => {
  const dir = join(workDir, "node-probe");
  rmSync(dir, { recursive: true, force: true });
  cpSync(outDir, dir, { recursive: true });
  copyFileSync(join(import.meta.dirname, "node/probe.mjs"), join(dir, "probe.mjs"));
  const shapes = readShapes(join(dir, "events.d.mts"));
  const triggerTypes = shapes.get("TriggerEvents");
  if (!triggerTypes) throw new Error(`${outDir}/events.d.mts declares no TriggerEvents`);
  return {
    triggers: [...triggerTypes.keys()],
    decode(trigger: string, event: string): ProbeResult {
      const type = triggerTypes.get(trigger);
      if (!type) throw new Error(`events.d.mts has no type for the ${trigger} trigger`);
      const r = spawnSync(process.execPath, ["probe.mjs", trigger], { cwd: dir, input: event, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`the Node probe failed on ${trigger} (status ${r.status}): ${r.stderr}`);
      const got = JSON.parse(r.stdout) as ProbeResult;
      const decoded = { ...got.decoded };
      if (trigger === "lts") {
        // The LTS helpers' results as their declared types hold them.
        decoded.data = project(decoded.data, "LtsData", shapes);
        decoded.logs = project(decoded.logs, "LtsLog[]", shapes);
      }
      return { event: project(got.event, type, shapes), decoded };
    },
    typecheck(samples: Record<string, string>): void {
      const lines = ['import type { TriggerEvents } from "./events.mjs";', ""];
      for (const [trigger, text] of Object.entries(samples)) {
        if (!triggerTypes.has(trigger)) throw new Error(`events.d.mts has no type for the ${trigger} trigger`);
        lines.push(`export const ${trigger.replace(/\W/g, "_")}: TriggerEvents[${JSON.stringify(trigger)}] = ${text.trim()};`, "");
      }
      writeFileSync(join(dir, "samples.mts"), lines.join("\n"));
      const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
      const args = ["--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext"];
      const types = ["--typeRoots", join(ROOT, "node_modules/@types"), "--types", "node"];
      const r = spawnSync(process.execPath, [tsc, ...args, ...types, "samples.mts"], { cwd: dir, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`tsc --strict on the samples as typed literals failed:\n${r.stdout}${r.stderr}`);
    },
  };
};
