import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type Handlebars from "handlebars";
import runtimeModule from "handlebars/runtime.js";
import { UserError } from "./errors.js";
import { TEMPLATES_DIR } from "./paths.js";
import { sha1 } from "./hash.js";
import { precompiled } from "./precompiled.js";
import type { Target } from "./target.js";

/** `noEscape`: output is code, not HTML. `strict`: a name the model lacks is an error, not "". */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

export interface Renderer {
  render(template: string, context: object): Promise<string>;
  /** Templates taken from the override folder, as `<lang>/<file>`. */
  overridden: string[];
}

type Env = typeof Handlebars;
// handlebars/runtime.js ships no types of its own; it is the full API less the compiler.
const HandlebarsRuntime = runtimeModule as unknown as Env;

function withHelpers<E extends Env>(env: E, target: Target): E {
  for (const [name, helper] of Object.entries(target.helpers)) env.registerHelper(name, helper);
  return env;
}

/**
 * One Handlebars environment per target, so that `str` means a string literal of *that* language.
 * Built-in templates come precompiled from the build when their source is unchanged; anything else
 * (an edited template, or an override from --templates, which replaces a built-in template at
 * the same relative path) is compiled here, with the same options.
 */
export function createRenderer(target: Target, overrideDir?: string): Renderer {
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
  const runtime = withHelpers(HandlebarsRuntime.create(), target);
  let compiler: Promise<Env> | undefined;
  return {
    overridden,
    async render(template, context) {
      const key = `${target.lang}/${template}`;
      const custom = overridden.includes(key);
      const path = join(custom && overrideDir ? overrideDir : TEMPLATES_DIR, target.lang, template);
      const source = readFileSync(path, "utf8");
      const pre = custom ? undefined : (await precompiled())?.templates[key];
      try {
        if (pre && pre.sha1 === sha1(source)) return runtime.template(pre.spec)(context);
        // The full compiler loads only when a template is not precompiled.
        compiler ??= import("handlebars").then((m) => withHelpers(m.default.create(), target));
        return (await compiler).compile(source, COMPILE_OPTIONS)(context);
      } catch (err) {
        if (!custom) throw err;
        throw new UserError(`--templates: ${path}: ${(err as Error).message.split("\n")[0]}`);
      }
    },
  };
}
