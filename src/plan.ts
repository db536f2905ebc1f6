import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { GeneratedFile } from "./generate.js";
import { sha256 } from "./hash.js";
import { MANIFEST, type Manifest } from "./manifest.js";

/**
 * What regeneration does to one path:
 * - create / update / delete: a write the folder needs to match the spec;
 * - keep: already right; skip: the user's file, left alone;
 * - conflict: a generated file edited by hand (or a file fg-bootgen did not write in its way),
 *   which only --force may overwrite or delete.
 */
export type Action = "create" | "update" | "delete" | "keep" | "skip" | "conflict";

export interface Step {
  path: string;
  action: Action;
  owner: "generated" | "user";
  /** What is on disk now (undefined when absent). */
  current?: string;
  /** What regeneration would write (undefined for a delete). */
  next?: string;
  executable: boolean;
  reason?: string;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return readFileSync(path, "utf8"); // synchronous: nothing else to do meanwhile
  } catch {
    return undefined;
  }
}

/**
 * Compares the folder with what the spec generates. Reads only; never writes. A file the old
 * manifest does not list is never changed or deleted unless `force`.
 */
export async function planFolder(dir: string, files: GeneratedFile[], old: Manifest | undefined, force: boolean): Promise<Step[]> {
  const steps: Step[] = [];
  // A new folder has none of the files: no need to fail to read each one (a thrown error apiece).
  const fresh = old === undefined && !existsSync(dir);
  for (const file of files) {
    const current = fresh ? undefined : await readIfExists(join(dir, file.path));
    const base = { path: file.path, owner: file.owner, current, next: file.contents, executable: file.executable };
    const recorded = old?.files[file.path];
    if (current === undefined) steps.push({ ...base, action: "create" });
    else if (file.owner === "user") steps.push({ ...base, action: force && current !== file.contents ? "update" : "skip" });
    else if (current === file.contents) steps.push({ ...base, action: "keep" });
    else if (force) steps.push({ ...base, action: "update" });
    else if (!recorded) steps.push({ ...base, action: "conflict", reason: "exists but fg-bootgen did not write it" });
    else if (recorded.sha256 !== sha256(current)) steps.push({ ...base, action: "conflict", reason: "was edited by hand" });
    else steps.push({ ...base, action: "update" });
  }
  const produced = new Set(files.map((f) => f.path));
  for (const [path, entry] of Object.entries(old?.files ?? {})) {
    // Stale user files stay: they are the user's. Stale generated files go, unless edited.
    if (produced.has(path) || entry.owner === "user" || path === MANIFEST) continue;
    const current = await readIfExists(join(dir, path));
    if (current === undefined) continue;
    const edited = sha256(current) !== entry.sha256;
    steps.push({
      path,
      owner: "generated",
      current,
      executable: false,
      action: edited && !force ? "conflict" : "delete",
      reason: edited ? "is no longer generated but was edited by hand" : "is no longer generated",
    });
  }
  return steps;
}

export const changes = (steps: Step[]) => steps.filter((s) => s.action === "create" || s.action === "update" || s.action === "delete");
export const conflicts = (steps: Step[]) => steps.filter((s) => s.action === "conflict");
