import type { HelperDelegate } from "handlebars";
import type { Model, Naming } from "./model.js";

/** Who owns a file in an output folder: the generator rewrites its own files, never the user's. */
export type Owner = "generated" | "user";

export interface TargetFile {
  /** Template path under templates/<lang>/. */
  template: string;
  /** Path in the output folder, always with forward slashes. */
  path: string;
  owner: Owner;
  executable?: boolean;
}

/**
 * A target language: data plus a few helpers. Templates hold the code's shape; the helpers hold
 * the escaping and naming rules of the language.
 */
export interface Target {
  lang: string;
  naming: Naming;
  /** Handlebars helpers for this language, e.g. `str` (a string literal). */
  helpers: Record<string, HelperDelegate>;
  files: TargetFile[];
  /** Adds language-only values to the model (e.g. Go's column padding). */
  decorate?(model: Model): Record<string, unknown>;
  /** Formats a rendered file (e.g. prettier for JavaScript); identity when absent. */
  format?(path: string, text: string): Promise<string>;
}

export { camelToPascal, snake, words } from "./names.js";

/** A double-quoted string literal with JSON escapes, valid in Go, Rust, Python and JavaScript. */
export function jsonLiteral(value: unknown): string {
  // U+2028/2029 are escaped too, which JSON.stringify leaves raw.
  return JSON.stringify(String(value)).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
