import { randomBytes } from "node:crypto";
import fs from "fs-extra";
import { dirname, join } from "node:path";
import { UserError } from "./errors.js";
import type { GeneratedFile } from "./generate.js";

export type Action = "create" | "update" | "keep" | "skip";

export interface PlannedFile extends GeneratedFile {
  action: Action;
}

/**
 * Decides what happens to each file: generated files are rewritten when they differ, user files
 * are created only when absent (or rewritten with `force`).
 */
export async function plan(dir: string, files: GeneratedFile[], force: boolean): Promise<PlannedFile[]> {
  return Promise.all(
    files.map(async (file): Promise<PlannedFile> => {
      let current: string | undefined;
      try {
        current = await fs.readFile(join(dir, file.path), "utf8");
      } catch {
        current = undefined;
      }
      if (current === undefined) return { ...file, action: "create" };
      if (current === file.contents) return { ...file, action: "keep" };
      if (file.owner === "user" && !force) return { ...file, action: "skip" };
      return { ...file, action: "update" };
    }),
  );
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message;
}

/**
 * Writes the planned files all or nothing: every file goes to a temporary name beside its target
 * first, and only when all of them are on disk are they renamed into place (rename is atomic).
 */
export async function writePlan(dir: string, files: PlannedFile[]): Promise<void> {
  const todo = files.filter((f) => f.action === "create" || f.action === "update");
  const staged: { tmp: string; dest: string }[] = [];
  const suffix = `.fg-bootgen-${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    for (const file of todo) {
      const dest = join(dir, file.path);
      await fs.mkdirp(dirname(dest));
      const tmp = dest + suffix;
      staged.push({ tmp, dest });
      await fs.writeFile(tmp, file.contents, { mode: file.executable ? 0o755 : 0o644 });
      // writeFile's mode is masked by the umask; the package needs exactly these bits.
      await fs.chmod(tmp, file.executable ? 0o755 : 0o644);
    }
  } catch (err) {
    await Promise.all(staged.map((s) => fs.rm(s.tmp, { force: true })));
    throw new UserError(
      `cannot write to ${dir} (${describe(err)}): choose another --out folder or fix its permissions; nothing was written`,
    );
  }
  for (const { tmp, dest } of staged) await fs.rename(tmp, dest);
}
