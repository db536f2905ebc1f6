import { closeSync, fstatSync, openSync, readFileSync, statSync } from "node:fs";
import type Handlebars from "handlebars";
import { sha1, sha256 } from "./hash.js";
import { DEFAULT_SPEC_PATH } from "./paths.js";
import type { Spec } from "./spec.js";

/**
 * The build (scripts/precompile.mjs) validates the embedded spec and precompiles the built-in
 * templates, so that a run needs neither YAML, zod nor the Handlebars compiler. Each entry carries
 * the hash of its source and is used only while the source is unchanged: an edited template or
 * spec is compiled or validated afresh, so the table can never serve stale output. The same holds
 * for the formatted Node files of the embedded spec: prettier loads only for other input.
 */
export interface Precompiled {
  spec: { sha1: string; value: Spec };
  templates: Record<string, { sha1: string; spec: ReturnType<typeof Handlebars.precompile> }>;
  /** Formatter output for the embedded spec's files, keyed by the hash of the unformatted text. */
  formatted?: Record<string, string>; // absent in a table built before this field existed
}

let table: Promise<Precompiled | undefined> | undefined;

/** The build's table, or undefined when dist/ was built by tsc alone. */
export function precompiled(): Promise<Precompiled | undefined> {
  // The file is written by the build after tsc, so it is imported by URL, untyped, and checked here.
  table ??= import(new URL("./precompiled.generated.js", import.meta.url).href).then(
    (m: { PRECOMPILED?: Precompiled }) => m.PRECOMPILED,
    () => undefined,
  );
  return table;
}

/** What the build read of one of its inputs (a template, the spec): enough to tell it unchanged. */
export interface BuildInput {
  sha1: string;
  /** In bytes. */
  size: number;
}

/**
 * The build's output for the embedded spec (scripts/precompile.mjs): the validated spec and every
 * built-in template's generated file, with what the build read of the template's source and the
 * file's SHA-256 for the manifest. Plain data, so a default run reads one file instead of loading
 * the table's code, and needs no Handlebars and no node:crypto.
 */
export interface Rendered {
  /** Which build rendered it: only the bundle of the same build serves the files (src/generate.ts). */
  build: string;
  /** The spec, and the SHA-256 of its JSON, which the manifests record. */
  spec: BuildInput & { value: Spec; sha256: string };
  /** By `<lang>/<template>`: the template as the build read it, and the file, formatted. */
  files: Record<string, BuildInput & { contents: string; sha256: string }>;
}

let rendered: { table: Rendered; builtAt: number } | null | undefined;

/**
 * How the build writes the table (scripts/precompile.mjs): one line of JSON in ASCII, the table
 * with each file's contents given by where its UTF-8 bytes lie after that line (`at`, `bytes`)
 * and whether they are ASCII; then those bytes. Cutting each file out is cheaper than JSON.parse
 * undoing the escapes of half a megabyte of source text.
 */
interface Stored {
  build: string;
  spec: Rendered["spec"];
  files: Record<string, Omit<Rendered["files"][string], "contents"> & { at: number; bytes: number; ascii: boolean }>;
}

/** The build's rendered files, or undefined when dist/ was built by tsc alone. */
export function renderedFiles(): Rendered | undefined {
  if (rendered === undefined) {
    try {
      const fd = openSync(new URL("./rendered.generated.bin", import.meta.url), "r");
      let data: Buffer;
      let builtAt: number;
      try {
        builtAt = fstatSync(fd).mtimeMs;
        data = readFileSync(fd);
      } finally {
        closeSync(fd);
      }
      const end = data.indexOf(10);
      const stored = JSON.parse(data.toString("latin1", 0, end)) as Stored;
      const files: Rendered["files"] = {};
      for (const [key, { at, bytes, ascii, ...rest }] of Object.entries(stored.files)) {
        const start = end + 1 + at;
        files[key] = { ...rest, contents: data.toString(ascii ? "latin1" : "utf8", start, start + bytes) };
      }
      rendered = { table: { build: stored.build, spec: stored.spec, files }, builtAt };
    } catch {
      rendered = null;
    }
  }
  return rendered?.table;
}

/**
 * Whether a build input on disk still holds what the build read. Its size must match; then a file
 * last modified no later than the build's output is the one the build read (an edit sets the time
 * to now; an npm install gives every file of the package the same time), and any other is
 * compared by its hash. So a default run stats the templates instead of reading and hashing them.
 */
export function unchangedSinceBuild(path: string, input: BuildInput): boolean {
  const builtAt = rendered?.builtAt;
  let size: number;
  let mtimeMs: number;
  try {
    ({ size, mtimeMs } = statSync(path));
  } catch {
    return false;
  }
  if (size !== input.size) return false;
  if (builtAt !== undefined && mtimeMs <= builtAt) return true;
  return sha1(readFileSync(path, "utf8")) === input.sha1;
}

/** The SHA-256 of the validated spec's JSON, which manifests record (reformatting a spec changes nothing). */
export function specSha256(spec: Spec): string {
  const table = renderedFiles();
  return table && spec === table.spec.value ? table.spec.sha256 : sha256(JSON.stringify(spec));
}

/** A spec from a file, or the embedded one; validated unless it is the unchanged embedded spec. */
export async function loadSpecFast(file?: string): Promise<Spec> {
  if (file === undefined) {
    // The very object of the rendered table, by which src/generate.ts knows the embedded spec.
    const fast = renderedFiles();
    if (fast && unchangedSinceBuild(DEFAULT_SPEC_PATH, fast.spec)) return fast.spec.value;
    const pre = await precompiled();
    if (pre && pre.spec.sha1 === sha1(readFileSync(DEFAULT_SPEC_PATH, "utf8"))) return pre.spec.value;
  }
  // zod and yaml load only here: a run on the embedded spec never needs them.
  const { loadSpec } = await import("./spec.js");
  return loadSpec(file).spec;
}
