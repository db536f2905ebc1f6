// npm run bench: the generated bootstraps against the project's emulator, and the generator itself.
// Read bench/README.md for what each figure means. Progress goes to stderr, the tables to stdout,
// everything measured to bench/results/bench-<time>.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildLang, buildReference, buildTyped, CLI, LANGS, realPythonDir, ROOT, sampleLoop, shellUnderBash } from "./build.mjs";
import { apigTable, apigThroughput } from "./apig.mjs";
import { APIG_EVENT, bareStart, cliRuns, coldStart, Session, spawnFloor } from "./measure.mjs";
import { sleep } from "./proc.mjs";
import { NODE_BIG, render, summarize } from "./report.mjs";

const HELP = `npm run bench -- [options]   (each option also reads the environment variable shown)
  --n N          invocations per loop over all rounds: go, rust, python, node, references (BENCH_N, 10000)
  --shell-n N    the same for the shell output and the sample loop (BENCH_SHELL_N, 200)
  --rounds N     rounds of interleaved batches (BENCH_ROUNDS, 10)
  --starts N     cold starts per language (BENCH_STARTS, 21)
  --gen-runs N   turns of the CLI runs (generate, --help, --check) and a bare node -e 0 (BENCH_GEN_RUNS, 11)
  --lang L       only these languages, repeatable (BENCH_LANGS=go,rust)
  --work DIR     build and scratch folder (BENCH_WORK, $TMPDIR/fg-bootgen-bench)
  --apig-n N     requests per language and instance count through emulate --apig (BENCH_APIG_N, 1000)
  --apig-shell-n N  the same for the shell output (BENCH_APIG_SHELL_N, 100)
  --apig-rounds N  rounds, 1 and N instances taking turns; the table gives medians (BENCH_APIG_ROUNDS, 3)
  --apig-clients N  concurrent keep-alive HTTP clients (BENCH_APIG_CLIENTS, 16)
  --apig-instances N  the second instance count, after 1 (BENCH_APIG_INSTANCES, 4)
  --apig-max-s N  at most this many seconds per language and instance count (BENCH_APIG_MAX_S, 10)
  --only apig    only the emulate --apig figures (BENCH_ONLY=apig)
  --skip apig    everything but the emulate --apig figures, which have no target (BENCH_SKIP=apig)`;

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
      skip: { type: "string" },
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
    genRuns: int("gen-runs", "BENCH_GEN_RUNS", 11),
    langs: LANGS.filter((l) => langs.includes(l)),
    work: values.work ?? process.env.BENCH_WORK ?? join(tmpdir(), "fg-bootgen-bench"),
    apigN: int("apig-n", "BENCH_APIG_N", 1000),
    apigShellN: int("apig-shell-n", "BENCH_APIG_SHELL_N", 100),
    apigRounds: int("apig-rounds", "BENCH_APIG_ROUNDS", 3),
    apigClients: int("apig-clients", "BENCH_APIG_CLIENTS", 16),
    apigInstances: int("apig-instances", "BENCH_APIG_INSTANCES", 4),
    apigMaxS: int("apig-max-s", "BENCH_APIG_MAX_S", 10),
    only: only(values.only ?? process.env.BENCH_ONLY),
    skip: skip(values.skip ?? process.env.BENCH_SKIP),
  };
}

function skip(value) {
  if (value !== undefined && value !== "apig") throw new Error(`--skip ${value} (BENCH_SKIP): the one part that can be skipped is apig`);
  return value;
}

function only(value) {
  if (value !== undefined && value !== "apig") throw new Error(`--only ${value} (BENCH_ONLY): the one part that runs alone is apig`);
  return value;
}

/**
 * Whether two answers hold the same JSON, a string `body` that holds JSON compared as JSON: the
 * order of keys may differ (Rust's HashMap iterates in a random order per process).
 */
function sameJson(a, b) {
  const parsed = (text) => {
    try {
      return { json: JSON.parse(text) };
    } catch {
      return text;
    }
  };
  const canonical = (v) => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v === null || typeof v !== "object") return v;
    const keys = Object.keys(v).sort();
    return Object.fromEntries(keys.map((k) => [k, canonical(k === "body" && typeof v[k] === "string" ? parsed(v[k]) : v[k])]));
  };
  const text = (buf) => JSON.stringify(canonical(parsed(buf.toString())));
  return text(a) === text(b);
}

/** The languages whose typed JSON handler is measured against the raw scaffold. */
const TYPED = ["go", "rust"];
const began = performance.now();
const log = (msg) => process.stderr.write(`bench: ${((performance.now() - began) / 1000).toFixed(1).padStart(5)} s  ${msg}\n`);
const opts = options();
const loadBefore = loadavg()[0];
/** A module of the compiled project (tsc's output in dist/: the emulator's API, the spec, its variables). */
async function project(path) {
  try {
    return await import(join(ROOT, path));
  } catch (err) {
    console.error(`bench: cannot load ${path} (npm run build compiles it): ${err.message}`);
    process.exit(1);
  }
}
const { RuntimeApi } = await project("dist/emulator/api.js");
const { loadSpec } = await project("dist/spec.js");
const { defaultEnv } = await project("dist/emulator/env.js");
const { spec } = loadSpec();

