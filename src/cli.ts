#!/usr/bin/env node
import { resolve } from "node:path";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { EXIT_USAGE, UserError } from "./errors.js";
import { generate } from "./generate.js";
import { loadSpec, readSpecSource } from "./spec.js";
import { LANGS, TARGETS } from "./targets/index.js";
import { plan, writePlan } from "./write.js";

const VERSION = "0.1.0";

interface GenerateArgs {
  lang: string[];
  out?: string;
  spec?: string;
  force: boolean;
}

/** Each language gets its own folder: --out itself for one language, --out/<lang> for several. */
function outDir(args: GenerateArgs, lang: string): string {
  if (args.out === undefined) return resolve(`fg-${lang}`);
  return args.lang.length === 1 ? resolve(args.out) : resolve(args.out, lang);
}

async function runGenerate(args: GenerateArgs): Promise<void> {
  const unknown = args.lang.filter((l) => !(l in TARGETS));
  if (unknown.length > 0) {
    throw new UserError(`unknown language ${unknown.map((l) => `'${l}'`).join(", ")}: use --lang with one of ${LANGS.join(", ")}`);
  }
  const { spec } = loadSpec(args.spec);
  const langs = [...new Set(args.lang)];
  // Render everything before writing anything, so that a failure leaves no half-written output.
  const work = await Promise.all(
    langs.map(async (lang) => {
      const dir = outDir(args, lang);
      const files = await generate(spec, TARGETS[lang]!);
      return { lang, dir, planned: await plan(dir, files, args.force) };
    }),
  );
  for (const { lang, dir, planned } of work) {
    await writePlan(dir, planned);
    const counts = planned.reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.action]: (acc[f.action] ?? 0) + 1 }), {});
    const summary = Object.entries(counts).map(([action, n]) => `${n} ${action}`).join(", ");
    process.stdout.write(`${lang}: wrote ${dir} (${summary})\n`);
    for (const f of planned.filter((p) => p.action === "skip")) {
      process.stdout.write(`  kept your ${f.path} (user-owned; --force to rewrite it)\n`);
    }
  }
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName("fg-bootgen")
    .usage("$0 --lang <lang> [--lang <lang>...] [--out DIR] [--spec FILE] [--force]\n\nGenerate the bootstrap of a FunctionGraph custom runtime.")
    .command(
      "spec",
      "Print the embedded spec (YAML), to start your own from it",
      () => {},
      () => {
        process.stdout.write(readSpecSource(undefined).source);
      },
    )
    .command(
      "$0",
      "Generate runtimes",
      (y) =>
        y
          .option("lang", {
            alias: "l",
            type: "string",
            array: true,
            demandOption: `choose a language with --lang (${LANGS.join(", ")})`,
            describe: `target language: ${LANGS.join(", ")}; repeat for several`,
          })
          .option("out", { alias: "o", type: "string", describe: "output folder (default ./fg-<lang>; with several languages DIR/<lang>)" })
          .option("spec", { alias: "s", type: "string", describe: "runtime-API spec, JSON or YAML (default: the embedded spec)" })
          .option("force", { type: "boolean", default: false, describe: "rewrite user-owned files (your handler) too" }),
      async (args) => {
        await runGenerate({ lang: args.lang.map(String), out: args.out, spec: args.spec, force: args.force });
      },
    )
    .strict()
    .version(VERSION)
    .help()
    .alias("h", "help")
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(`${msg} (see fg-bootgen --help)`);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`fg-bootgen: ${err.message}\n`);
      exitCode = err.exitCode;
    } else {
      throw err;
    }
  }
  return exitCode;
}

process.exitCode = await main(hideBin(process.argv)).catch((err: unknown) => {
  process.stderr.write(`fg-bootgen: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
  return EXIT_USAGE + 1;
});
