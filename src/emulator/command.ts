import type { Argv, CommandModule } from "yargs";
import { UserError } from "../errors.js";

export interface EmulateArgs {
  dir: string;
  event: string[];
  /** Event files given as positional arguments (also how yargs hands over a bare `-`). */
  events: string[];
  serve: boolean;
  port: number;
  spec?: string;
  env: string[];
  envFile?: string;
  header: string[];
  shell?: string;
  transcript?: string;
  apig: boolean;
  instances: number;
  maxQueue: number;
  watch: boolean;
}

/** `fg-bootgen emulate`: register with `.command(emulateCommand)`. */
export const emulateCommand: CommandModule<{}, EmulateArgs> = {
  command: "emulate [events..]",
  describe: "Run a built function locally against an emulated runtime API",
  builder: (y: Argv<{}>) =>
    y
      .usage(
        "$0 emulate --dir DIR [--event] FILE... [--serve | --apig] [--port N] [--instances N] [--watch]\n\n" +
          "Starts DIR/bootstrap against a local runtime API (paths and headers from the spec), with every\n" +
          "environment variable of the spec set, feeds it the events and prints each result. Exits with 4\n" +
          "if any invocation failed. With --serve it then answers `curl -d @event.json HOST:PORT/invoke`; with\n" +
          "--apig it is a local API Gateway: `curl HOST:PORT/any/path?q=1` gets the function's APIG response.",
      )
      .positional("events", { type: "string", array: true, default: [] as string[], describe: "event files, after those of --event" })
      .option("dir", { alias: "d", type: "string", default: ".", describe: "the function's folder, holding a built ./bootstrap" })
      .option("event", { alias: "e", type: "string", array: true, default: [] as string[], describe: "an event file to invoke with, in order; --event=- reads stdin; repeatable" })
      .option("serve", { type: "boolean", default: false, describe: "stay up and answer POST /invoke (the body is the event) until Ctrl-C" })
      .option("apig", { type: "boolean", default: false, describe: "stay up as a local API Gateway: any HTTP request becomes an APIG event, the APIG response the HTTP answer" })
      .option("port", { alias: "p", type: "number", default: 9000, describe: "port of --serve or --apig (on 127.0.0.1; 0: any free port)" })
      .option("instances", { alias: "n", type: "number", default: 1, describe: "bootstrap instances, each with its own runtime API (with --serve or --apig)" })
      .option("max-queue", { type: "number", default: 100, describe: "requests that may wait for a free instance; beyond that the answer is 429" })
      .option("watch", { type: "boolean", default: false, describe: "with --serve or --apig: when a file of the function changes, run make and restart the bootstrap" })
      .option("spec", { alias: "s", type: "string", describe: "runtime-API spec, JSON or YAML (default: the embedded spec)" })
      .option("env", { type: "string", array: true, default: [] as string[], describe: "NAME=VALUE for the bootstrap's environment (e.g. RUNTIME_TIMEOUT=10); repeatable" })
      .option("env-file", { type: "string", describe: "a file of NAME=VALUE lines for the bootstrap's environment" })
      .option("header", { type: "string", array: true, default: [] as string[], describe: "NAME=VALUE of a spec header sent with every event (e.g. X-CFF-Access-Key=...); repeatable" })
      .option("shell", { type: "string", describe: "run bootstrap with this shell instead of executing it: dash, bash, 'busybox ash'" })
      .option("transcript", { type: "string", describe: "record every request and answer to this JSON file" })
      .check((argv) => {
        if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535) throw new UserError("--port must be a whole number from 0 to 65535");
        if (!Number.isInteger(argv.instances) || argv.instances < 1 || argv.instances > 64) throw new UserError("--instances must be a whole number from 1 to 64");
        if (!Number.isInteger(argv["max-queue"]) || argv["max-queue"] < 0) throw new UserError("--max-queue must be a whole number, 0 or more");
        return true;
      }) as unknown as Argv<EmulateArgs>,
  handler: async (args) => {
    // Loaded here, not at the top: every fg-bootgen run registers this command, few run it.
    const [{ loadSpecFast }, { emulate }] = await Promise.all([import("../precompiled.js"), import("./emulate.js")]);
    const spec = await loadSpecFast(args.spec);
    await emulate({
      spec,
      dir: args.dir,
      events: [...args.event, ...args.events].map(String),
      serve: args.serve,
      port: args.port,
      env: args.env.map(String),
      envFile: args.envFile,
      header: args.header.map(String),
      shell: args.shell,
      transcript: args.transcript,
      apig: args.apig,
      instances: args.instances,
      maxQueue: args.maxQueue,
      watch: args.watch,
    });
  },
};