// 1. Build, in a folder of this run's own under the work folder (others may run the benchmark at the
// same time), removed when the run ends; cargo-target/ beside it is shared and kept (cargo locks it).
mkdirSync(opts.work, { recursive: true });
const work = mkdtempSync(join(opts.work, "run-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
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
// The shell output under bash too, and the official sample's loop (under bash, as it is written).
if (opts.langs.includes("shell")) {
  if (!loops.shell.error) loops["shell-bash"] = { ...shellUnderBash(loops.shell), n: opts.shellN };
  loops.sample = { ...sampleLoop(work), n: opts.shellN };
}
// A second copy of the Go and Rust outputs with a typed JSON handler (bench/handlers/).
for (const lang of TYPED.filter((l) => opts.only !== "apig" && opts.langs.includes(l) && !loops[l].error)) {
  log(`building ${lang} with the typed JSON handler of bench/handlers/${lang}`);
  loops[`${lang}-typed`] = { ...buildTyped(lang, work), n: opts.n };
  if (loops[`${lang}-typed`].error) log(`${lang}-typed: not built: ${loops[`${lang}-typed`].error}`);
}
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
const rssStart = {};
for (const [name, s] of Object.entries(sessions)) rssStart[name] = await s.idleRss();
const batches = Object.fromEntries([...names, ...TYPED.map((l) => `${l}-apig`)].map((name) => [name, []]));
/** One batch of a loop's (`count` invocations, default its share of N); undefined if the loop failed. */
async function batch(name, count = Math.ceil(loops[name].n / opts.rounds), event = undefined) {
  const session = sessions[name];
  if (!session) return undefined;
  try {
    return await session.batch(count, event);
  } catch (err) {
    loops[name].failed = `run failed: ${err.message}`;
    log(`${name}: ${loops[name].failed}`);
    delete sessions[name];
    await session.stop();
    return undefined;
  }
}
/** Two batches of a loop as one (undefined if either failed). */
function joined(bs) {
  if (bs.some((b) => !b)) return undefined;
  const sum = (key) => bs.reduce((t, b) => t + b[key], 0);
  const n = sum("n");
  const ms = sum("ms");
  return { n, ms, perSecond: (n / ms) * 1000, latencyMs: bs.flatMap((b) => b.latencyMs), apiCpuMs: sum("apiCpuMs"), loopCpuMs: sum("loopCpuMs") };
}
const typedPairs = TYPED.filter((l) => sessions[l] && sessions[`${l}-typed`]);
/** Whether raw and typed answered the APIG event with the same bytes (checked on the warm-up). */
const sameAnswer = {};
log("warm-up");
await batch("reference", 3 * Math.ceil(opts.n / opts.rounds));
const others = Object.keys(sessions).filter((n) => n !== "reference" && !n.endsWith("-typed"));
for (const name of others) await batch(name);
for (const lang of typedPairs) {
  const raw = await batch(lang, undefined, APIG_EVENT);
  const typed = await batch(`${lang}-typed`, undefined, APIG_EVENT);
  if (raw && typed) sameAnswer[lang] = { same: sameJson(raw.firstBody, typed.firstBody), raw: raw.firstBody.toString(), typed: typed.firstBody.toString() };
  if (sameAnswer[lang] && !sameAnswer[lang].same) log(`WARNING: ${lang}: the typed handler answers the APIG event differently from the raw scaffold`);
}
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
      batches[name].push({ ...b, round, around, ratio: b.perSecond / ((around.n / around.ms) * 1000) });
      line.push(`${name} ${b.perSecond.toFixed(0)}`);
    }
    before = after;
  }
  // Typed against raw on the 1 KiB APIG event: each side's share of the round in two halves, in
  // the order A B B A (raw first in odd rounds, typed first in even ones), so that a load that
  // drifts steadily through the round weighs on both alike.
  for (const lang of typedPairs) {
    const [a, b] = round % 2 ? [lang, `${lang}-typed`] : [`${lang}-typed`, lang];
    const half = Math.ceil(loops[lang].n / opts.rounds / 2);
    const got = { [a]: [], [b]: [] };
    for (const name of [a, b, b, a]) got[name].push(await batch(name, half, APIG_EVENT));
    const raw = joined(got[lang]);
    const typed = joined(got[`${lang}-typed`]);
    if (raw && typed) {
      batches[`${lang}-apig`].push({ ...raw, round });
      batches[`${lang}-typed`].push({ ...typed, round, ratio: typed.perSecond / raw.perSecond });
      line.push(`${lang} apig raw ${raw.perSecond.toFixed(0)} typed ${typed.perSecond.toFixed(0)}`);
    }
  }
  log(`round ${round}/${opts.rounds}, inv/s: reference ${before?.perSecond.toFixed(0)}, ${line.join(", ")}`);
}
if (before) batches.reference.push(before);
await sleep(ctx.idleMs);
const rssAfter = {};
for (const [name, s] of Object.entries(sessions)) rssAfter[name] = await s.idleRss();
for (const session of Object.values(sessions)) await session.stop();

