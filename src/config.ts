import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { UserError } from "./errors.js";

/** The names looked for, in each folder from the working folder up. */
export const CONFIG_FILES = ["fg-bootgen.config.json", "fg-bootgen.config.yaml", "fg-bootgen.config.yml", "package.json"];

const targetSchema = z.strictObject({
  lang: z.string(),
  out: z.string().min(1),
  spec: z.string().optional(),
  templates: z.string().optional(),
});
const configSchema = z.strictObject({ targets: z.array(targetSchema).min(1, "must list at least one target") });

export interface ConfigTarget {
  lang: string;
  /** Absolute paths, resolved against the config file's folder. */
  out: string;
  spec?: string;
  templates?: string;
}

export interface Config {
  file: string;
  targets: ConfigTarget[];
}

function parse(file: string): unknown | undefined {
  const text = readFileSync(file, "utf8");
  try {
    if (file.endsWith("package.json")) return (JSON.parse(text) as Record<string, unknown>)["fg-bootgen"];
    return file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new UserError(`${file}: cannot parse: ${(err as Error).message.split("\n")[0]}`);
  }
}

/** Finds the nearest config from `cwd` upward; undefined when there is none. */
export function findConfig(cwd: string): Config | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILES) {
      const file = join(dir, name);
      let data: unknown;
      try {
        data = parse(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw err;
      }
      if (data === undefined) continue; // a package.json without an fg-bootgen key
      const result = configSchema.safeParse(data);
      if (!result.success) {
        const issue = result.error.issues[0]!;
        throw new UserError(`${file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
      }
      const base = dirname(file);
      return {
        file,
        targets: result.data.targets.map((t) => ({
          lang: t.lang,
          out: resolve(base, t.out),
          spec: t.spec === undefined ? undefined : resolve(base, t.spec),
          templates: t.templates === undefined ? undefined : resolve(base, t.templates),
        })),
      };
    }
    if (dirname(dir) === dir) return undefined;
  }
}
