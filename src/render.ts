import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import type { Target } from "./target.js";

export const TEMPLATES_DIR = fileURLToPath(new URL("../templates/", import.meta.url));

/**
 * One Handlebars environment per target, so that `str` means a string literal of *that* language.
 * `noEscape`: output is code, not HTML. `strict`: a name the model lacks is an error, not "".
 */
export function createRenderer(target: Target, templatesDir: string = TEMPLATES_DIR) {
  const hb = Handlebars.create();
  for (const [name, helper] of Object.entries(target.helpers)) hb.registerHelper(name, helper);
  const cache = new Map<string, Handlebars.TemplateDelegate>();
  return (template: string, context: object): string => {
    let compiled = cache.get(template);
    if (!compiled) {
      const source = readFileSync(`${templatesDir}/${target.lang}/${template}`, "utf8");
      compiled = hb.compile(source, { noEscape: true, strict: true });
      cache.set(template, compiled);
    }
    return compiled(context);
  };
}