// 3. Cold starts, all taking turns: in every turn the spawn floor (/bin/true), a bare python3 -S
// and a bare node -e 0 (started like the bootstraps, with their PATH), then every output once
// (the sample loop, the bash run of the shell output, the typed copies and reference-net have no
// target: left out).
// The Node output also at 1024 MB of function memory (cold starts only): there its bootstrap gives
// node no heap flags, which below 512 MB make node reject its code cache (the usual run: 128 MB).
const memoryEnv = (await project("dist/model.js")).memoryVariable(spec.env);
if (memoryEnv && loops.node && !loops.node.error && !loops.node.failed) loops[NODE_BIG] = { ...loops.node, env: { ...loops.node.env, [memoryEnv]: "1024" } };
const colds = Object.fromEntries(Object.keys(loops).map((name) => [name, []]));
const skipCold = new Set(["sample", "reference-net", "shell-bash", ...TYPED.map((l) => `${l}-typed`)]);
const coldLoops = Object.keys(loops).filter((name) => !loops[name].error && !loops[name].failed && !skipCold.has(name));
const bare = { floor: [], python: [], node: [] };
const bareArgv = { python: ["python3", "-S", "-c", "pass"], node: ["node", "-e", "0"] };
const bareEnv = { PATH: ctx.env(loops.reference, "").PATH, HOME: process.env.HOME ?? "/tmp" };
const bareErrors = {};
log(
  `cold starts: ${opts.starts} × floor, ${opts.langs
    .filter((l) => l in bareArgv)
    .map((l) => `bare ${l}`)
    .join(", ")}, ${coldLoops.join(", ")}`,
);
for (let i = 0; i < opts.starts; i++) {
  bare.floor.push(await spawnFloor());
  for (const lang of Object.keys(bareArgv).filter((l) => opts.langs.includes(l))) {
    try {
      bare[lang].push(await bareStart(bareArgv[lang], bareEnv));
    } catch (err) {
      bareErrors[lang] ??= err.message;
      bare[lang].push(NaN);
    }
  }
  for (const name of coldLoops) {
    try {
      colds[name].push(await coldStart(ctx, loops[name]));
    } catch (err) {
      loops[name].coldFailed ??= `cold start failed: ${err.message}`;
      colds[name].push(NaN);
    }
  }
}

// 3b. The local API Gateway, per language at 1 and N instances.
const apig = opts.skip === "apig" ? undefined : await apigStep();

// 4. The CLI (the bin of package.json): generating every language, --help, --check of an
// up-to-date output, each against a bare node -e 0, taking turns.
const genLangs = opts.langs.filter((l) => !loops[l].error?.startsWith("generating failed"));
log(`CLI ${CLI.slice(ROOT.length + 1)}: ${opts.genRuns} turns of node -e 0, --lang ${genLangs.join(" --lang ")}, --help, --check`);
let cli;
try {
  cli = { path: CLI.slice(ROOT.length + 1), langs: genLangs, runs: cliRuns(CLI, genLangs, opts.genRuns, work) };
} catch (err) {
  cli = { path: CLI.slice(ROOT.length + 1), langs: genLangs, error: err.message };
}

// 5. Summaries, tables, notes.
const git = (...args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
const tree = {
  commit: git("rev-parse", "--short", "HEAD"),
  changed: git("status", "--porcelain", "--", "src", "templates").split("\n").filter(Boolean).length,
};
const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, python: pythonDir, loadBefore, loadAfter: loadavg()[0], tree };
const summary = summarize({ loops, batches, rssStart, rssAfter, colds, bare, bareErrors, cli, sameAnswer, apigEventBytes: APIG_EVENT.length });
const { text, summaryTable, notes } = render(summary, opts, machine);
console.log(text);
if (apig) console.log(`\n${apigHeading()}\n\n${apigTable(apig, opts.apigInstances)}`);
console.log(`\n${summaryTable}`);

// 6. The JSON, and clean up the scratch folder (where the sample loop leaks its temp files).
rmSync(scratch, { recursive: true, force: true });
const resultsDir = join(ROOT, "bench/results");
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), machine, options: opts, ...summary, typedAnswers: sameAnswer, apig, notes }, null, 2)}\n`,
);
log(`wrote ${file}`);
