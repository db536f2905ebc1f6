import { readFileSync } from "node:fs";
import yargs from "yargs";
import { DEFAULT_SPEC_PATH } from "./paths.js";
import { emulateCommand } from "./emulator/command.js";
import { UserError } from "./errors.js";
import { runGenerate } from "./run.js";
import { LANGS } from "./targets/index.js";
import { VERSION } from "./version.js";

/**
 * The full command line, parsed by yargs: every command, --help and --version, completion, and
 * every error message about flags. src/argv.ts answers the common cases without loading it; this
 * module decides everything else. `onJson` learns whether a failure must also be told in JSON.
 */
export async function parseWithYargs(argv: string[], onJson: (json: boolean) => void): Promise<number> {
  // A reader that went away (`fg-bootgen spec | head`) is no failure of the command's: stop
  // quietly, as src/output.ts does for the generate path.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit();
  });
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName("fg-bootgen")
    .usage(
      "$0 [--lang <lang>...] [--out DIR] [--spec FILE] [--check | --dry-run] [--force]\n\n" +
        "Generate the bootstrap of a FunctionGraph custom runtime. Without --lang, regenerates every\n" +
        "target of the nearest fg-bootgen.config.{json,yaml} (or the \"fg-bootgen\" key of package.json).",
    )
    .command(
      "spec",
      "Print the embedded spec (YAML), to start your own from it",
      () => {},
      () => {
        process.stdout.write(readFileSync(DEFAULT_SPEC_PATH, "utf8"));
      },
    )
    .command(emulateCommand)
    .command(
      "event [trigger]",
      "Print a sample event of a trigger as JSON, e.g. fg-bootgen event apig --method POST --path /orders --body '{\"id\":1}'",
      (y) =>
        y
          .usage(
            "$0 event <trigger> [--set FIELD=VALUE...] [trigger flags] | $0 event --list\n\n" +
              "Prints the trigger's sample event (spec/samples/<trigger>.json, else one built from the spec's schema),\n" +
              "valid against the spec's event type. Pipe it into: fg-bootgen emulate --event=-",
          )
          .positional("trigger", { type: "string", describe: "apig, obs, timer, ... (--list shows them)" })
          .option("list", { type: "boolean", default: false, describe: "list the triggers" })
          .option("set", { type: "string", array: true, default: [] as string[], describe: "FIELD=VALUE, dotted path (Records.0.s3.object.size=42), typed by the schema; repeatable" })
          .option("spec", { alias: "s", type: "string", describe: "runtime-API spec, JSON or YAML (its events.types add triggers)" })
          .option("method", { type: "string", describe: "apig: HTTP method" })
          .option("path", { type: "string", describe: "apig: request path" })
          .option("body", { type: "string", describe: "apig: request body (base64-encoded into the event); @FILE reads a file" })
          .option("query", { type: "string", array: true, describe: "apig: query parameter NAME=VALUE; repeatable (replaces the sample's)" })
          .option("header", { type: "string", array: true, describe: "apig: header NAME=VALUE; repeatable (replaces the sample's)" })
          .option("bucket", { type: "string", describe: "obs: bucket name" })
          .option("key", { type: "string", describe: "obs: object key" })
          .option("trigger-name", { type: "string", describe: "timer: trigger name" })
          .option("user-event", { type: "string", describe: "timer: the trigger's additional information" })
          .option("time", { type: "string", describe: "timer: when it fired (now: the current time)" }),
      async (args) => {
        // Loaded here: every fg-bootgen run registers this command, few run it.
        const [{ loadSpecFast }, { eventText }] = await Promise.all([import("./precompiled.js"), import("./events.js")]);
        const str = (v: unknown) => (v === undefined ? undefined : String(v));
        const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
        process.stdout.write(
          eventText({
            spec: await loadSpecFast(args.spec),
            trigger: args.trigger,
            list: args.list,
            set: args.set.map(String),
            method: str(args.method),
            path: str(args.path),
            body: str(args.body),
            query: list(args.query),
            header: list(args.header),
            bucket: str(args.bucket),
            key: str(args.key),
            triggerName: str(args.triggerName),
            userEvent: str(args.userEvent),
            time: str(args.time),
          }),
        );
      },
    )
    .command(
      "$0",
      "Generate (or --check, or --dry-run) runtime folders",
      (y) =>
        y
          .option("lang", { alias: "l", type: "string", array: true, describe: `target language: ${LANGS.join(", ")}; repeat for several` })
          .option("out", { alias: "o", type: "string", describe: "output folder (default ./fg-<lang>; with several languages DIR/<lang>)" })
          .option("spec", { alias: "s", type: "string", describe: "runtime-API spec, JSON or YAML (default: the embedded spec)" })
          .option("templates", { type: "string", describe: "folder whose <lang>/<file>.hbs replace built-in templates" })
          .option("check", { type: "boolean", describe: "write nothing; exit 1 when a folder is out of date" })
          .option("dry-run", { type: "boolean", describe: "print the plan (create, update, delete, keep) and write nothing" })
          .option("force", { type: "boolean", default: false, describe: "overwrite hand-edited generated files and your own files" })
          .option("json", { type: "boolean", default: false, describe: "machine-readable output on stdout" })
          .conflicts("check", "dry-run"),
      async (args) => {
        onJson(args.json);
        exitCode = await runGenerate({
          lang: args.lang?.map(String),
          out: args.out,
          spec: args.spec,
          templates: args.templates,
          check: args.check ?? false,
          dryRun: args.dryRun ?? false,
          force: args.force,
          json: args.json,
        });
      },
    )
    .completion("completion", "Print a bash/zsh completion script: fg-bootgen completion >> ~/.bashrc")
    .strict()
    .version(VERSION)
    .help()
    .alias("h", "help")
    .wrap(null)
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(`${msg} (see fg-bootgen --help)`);
    });
  await parser.parseAsync();
  return exitCode;
}

