import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type Handlebars from "handlebars";
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

export function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
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

/**
 * The build's output for the embedded spec (scripts/precompile.mjs): the validated spec and every
 * built-in template's generated file, with the hash of the template's source. Plain JSON, so a
 * default run reads one file instead of loading the table's code, and needs no Handlebars.
 */
export interface Rendered {
  /** Which build rendered it: only the bundle of the same build serves the files (src/generate.ts). */
  build: string;
  spec: { sha1: string; value: Spec };
  /** By `<lang>/<template>`: the template's hash and the file's contents, formatted. */
  files: Record<string, { sha1: string; contents: string }>;
}

let rendered: Rendered | null | undefined;

/** The build's rendered files, or undefined when dist/ was built by tsc alone. */
export function renderedFiles(): Rendered | undefined {
  if (rendered === undefined) {
    try {
      rendered = JSON.parse(readFileSync(new URL("./rendered.generated.json", import.meta.url), "utf8")) as Rendered;
    } catch {
      rendered = null;
    }
  }
  return rendered ?? undefined;
}

/** A spec from a file, or the embedded one; validated unless it is the unchanged embedded spec. */
export async function loadSpecFast(file?: string): Promise<Spec> {
  if (file === undefined) {
    const hash = sha1(readFileSync(DEFAULT_SPEC_PATH, "utf8"));
    // The very object of the rendered table, by which src/generate.ts knows the embedded spec.
    const fast = renderedFiles();
    if (fast && fast.spec.sha1 === hash) return fast.spec.value;
    const pre = await precompiled();
    if (pre && pre.spec.sha1 === hash) return pre.spec.value;
  }
  // zod and yaml load only here: a run on the embedded spec never needs them.
  const { loadSpec } = await import("./spec.js");
  return loadSpec(file).spec;
}
