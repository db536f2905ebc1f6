// npm run bench: the generated bootstraps against the project's emulator, and the generator itself.
// Read bench/README.md for what each figure means. Progress goes to stderr, the tables to stdout,
// everything measured to bench/results/bench-<time>.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildLang, buildReference, CLI, LANGS, realPythonDir, ROOT, sampleLoop } from "./build.mjs";
import { apigTable, apigThroughput } from "./apig.mjs";
import { coldStart, generatorRuns, Session, spawnFloor } from "./measure.mjs";
import { sleep } from "./proc.mjs";
import { median, render, summarize } from "./report.mjs";

const HELP = `npm run bench -- [options]   (each option also reads the environment variable shown)
  --n N          invocations per loop over all rounds: go, rust, python, node, references (BENCH_N, 10000)
  --shell-n N    the same for the shell output and the sample loop (BENCH_SHELL_N, 200)
  --rounds N     rounds of interleaved batches (BENCH_ROUNDS, 10)
  --starts N     cold starts per language (BENCH_STARTS, 21)
  --gen-runs N   generator runs and bare node starts, alternated (BENCH_GEN_RUNS, 9)
  --lang L       only these languages, repeatable (BENCH_LANGS=go,rust)
  --work DIR     build and scratch folder (BENCH_WORK, $TMPDIR/fg-bootgen-bench)
  --apig-n N     requests per language and instance count through emulate --apig (BENCH_APIG_N, 2000)
  --apig-shell-n N  the same for the shell output (BENCH_APIG_SHELL_N, 150)
  --apig-rounds N  rounds, 1 and N instances taking turns; the table gives medians (BENCH_APIG_ROUNDS, 3)
  --apig-clients N  concurrent keep-alive HTTP clients (BENCH_APIG_CLIENTS, 16)
  --apig-instances N  the second instance count, after 1 (BENCH_APIG_INSTANCES, 4)
  --apig-max-s N  at most this many seconds per language and instance count (BENCH_APIG_MAX_S, 15)
  --only apig    only the emulate --apig figures (BENCH_ONLY=apig)`;

