import type { EnvModel, Model } from "../model.js";
import { snake, type Target } from "../target.js";

/**
 * A Python string literal, quoted the way `ruff format` quotes it (double quotes, unless the value
 * holds more double quotes than single ones), so that the output is already formatted.
 */
export function pyString(value: unknown): string {
  const s = String(value);
  const quote = (s.match(/"/g) ?? []).length > (s.match(/'/g) ?? []).length ? "'" : '"';
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16)}`;
    else out += ch;
  }
  return out + quote;
}

/** A Python float literal for a number's text ("3" becomes "3.0"; "1e+21" stays as it is). */
function pyFloat(text: string): string {
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** How fgruntime.py declares and reads one environment variable. */
function pyEnv(e: EnvModel) {
  if (e.isInteger) return { ...e, pyType: "int", reader: "_env_int", pyDefault: e.hasDefault ? e.default : "0" };
  if (e.isNumber) return { ...e, pyType: "float", reader: "_env_float", pyDefault: e.hasDefault ? pyFloat(e.default) : "0.0" };
  return { ...e, pyType: "str", reader: "_env_str", pyDefault: pyString(e.default) };
}

export const python: Target = {
  lang: "python",
  // Events are TypedDicts over the parsed JSON: their keys are the JSON keys.
  naming: { field: snake, type: (name) => name, eventField: (key) => key },
  helpers: { str: pyString },
  files: [
    { template: "fgruntime.py.hbs", path: "fgruntime.py", owner: "generated" },
    { template: "bootstrap.hbs", path: "bootstrap", owner: "generated", executable: true },
    { template: "handler.py.hbs", path: "handler.py", owner: "user" },
    { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
    { template: "README.md.hbs", path: "README.md", owner: "generated" },
  ],
  decorate(model: Model) {
    return { env: model.env.map(pyEnv) };
  },
};
