import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "./errors.js";
import type { GeneratedFile } from "./generate.js";
import { sha256 } from "./hash.js";

/** The file in each output folder that records what fg-bootgen wrote there, and who owns it. */
export const MANIFEST = ".fg-bootgen.json";

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
export async function manifestSchema() {
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

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * The schema's answer without loading zod, for a manifest as fg-bootgen writes it: the same object
 * zod would give (its keys in the schema's order), or undefined to leave the case to zod. It only
 * ever accepts what the schema accepts, so zod still decides every odd or damaged manifest.
 */
export function plainManifest(data: unknown): Manifest | undefined {
  const has = (o: Record<string, unknown>, keys: string[]) => Object.keys(o).length === keys.length && keys.every((k) => Object.hasOwn(o, k));
  if (!isPlainObject(data) || !has(data, ["generator", "version", "lang", "specSha256", "templateOverrides", "files"])) return undefined;
  const { generator, version, lang, specSha256, templateOverrides, files } = data;
  if (generator !== "fg-bootgen" || typeof version !== "string" || typeof lang !== "string" || typeof specSha256 !== "string") return undefined;
  if (!Array.isArray(templateOverrides) || !isPlainObject(files)) return undefined;
  const overrides: string[] = [];
  for (let i = 0; i < templateOverrides.length; i++) {
    const t: unknown = templateOverrides[i];
    if (!Object.hasOwn(templateOverrides, i) || typeof t !== "string") return undefined;
    overrides.push(t);
  }
  const entries: Manifest["files"] = {};
  for (const [path, entry] of Object.entries(files)) {
    if (path === "__proto__" || !isPlainObject(entry) || !has(entry, ["owner", "sha256"])) return undefined;
    const { owner, sha256: hash } = entry;
    if ((owner !== "generated" && owner !== "user") || typeof hash !== "string") return undefined;
    entries[path] = { owner, sha256: hash };
  }
  return { generator, version, lang, specSha256, templateOverrides: overrides, files: entries };
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
    files[f.path] = { owner: f.owner, sha256: f.sha256 ?? sha256(f.contents) };
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
    text = readFileSync(join(dir, MANIFEST), "utf8");
  } catch {
    return undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const quick = plainManifest(data);
  if (quick) return quick;
  const parsed = (await manifestSchema()).safeParse(data);
  if (!parsed.success) {
    throw new UserError(`${join(dir, MANIFEST)} is damaged: restore it from version control, or delete it and regenerate with --force`);
  }
  return parsed.data;
}
