import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { UserError } from "./errors.js";
import type { Target } from "./target.js";

export const TEMPLATES_DIR = fileURLToPath(new URL("../templates/", import.meta.url));

export interface Renderer {
  render(template: string, context: object): string;
  /** Templates taken from the override folder, as `<lang>/<file>`. */
  overridden: string[];
}

/**
 * One Handlebars environment per target, so that `str` means a string literal of *that* language.
 * `noEscape`: output is code, not HTML. `strict`: a name the model lacks is an error, not "".
 * `overrideDir` (--templates) replaces any built-in template that it holds at the same relative path.
 */
export function createRenderer(target: Target, overrideDir?: string): Renderer {
  const hb = Handlebars.create();
  for (const [name, helper] of Object.entries(target.helpers)) hb.registerHelper(name, helper);
  const builtIn = new Set(target.files.map((f) => f.template));
  const overridden: string[] = [];
  if (overrideDir) {
    const langDir = join(overrideDir, target.lang);
    for (const name of existsSync(langDir) ? readdirSync(langDir) : []) {
      if (!builtIn.has(name)) {
        throw new UserError(`--templates: ${join(langDir, name)} matches no built-in template of ${target.lang} (${[...builtIn].join(", ")})`);
      }
      overridden.push(`${target.lang}/${name}`);
    }
  }
  return {
    overridden,
    render(template, context) {
      const custom = overridden.includes(`${target.lang}/${template}`);
      const path = join(custom && overrideDir ? overrideDir : TEMPLATES_DIR, target.lang, template);
      const source = readFileSync(path, "utf8");
      let compiled: Handlebars.TemplateDelegate;
      try {
        compiled = hb.compile(source, { noEscape: true, strict: true });
        return compiled(context);
      } catch (err) {
        if (!custom) throw err;
        throw new UserError(`--templates: ${path}: ${(err as Error).message.split("\n")[0]}`);
      }
    },
  };
}
