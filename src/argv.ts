// The command lines that fg-bootgen answers without loading yargs: generating (with --check,
// --dry-run, ...) written the plain way, and --help or --version alone. Anything else, including
// every mistake, goes to yargs (src/parser.ts), which decides exactly as it always did: this
// parser only accepts lines whose meaning yargs leaves in no doubt, and refuses the rest.

import type { RegenerateOptions } from "./regenerate.js";

/**
 * The options of the generate command (the `$0` command of src/parser.ts), as its handler gets
 * them: regenerate's own, with yargs' `lang` for `langs` and no config lookup yet.
 */
export type GenerateArgs = Omit<RegenerateOptions, "langs" | "findConfig"> & { lang?: string[] };

export type FastCommand = { kind: "generate"; args: GenerateArgs } | { kind: "help" } | { kind: "version" };

type ValueKey = "lang" | "out" | "spec" | "templates";
type FlagKey = "check" | "dryRun" | "force" | "json";
const VALUES: Record<string, ValueKey> = { "--lang": "lang", "-l": "lang", "--out": "out", "-o": "out", "--spec": "spec", "-s": "spec", "--templates": "templates" };
const FLAGS: Record<string, FlagKey> = { "--check": "check", "--dry-run": "dryRun", "--force": "force", "--json": "json" };

/** The command, when yargs would surely read `argv` this way; undefined leaves it to yargs. */
export function fastCommand(argv: string[]): FastCommand | undefined {
  if (argv.length === 1 && (argv[0] === "--help" || argv[0] === "-h")) return { kind: "help" };
  if (argv.length === 1 && argv[0] === "--version") return { kind: "version" };
  const args: GenerateArgs = { check: false, dryRun: false, force: false, json: false };
  const lang: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const eq = token.startsWith("--") ? token.indexOf("=") : -1;
    const key = VALUES[eq > 0 ? token.slice(0, eq) : token];
    if (key) {
      const value = eq > 0 ? token.slice(eq + 1) : argv[++i];
      // An empty value or one that starts like a flag, and a word after the value (yargs takes
      // those after --lang's as more languages, others as positionals): yargs decides.
      if (value === undefined || value === "" || value.startsWith("-")) return undefined;
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith("-")) return undefined;
      if (key === "lang") lang.push(value);
      else if (seen.has(key)) return undefined; // given twice: yargs makes an array of it
      else {
        seen.add(key);
        args[key] = value;
      }
      continue;
    }
    const flag = FLAGS[token];
    if (!flag || seen.has(flag)) return undefined;
    seen.add(flag);
    args[flag] = true;
  }
  if (args.check && args.dryRun) return undefined; // yargs' own message about the conflict
  if (lang.length > 0) args.lang = lang;
  return { kind: "generate", args };
}

/**
 * Whether yargs would print its help in English: it takes the language from LC_ALL, LC_MESSAGES,
 * LANG or LANGUAGE (default en_US) and reads yargs/locales/<ll_CC>.json, else <ll>.json; with
 * neither, its English words stay. `locales` lists those files' names (without .json).
 */
export function helpIsEnglish(env: NodeJS.ProcessEnv, locales: readonly string[]): boolean {
  const locale = (env.LC_ALL || env.LC_MESSAGES || env.LANG || env.LANGUAGE || "en_US").replace(/[.:].*/, "");
  if (!/^\w*$/.test(locale)) return false;
  if (locales.includes(locale)) return locale === "en";
  const language = locale.split("_")[0]!;
  if (locale.includes("_") && locales.includes(language)) return language === "en";
  return true;
}