function options() {
  const { values } = parseArgs({
    options: {
      n: { type: "string" },
      "shell-n": { type: "string" },
      rounds: { type: "string" },
      starts: { type: "string" },
      "gen-runs": { type: "string" },
      lang: { type: "string", multiple: true },
      work: { type: "string" },
      "apig-n": { type: "string" },
      "apig-shell-n": { type: "string" },
      "apig-clients": { type: "string" },
      "apig-instances": { type: "string" },
      "apig-max-s": { type: "string" },
      "apig-rounds": { type: "string" },
      only: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const int = (flag, env, def) => {
    const v = Number(values[flag] ?? process.env[env] ?? def);
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${flag} (${env}): expected a positive whole number`);
    return v;
  };
  const langs = values.lang ?? process.env.BENCH_LANGS?.split(",") ?? LANGS;
  for (const l of langs) if (!LANGS.includes(l)) throw new Error(`--lang ${l}: expected one of ${LANGS.join(", ")}`);
  return {
    n: int("n", "BENCH_N", 10000),
    shellN: int("shell-n", "BENCH_SHELL_N", 200),
    rounds: int("rounds", "BENCH_ROUNDS", 10),
    starts: int("starts", "BENCH_STARTS", 21),
    genRuns: int("gen-runs", "BENCH_GEN_RUNS", 9),
    langs: LANGS.filter((l) => langs.includes(l)),
    work: values.work ?? process.env.BENCH_WORK ?? join(tmpdir(), "fg-bootgen-bench"),
    apigN: int("apig-n", "BENCH_APIG_N", 2000),
    apigShellN: int("apig-shell-n", "BENCH_APIG_SHELL_N", 150),
    apigRounds: int("apig-rounds", "BENCH_APIG_ROUNDS", 3),
    apigClients: int("apig-clients", "BENCH_APIG_CLIENTS", 16),
    apigInstances: int("apig-instances", "BENCH_APIG_INSTANCES", 4),
    apigMaxS: int("apig-max-s", "BENCH_APIG_MAX_S", 15),
    only: only(values.only ?? process.env.BENCH_ONLY),
  };
}

function only(value) {
  if (value !== undefined && value !== "apig") throw new Error(`--only ${value} (BENCH_ONLY): the one part that runs alone is apig`);
  return value;
}

const began = performance.now();
const log = (msg) => process.stderr.write(`bench: ${((performance.now() - began) / 1000).toFixed(1).padStart(5)} s  ${msg}\n`);
const opts = options();
const loadBefore = loadavg()[0];
const { RuntimeApi } = await import(join(ROOT, "dist/emulator/api.js"));
const { loadSpec } = await import(join(ROOT, "dist/spec.js"));
const { defaultEnv } = await import(join(ROOT, "dist/emulator/env.js"));
const { spec } = loadSpec();

// 1. Build. The work folder's run/ is rebuilt every time; cargo-target/ beside it is kept.
const work = join(opts.work, "run");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const scratch = mkdtempSync(join(work, "tmp-"));
const pythonDir = realPythonDir();
/** Every loop: name → { dir, argv, n, bootstrapBytes?, zipBytes? } or { error }. */
const loops = {};
log("building the reference loop");
let reference;
try {
  reference = buildReference(work);
} catch (err) {
  console.error(`bench: cannot build the reference loop (bench/reference, needs Go): ${err.stderr || err.message}`);
  process.exit(1);
}
// No asynchronous preemption: it would signal the reference, blocked in a raw read, every 10 ms.
loops.reference = { ...reference.raw, n: opts.n, env: { GODEBUG: "asyncpreemptoff=1" } };
loops["reference-net"] = { ...reference.net, n: opts.n };
for (const lang of opts.langs) {
  log(`generating and building ${lang}`);
  loops[lang] = { ...buildLang(lang, work), n: lang === "shell" ? opts.shellN : opts.n };
  if (loops[lang].error) log(`${lang}: not built: ${loops[lang].error}`);
}
if (opts.langs.includes("shell")) loops.sample = { ...sampleLoop(work), n: opts.shellN };
const names = Object.keys(loops);

/** Requests per second through `emulate --apig` at 1 and N instances (bench/apig.mjs). */
async function apigStep() {
  log(`emulate --apig: ${opts.langs.join(", ")} at 1 and ${opts.apigInstances} instances, ${opts.apigClients} clients`);
  return apigThroughput({
    cli: CLI,
    loops,
    langs: opts.langs,
    instances: opts.apigInstances,
    clients: opts.apigClients,
    n: opts.apigN,
    shellN: opts.apigShellN,
    maxMs: opts.apigMaxS * 1000,
    rounds: opts.apigRounds,
    env: () => ({ ...process.env, PATH: [pythonDir, process.env.PATH].filter(Boolean).join(":"), TMPDIR: scratch }),
    log,
  });
}
const apigHeading = () =>
  `### emulate --apig: requests per second (${opts.apigClients} keep-alive clients on loopback, GET, the default scaffold's answer; median of ${opts.apigRounds} rounds)`;
if (opts.only === "apig") {
  const apig = await apigStep();
  console.log(`${apigHeading()}\n\n${apigTable(apig, opts.apigInstances)}`);
  rmSync(scratch, { recursive: true, force: true });
  const resultsDir = join(ROOT, "bench/results");
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `bench-apig-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), options: opts, apig }, null, 2)}\n`);
  log(`wrote ${file}`);
  process.exit(0);
}

const ctx = {
  RuntimeApi,
  spec,
  idleMs: 200,
  // The spec's variables with the emulator's placeholders, the API address, and a scratch TMPDIR
  // (the sample loop leaks one mktemp file per invocation, as the official sample does).
  env: (loop, addr) => ({
    PATH: [pythonDir, process.env.PATH].filter(Boolean).join(":"),
    HOME: process.env.HOME ?? "/tmp",
    ...defaultEnv(spec, loop.dir),
    ...loop.env,
    RUNTIME_API_ADDR: addr,
    TMPDIR: scratch,
  }),
};

// 2. Throughput, latency, memory. Every loop is started once and kept running, each against its own
// API; then batches alternate: reference, loop A, reference, loop B, reference, ... round after round.
// A loop's ratio is its throughput over that of the reference batches around its own (pooled over
// rounds), so the drifting load of this shared machine weighs on both alike. Warm-up batches first
// (the reference's, longer, also warms the emulator up: V8 compiles its hot paths).
const sessions = {};
for (const name of names.filter((n) => !loops[n].error)) {
  try {
    sessions[name] = await Session.start(ctx, loops[name]);
  } catch (err) {
    loops[name].failed = `start failed: ${err.message}`;
  }
}
await sleep(ctx.idleMs);
const rssStart = Object.fromEntries(Object.entries(sessions).map(([name, s]) => [name, s.rss()]));
const batches = Object.fromEntries(names.map((name) => [name, []]));
/** One batch of a loop's (`count` invocations, default its share of N); undefined if the loop failed. */
async function batch(name, count = Math.ceil(loops[name].n / opts.rounds)) {
  const session = sessions[name];
  if (!session) return undefined;
  try {
    return await session.batch(count);
  } catch (err) {
    loops[name].failed = `run failed: ${err.message}`;
    log(`${name}: ${loops[name].failed}`);
    delete sessions[name];
    await session.stop();
    return undefined;
  }
}
log("warm-up");
await batch("reference", 3 * Math.ceil(opts.n / opts.rounds));
for (const name of Object.keys(sessions)) await batch(name);
const others = Object.keys(sessions).filter((n) => n !== "reference");
let before = await batch("reference");
for (let round = 1; round <= opts.rounds && before; round++) {
  const line = [];
  for (const name of others) {
    const b = await batch(name);
    const after = await batch("reference");
    if (!after) break;
    batches.reference.push(before);
    if (b) {
      const around = { n: before.n + after.n, ms: before.ms + after.ms };
      batches[name].push({ ...b, around, ratio: b.perSecond / ((around.n / around.ms) * 1000) });
      line.push(`${name} ${b.perSecond.toFixed(0)}`);
    }
    before = after;
  }
  log(`round ${round}/${opts.rounds}, inv/s: reference ${before?.perSecond.toFixed(0)}, ${line.join(", ")}`);
}
if (before) batches.reference.push(before);
await sleep(ctx.idleMs);
const rssAfter = Object.fromEntries(Object.entries(sessions).map(([name, s]) => [name, s.rss()]));
for (const session of Object.values(sessions)) await session.stop();

// 3. Cold starts, also taking turns (the sample loop and reference-net have no target: left out).
const colds = Object.fromEntries(names.map((name) => [name, []]));
const coldLoops = names.filter((name) => !loops[name].error && !loops[name].failed && name !== "sample" && name !== "reference-net");
log(`cold starts: ${opts.starts} × ${coldLoops.join(", ")}`);
const floor = [];
for (let i = 0; i < opts.starts; i++) {
  floor.push(await spawnFloor());
  for (const name of coldLoops) {
    try {
      colds[name].push(await coldStart(ctx, loops[name]));
    } catch (err) {
      loops[name].coldFailed ??= `cold start failed: ${err.message}`;
    }
  }
}

// 3b. The local API Gateway, per language at 1 and N instances.
const apig = await apigStep();

// 4. The generator, for every language that generates.
const genLangs = opts.langs.filter((l) => !loops[l].error?.startsWith("generating failed"));
log(`generator: ${opts.genRuns} runs of --lang ${genLangs.join(" --lang ")}`);
let generator;
try {
  const { gen, bare } = generatorRuns(CLI, genLangs, opts.genRuns, work);
  generator = { langs: genLangs, genMs: median(gen), bareMs: median(bare), ratio: median(gen) / median(bare), runs: { gen, bare } };
} catch (err) {
  generator = { langs: genLangs, error: err.message };
}

// 5. Summaries, tables, notes.
const git = (...args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
const tree = {
  commit: git("rev-parse", "--short", "HEAD"),
  changed: git("status", "--porcelain", "--", "src", "templates").split("\n").filter(Boolean).length,
};
const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, python: pythonDir, loadBefore, loadAfter: loadavg()[0], tree };
const summary = summarize({ loops, batches, rssStart, rssAfter, colds, floor, generator });
const { text, notes } = render(summary, opts, machine);
console.log(text);
console.log(`\n${apigHeading()}\n\n${apigTable(apig, opts.apigInstances)}`);

// 6. The JSON, and clean up the scratch folder (where the sample loop leaks its temp files).
rmSync(scratch, { recursive: true, force: true });
const resultsDir = join(ROOT, "bench/results");
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, options: opts, ...summary, apig, notes }, null, 2)}\n`);
log(`wrote ${file}`);
