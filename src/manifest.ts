import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "./errors.js";
import type { GeneratedFile } from "./generate.js";

/** The file in each output folder that records what fg-bootgen wrote there, and who owns it. */
export const MANIFEST = ".fg-bootgen.json";

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export interface Manifest {
  generator: "fg-bootgen";
  /** The version that last changed this folder; an upgrade alone does not rewrite the manifest. */
  version: string;
  lang: string;
  specSha256: string;
  /** Built-in templates replaced by --templates, by their path under the templates folder. */
  templateOverrides: string[];
  files: Record<string, { owner: "generated" | "user"; sha256: string }>;
}

/** The manifest's schema, built on first use: zod is only needed when a manifest exists. */
async function manifestSchema() {
  const { z } = await import("zod");
  return z.strictObject({
    generator: z.literal("fg-bootgen"),
    version: z.string(),
    lang: z.string(),
    specSha256: z.string(),
    templateOverrides: z.array(z.string()),
    files: z.record(z.string(), z.strictObject({ owner: z.enum(["generated", "user"]), sha256: z.string() })),
  });
}

export function buildManifest(opts: {
  version: string;
  lang: string;
  specSha256: string;
  templateOverrides: string[];
  files: GeneratedFile[];
}): Manifest {
  const files: Manifest["files"] = {};
  // Code-unit order, not localeCompare: the manifest must not depend on the machine's locale.
  for (const f of [...opts.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    files[f.path] = { owner: f.owner, sha256: sha256(f.contents) };
  }
  return {
    generator: "fg-bootgen",
    version: opts.version,
    lang: opts.lang,
    specSha256: opts.specSha256,
    templateOverrides: [...opts.templateOverrides].sort(),
    files,
  };
}

export function serializeManifest(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

/** True when two manifests differ in anything but the version that wrote them. */
export function manifestChanged(a: Manifest | undefined, b: Manifest): boolean {
  if (!a) return true;
  return serializeManifest({ ...a, version: b.version }) !== serializeManifest(b);
}

/** Reads dir's manifest; undefined when there is none, a clear error when it is damaged. */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), "utf8");
  } catch {
    return undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const parsed = (await manifestSchema()).safeParse(data);
  if (!parsed.success) {
    throw new UserError(`${join(dir, MANIFEST)} is damaged: restore it from version control, or delete it and regenerate with --force`);
  }
  return parsed.data;
}
