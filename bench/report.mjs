// From measurements to figures (summarize), the targets of the performance issue with their
// spread, and the printed report (render): Markdown tables, aligned so that they read in a terminal
// too, notes, and the summary table of every target.

/** The median of a list of numbers (the mean of the middle two for an even count); NaN if empty. */
export function median(xs) {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The q-quantile of a list of numbers (nearest rank); NaN for an empty list. */
export function quantile(xs, q) {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Quartiles and extremes of a list (NaNs dropped): { q1, q3, min, max, count }. */
export function spread(xs) {
  const v = xs.filter((x) => typeof x === "number" && !Number.isNaN(x));
  return { q1: quantile(v, 0.25), q3: quantile(v, 0.75), min: Math.min(...v), max: Math.max(...v), count: v.length };
}

/** Pooled throughput of batches: invocations over their total time, per second. */
const pooled = (bs) => (bs.reduce((t, b) => t + b.n, 0) / bs.reduce((t, b) => t + b.ms, 0)) * 1000;

/**
 * Ratios of loop a's throughput to loop b's, from batches of the same rounds: pooled over those
 * rounds, and per round (its spread).
 */
function pairRatio(as, bs) {
  const byRound = new Map(bs.map((b) => [b.round, b]));
  const pairs = as.filter((a) => byRound.has(a.round)).map((a) => [a, byRound.get(a.round)]);
  if (pairs.length === 0) return undefined;
  const rounds = pairs.map(([a, b]) => a.perSecond / b.perSecond);
  return { ratio: median(rounds), pooled: pooled(pairs.map((p) => p[0])) / pooled(pairs.map((p) => p[1])), rounds, ...spread(rounds) };
}

/**
 * One summary per loop. Throughput, wall and CPU time per invocation: over all its batches. Ratio
 * to the reference: its throughput over that of the reference batches around its batches (both
 * pooled over rounds); the quartiles of the per-round ratios show the noise. Latency: p50 and p99
 * over all its invocations, and their difference to the reference's. Then the comparisons of the
 * issue: shell against the sample loop and dash against bash, typed against raw handlers, cold
 * starts against the floor and the bare interpreters, the CLI against a bare node.
 */
export function summarize({ loops, batches, rssStart, rssAfter, colds, bare, bareErrors, cli, sameAnswer, apigEventBytes }) {
  const out = {};
  for (const [name, loop] of Object.entries(loops)) {
    const bs = batches[name] ?? []; // none for the typed copies and the cold-start-only Node run
    const s = {
      n: loop.n,
      error: loop.error && `not built: ${loop.error}`,
      failed: loop.failed,
      coldFailed: loop.coldFailed,
      bootstrapBytes: loop.bootstrapBytes,
      zipBytes: loop.zipBytes,
    };
    if (colds[name]?.length) {
      s.coldRuns = colds[name];
      s.coldMs = median(colds[name].filter((x) => !Number.isNaN(x)));
      Object.assign(s, { coldSpread: spread(colds[name]) });
    }
    if (bs.length > 0) {
      const sum = (key) => bs.reduce((total, b) => total + b[key], 0);
      const n = sum("n");
      const latency = bs.flatMap((b) => b.latencyMs);
      const around = bs.reduce((t, b) => ({ n: t.n + (b.around?.n ?? 0), ms: t.ms + (b.around?.ms ?? 0) }), { n: 0, ms: 0 });
      const rounds = bs.map((b) => b.ratio);
      Object.assign(s, {
        invocations: n,
        perSecond: (n / sum("ms")) * 1000,
        // The median of the per-round ratios: one round in which other work hit the loop or the
        // reference weighs no more than any other. Pooled: all its batches over all theirs.
        ratio: name === "reference" ? 1 : median(rounds),
        pooledRatio: name === "reference" ? 1 : n / sum("ms") / (around.n / around.ms),
        ratioRounds: name === "reference" ? undefined : rounds,
        ratioSpread: name === "reference" ? undefined : spread(rounds),
        p50: quantile(latency, 0.5),
        p99: quantile(latency, 0.99),
        wallUs: (sum("ms") * 1000) / n,
        apiCpuUs: (sum("apiCpuMs") * 1000) / n,
        loopCpuUs: (sum("loopCpuMs") * 1000) / n,
      });
    }
    const idle = (r) => r && { kib: median(r.kib), min: Math.min(...r.kib), max: Math.max(...r.kib), procs: r.procs, invocations: r.invocations };
    if (rssStart[name]) s.rssStart = idle(rssStart[name]);
    if (rssAfter[name]) s.rssAfter = idle(rssAfter[name]);
    out[name] = s;
  }
  const ref = out.reference;
  for (const s of Object.values(out)) {
    if (s.p50 !== undefined && ref.p50 !== undefined) {
      s.addedP50 = s.p50 - ref.p50;
      s.addedP99 = s.p99 - ref.p99;
    }
  }
  // The shell output (dash, and bash) against the sample loop (bash), and dash against bash: all
  // three run in every round, a short reference batch apart.
  const shell = {
    vsSample: batches.shell && batches.sample && pairRatio(batches.shell, batches.sample),
    bashVsSample: batches["shell-bash"] && batches.sample && pairRatio(batches["shell-bash"], batches.sample),
    dashVsBash: batches.shell && batches["shell-bash"] && pairRatio(batches.shell, batches["shell-bash"]),
  };
  // Typed JSON handler against the raw scaffold, same 1 KiB APIG event, back to back in every round.
  const typed = {};
  for (const lang of ["go", "rust"]) {
    const raw = batches[`${lang}-apig`] ?? [];
    const t = batches[`${lang}-typed`] ?? [];
    if (raw.length === 0 || t.length === 0) continue;
    const cpu = (bs) => (bs.reduce((x, b) => x + b.loopCpuMs, 0) * 1000) / bs.reduce((x, b) => x + b.n, 0);
    typed[lang] = {
      ...pairRatio(t, raw),
      rawPerSecond: pooled(raw),
      typedPerSecond: pooled(t),
      rawCpuUs: cpu(raw),
      typedCpuUs: cpu(t),
      rawP50: quantile(
        raw.flatMap((b) => b.latencyMs),
        0.5,
      ),
      typedP50: quantile(
        t.flatMap((b) => b.latencyMs),
        0.5,
      ),
      invocations: t.reduce((x, b) => x + b.n, 0),
      same: sameAnswer?.[lang]?.same,
    };
  }
  // Cold starts: each against its base, turn by turn (the base measured in the same turn).
  const floor = bare.floor;
  const cold = {};
  for (const [name, base] of Object.entries(COLD_BASES)) {
    const runs = out[name]?.coldRuns;
    const baseRuns = base.bare ? (bare[base.bare] ?? []).map((b, i) => b + floor[i]) : floor;
    if (!runs?.length || baseRuns.length !== runs.length) continue;
    const perTurn = runs.map((c, i) => c / baseRuns[i]);
    const baseMs = median(baseRuns.filter((x) => !Number.isNaN(x)));
    cold[name] = { base: base.label, baseMs, target: base.target, ratio: median(perTurn.filter((x) => !Number.isNaN(x))), turns: perTurn, ...spread(perTurn) };
  }
  const bareSummary = Object.fromEntries(
    Object.entries(bare)
      .filter(([, runs]) => runs.length > 0)
      .map(([k, runs]) => [k, { ms: median(runs.filter((x) => !Number.isNaN(x))), ...spread(runs), error: bareErrors?.[k] }]),
  );
  // The CLI: each kind of run against the bare node of the same turn.
  const cliOut = { path: cli.path, langs: cli.langs, error: cli.error };
  if (cli.runs) {
    const bareMs = median(cli.runs.bare);
    cliOut.bareMs = bareMs;
    cliOut.bareSpread = spread(cli.runs.bare);
    for (const kind of ["gen", "help", "check"]) {
      const perTurn = cli.runs[kind].map((ms, i) => ms / cli.runs.bare[i]);
      cliOut[kind] = {
        ms: median(cli.runs[kind]),
        msSpread: spread(cli.runs[kind]),
        ratio: median(perTurn),
        turns: perTurn,
        ...spread(perTurn),
      };
    }
    cliOut.runs = cli.runs;
  }
  const summary = { loops: out, shell, typed, cold, bare: bareSummary, cli: cliOut, apigEventBytes };
  summary.targets = targets(summary);
  return summary;
}

/** The Node output's cold start at 1024 MB of function memory, where it gives node no heap flags. */
export const NODE_BIG = "node-1024mb";

/** What each cold start is compared with, turn by turn, and the issue's target for the ratio. */
const COLD_BASES = {
  go: { label: "floor", target: 1.2 },
  rust: { label: "floor", target: 1.2 },
  python: { label: "bare python + floor", bare: "python", target: 2 },
  node: { label: "bare node + floor", bare: "node", target: 1.3 },
  [NODE_BIG]: { label: "bare node + floor", bare: "node" },
  shell: { label: "floor" },
  reference: { label: "floor" },
};

const MiB = 1024 * 1024;
const x2 = (v) => `${v.toFixed(2)}×`;
const q = (sp, fmt = (v) => v.toFixed(2)) => (sp && sp.count > 0 ? `q1–q3 ${fmt(sp.q1)}–${fmt(sp.q3)}, n=${sp.count}` : "");

/**
 * Every figure of the performance issue: { figure, target, value (null: not measured), shown (with
 * its spread), result: PASS, MISS, n/a (not measured) or "—" (no target) }.
 */
export function targets(s) {
  const rows = [];
  const add = (figure, target, value, shown, ok) => {
    const missing = value === undefined || value === null || Number.isNaN(value);
    rows.push({
      figure,
      target: target ?? "—",
      value: missing ? null : value,
      shown: missing ? "not measured" : shown,
      result: missing ? "n/a" : ok ? (ok(value) ? "PASS" : "MISS") : "—",
    });
  };
  const c = s.cli;
  const cliRow = (kind, what, limit) =>
    add(`${what} vs bare node -e 0`, `≤ ${limit.toFixed(1)}×`, c[kind]?.ratio, c[kind] && `${x2(c[kind].ratio)} (${q(c[kind])})`, (v) => v <= limit);
  cliRow("gen", `generator, ${c.langs.length} languages`, 2.0);
  cliRow("help", "fg-bootgen --help", 1.5);
  cliRow("check", `fg-bootgen --check, up-to-date ${c.langs.length}-language output`, 2.0);
  const thr = (lang, limit) => {
    const l = s.loops[lang];
    add(
      `${lang} throughput vs raw-syscall reference`,
      limit && `≥ ${limit}×`,
      l?.ratio,
      l?.ratio !== undefined && `${x2(l.ratio)} (${q(l.ratioSpread)} rounds)`,
      limit && ((v) => v >= limit),
    );
  };
  thr("go", 0.9);
  thr("rust", undefined);
  thr("python", 0.6);
  thr("node", 0.6);
  const pair = (figure, target, p, ok) => add(figure, target, p?.ratio, p && `${x2(p.ratio)} (${q(p)} rounds)`, ok);
  pair("shell (dash) vs official sample loop (bash)", "≥ 2.5×", s.shell.vsSample, (v) => v >= 2.5);
  pair("shell (bash) vs official sample loop (bash)", undefined, s.shell.bashVsSample);
  pair("shell output under dash vs under bash", "≥ 1.0×", s.shell.dashVsBash, (v) => v >= 1);
  for (const [lang, base] of Object.entries(COLD_BASES)) {
    const k = s.cold[lang];
    if (!k && base.target === undefined) continue;
    const what = lang === "reference" ? "reference (minimal static Go)" : label(lang);
    add(
      `${what} cold start to first GET vs ${base.label}`,
      base.target && `≤ ${base.target.toFixed(1)}×`,
      k?.ratio,
      k && `${x2(k.ratio)} (${q(k)} turns; ${s.loops[lang].coldMs.toFixed(1)} ms, base ${k.baseMs.toFixed(1)} ms)`,
      base.target && ((v) => v <= base.target),
    );
  }
  const rssTargets = { go: 8, node: 45 };
  for (const lang of ["go", "rust", "python", "node", "shell"]) {
    const r = s.loops[lang]?.rssAfter;
    const limit = rssTargets[lang];
    add(
      `${lang} idle RSS after ${r?.invocations ?? "N"} invocations`,
      limit && `≤ ${limit} MiB`,
      r && r.kib / 1024,
      r && `${(r.kib / 1024).toFixed(1)} MiB (min–max ${(r.min / 1024).toFixed(1)}–${(r.max / 1024).toFixed(1)}, ${r.procs} proc${r.procs > 1 ? "s" : ""})`,
      limit && ((v) => v <= limit),
    );
  }
  const size = s.loops.rust?.bootstrapBytes;
  add("rust static binary size", "≤ 1.0 MiB", size && size / MiB, size && `${(size / MiB).toFixed(2)} MiB (${size} bytes, one build)`, (v) => v <= 1.0);
  for (const lang of ["go", "rust"]) {
    const t = s.typed[lang];
    add(
      `${lang} typed JSON handler vs raw, ${s.apigEventBytes} B APIG event`,
      "≥ 0.9×",
      t?.ratio,
      t && `${x2(t.ratio)} (${q(t)} rounds)${t.same === false ? ", ANSWERS DIFFER" : ""}`,
      (v) => v >= 0.9,
    );
  }
  return rows;
}

const LABELS = {
  reference: "reference (Go, raw syscalls)",
  "reference-net": "reference on Go's net",
  shell: "shell (dash)",
  "shell-bash": "shell (bash)",
  sample: "sample loop (bash)",
  node: "node (128 MB)",
  [NODE_BIG]: "node (1024 MB)",
};
const label = (name) => LABELS[name] ?? name;
const range = (sp, digits = 2) => (sp && sp.count > 0 ? `${fixed(sp.q1, digits)}–${fixed(sp.q3, digits)}` : "");

/** The report: the tables of every figure, notes; and the summary table of the targets, apart. */
export function render(summary, opts, machine) {
  const loops = summary.loops;
  const names = Object.keys(loops).filter((n) => !n.endsWith("-typed") && n !== NODE_BIG);
  const perf = names.map((name) => {
    const s = loops[name];
    if (s.perSecond === undefined) return [label(name), ...Array(11).fill(""), s.error ?? s.failed];
    return [
      label(name),
      s.invocations,
      fixed(s.perSecond, 0),
      fixed(s.ratio, 2),
      range(s.ratioSpread),
      fixed(s.pooledRatio, 2),
      fixed(s.p50, 3),
      fixed(s.p99, 3),
      signed(s.addedP50, 3),
      signed(s.addedP99, 3),
      fixed(s.wallUs, 0),
      fixed(s.apiCpuUs, 0),
      fixed(s.loopCpuUs, 0),
    ];
  });
  const shellRows = [
    ["shell (dash) / sample loop (bash)", summary.shell.vsSample],
    ["shell (bash) / sample loop (bash)", summary.shell.bashVsSample],
    ["shell (dash) / shell (bash)", summary.shell.dashVsBash],
  ]
    .filter(([, p]) => p)
    .map(([what, p]) => [what, fixed(p.ratio, 2), range(p), `${fixed(p.min, 2)}–${fixed(p.max, 2)}`, fixed(p.pooled, 2), p.count]);
  const typedRows = Object.entries(summary.typed).map(([lang, t]) => [
    lang,
    t.invocations,
    fixed(t.rawPerSecond, 0),
    fixed(t.typedPerSecond, 0),
    fixed(t.ratio, 2),
    range(t),
    `${fixed(t.min, 2)}–${fixed(t.max, 2)}`,
    fixed(t.pooled, 2),
    fixed(t.rawP50, 3),
    fixed(t.typedP50, 3),
    fixed(t.rawCpuUs, 0),
    fixed(t.typedCpuUs, 0),
    t.same === undefined ? "?" : t.same ? "yes" : "NO",
  ]);
  const coldRows = [];
  const b = summary.bare;
  const bareRow = (what, k) => b[k] && coldRows.push([what, fixed(b[k].ms, 1), range(b[k], 1), "", "", "", b[k].error ?? ""]);
  bareRow("spawn floor (/bin/true, to exit)", "floor");
  bareRow("bare python3 -S -c pass (to exit)", "python");
  bareRow("bare node -e 0 (to exit)", "node");
  for (const name of Object.keys(loops)) {
    const s = loops[name];
    const k = summary.cold[name];
    if (s.coldMs === undefined) continue;
    coldRows.push([
      label(name),
      fixed(s.coldMs, 1),
      range(s.coldSpread, 1),
      k ? `${k.base} ${fixed(k.baseMs, 1)}` : "",
      k ? fixed(k.ratio, 2) : "",
      k ? range(k) : "",
      k?.target ? `≤ ${k.target}×` : "",
    ]);
  }
  const footprint = Object.keys(loops)
    .filter((name) => loops[name].rssStart || loops[name].error)
    .map((name) => {
      const s = loops[name];
      if (s.error) return [label(name), ...Array(5).fill(""), s.error];
      const mib = (r) => (r ? `${(r.kib / 1024).toFixed(1)} MiB` : "");
      return [
        label(name),
        mib(s.rssStart),
        mib(s.rssAfter),
        s.rssAfter?.invocations ?? "",
        s.rssAfter?.procs ?? s.rssStart?.procs,
        bytes(s.bootstrapBytes),
        bytes(s.zipBytes),
      ];
    });
  const c = summary.cli;
  const cliRows = c.error
    ? [["(failed)", "", "", "", "", c.error]]
    : [
        ["node -e 0", fixed(c.bareMs, 0), range(c.bareSpread, 0), "", "", ""],
        [
          `generate --lang ×${c.langs.length}`,
          fixed(c.gen.ms, 0),
          range(c.gen.msSpread, 0),
          fixed(c.gen.ratio, 2),
          range(c.gen),
          `${fixed(c.gen.min, 2)}–${fixed(c.gen.max, 2)}`,
        ],
        ["--help", fixed(c.help.ms, 0), range(c.help.msSpread, 0), fixed(c.help.ratio, 2), range(c.help), `${fixed(c.help.min, 2)}–${fixed(c.help.max, 2)}`],
        [
          `--check (up to date, ×${c.langs.length})`,
          fixed(c.check.ms, 0),
          range(c.check.msSpread, 0),
          fixed(c.check.ratio, 2),
          range(c.check),
          `${fixed(c.check.min, 2)}–${fixed(c.check.max, 2)}`,
        ],
      ];
  const notes = notesOf(summary, opts, machine);
  const text = [
    `## Throughput and latency (${opts.rounds} rounds of interleaved batches)`,
    "",
    table(["loop", "N", "inv/s", "× ref", "rounds q1–q3", "pooled", "p50 ms", "p99 ms", "+p50 ms", "+p99 ms", "µs/inv", "API cpu µs", "loop cpu µs"], perf),
    ...(shellRows.length
      ? [
          "",
          "## Shell: the output against the official sample loop, dash against bash (per-round ratios)",
          "",
          table(["ratio of throughputs", "median", "rounds q1–q3", "min–max", "pooled", "rounds"], shellRows),
        ]
      : []),
    ...(typedRows.length
      ? [
          "",
          `## Typed JSON handler vs the raw scaffold (the same ${summary.apigEventBytes}-byte APIG event, back to back in every round)`,
          "",
          table(
            [
              "lang",
              "N",
              "raw inv/s",
              "typed inv/s",
              "typed/raw",
              "rounds q1–q3",
              "min–max",
              "pooled",
              "raw p50 ms",
              "typed p50 ms",
              "raw cpu µs",
              "typed cpu µs",
              "same answer",
            ],
            typedRows,
          ),
        ]
      : []),
    "",
    `## Cold start to the first GET (${opts.starts} turns; in each, the floor, the bare interpreters and every output once; ratios turn by turn)`,
    "",
    table(["start", "median ms", "q1–q3 ms", "base ms (median)", "ratio", "turns q1–q3", "target"], coldRows),
    "",
    "## Memory and size (RSS: sum of VmRSS over the process group, median of 5 readings while idle)",
    "",
    table(["lang", "RSS start", "RSS after", "after invocations", "procs", "bootstrap", "function.zip"], footprint),
    "",
    `## The CLI (${c.path}) against a bare node, ${opts.genRuns} turns`,
    "",
    table(["run", "median ms", "q1–q3 ms", "× node", "turns q1–q3", "min–max"], cliRows),
    "",
    "## Notes",
    "",
    ...notes.map((n) => `- ${n}`),
  ].join("\n");
  const summaryTable = [
    "## Summary: every target of the performance issue",
    "",
    table(
      ["figure", "target", "measured (spread)", "met"],
      summary.targets.map((t) => [t.figure, t.target, t.shown, t.result]),
    ),
  ].join("\n");
  return { text, summaryTable, notes };
}

function notesOf(summary, opts, machine) {
  const { loops, cli } = summary;
  const ref = loops.reference;
  const notes = [];
  if (ref.perSecond !== undefined) {
    const share = (100 * ref.apiCpuUs) / ref.wallUs;
    notes.push(
      `Reference loop: ${ref.perSecond.toFixed(0)} inv/s, ${ref.wallUs.toFixed(0)} µs per invocation: the emulator's CPU ${ref.apiCpuUs.toFixed(0)} µs (${share.toFixed(0)} %), the loop's ${ref.loopCpuUs.toFixed(0)} µs, the rest kernel and wake-ups. The emulator alone could serve ≈ ${(1e6 / ref.apiCpuUs).toFixed(0)} inv/s (its CPU time only).`,
    );
    const net = loops["reference-net"];
    if (net?.ratio !== undefined)
      notes.push(
        `The same loop on Go's net package (poller, goroutine wake-ups) reaches ${net.ratio.toFixed(2)}× the reference: what a Go runtime built on net pays here.`,
      );
    const fastest = opts.langs.filter((l) => loops[l]?.ratio !== undefined).sort((a, b) => loops[b].ratio - loops[a].ratio)[0];
    if (fastest) {
      const r = loops[fastest].ratio;
      const sp = loops[fastest].ratioSpread;
      notes.push(
        // Faster in three rounds out of four (q1 above 1): not noise.
        sp.q1 > 1
          ? `WARNING: ${fastest} runs at ${r.toFixed(2)}× the reference loop: the emulator may be the bottleneck (or the reference is not the floor), and ratios near 1 say little.`
          : r >= 0.95 || sp.q3 >= 1
            ? `The fastest bootstrap, ${fastest}, runs at ${r.toFixed(2)}× the reference loop (rounds ${sp.q1.toFixed(2)}–${sp.q3.toFixed(2)}): level with it within noise; the emulator is not what holds the others back.`
            : `The emulator serves the reference loop faster than any bootstrap: the fastest, ${fastest}, reaches ${r.toFixed(2)}× the reference.`,
      );
    }
  }
  if (loops.sample?.perSecond !== undefined)
    notes.push(
      `Sample loop (the official sample's, under bash with pipefail): ${loops.sample.perSecond.toFixed(0)} inv/s, ${(loops.sample.loopCpuUs / 1000).toFixed(1)} ms of CPU per invocation; the shell output's: ${fixed(loops.shell?.loopCpuUs / 1000, 1)} ms under dash, ${fixed(loops["shell-bash"]?.loopCpuUs / 1000, 1)} ms under bash.`,
    );
  for (const [lang, t] of Object.entries(summary.typed))
    if (t.same === false)
      notes.push(
        `WARNING: ${lang}: the typed handler (bench/handlers/${lang}) does not answer the APIG event with the raw scaffold's bytes; its ratio compares different work.`,
      );
  const floor = summary.bare.floor;
  if (floor)
    notes.push(
      `Cold-start floor: spawning /bin/true until it exits takes ${floor.ms.toFixed(1)} ms here (median of ${floor.count}); the reference, a minimal static Go binary, reaches its first GET in ${fixed(ref.coldMs, 1)} ms. The Python and Node bases add the floor to the bare interpreter's own spawn-to-exit time, as the issue states them.`,
    );
  if (cli.error) notes.push(`CLI: ${cli.error}`);
  else
    notes.push(
      `CLI: ${cli.path} (package.json bin, or dist/cli.js when that file is missing), run with ${machine.node} without NODE_EXTRA_CA_CERTS, as the bare node is.`,
    );
  if (cli.runs?.regenerated)
    notes.push(
      `CLI: --check found the checked folder out of date ${cli.runs.regenerated} time(s) (the CLI was rebuilt during the run?): it was generated again and checked once more.`,
    );
  if (cli.langs.length < opts.langs.length)
    notes.push(`The CLI was measured without ${opts.langs.filter((l) => !cli.langs.includes(l)).join(", ")}, which did not generate.`);
  if (opts.langs.includes("shell"))
    notes.push(
      `RSS after: the shell output and the sample loop make ${opts.shellN} invocations over the rounds (plus warm-up), not the ${opts.n} of the others: at about 50 per second, 10,000 would take minutes.`,
    );
  for (const [name, s] of Object.entries(loops)) for (const p of [s.error, s.failed, s.coldFailed]) if (p) notes.push(`${label(name)}: ${p}`);
  const { commit, changed } = machine.tree;
  notes.push(`Measured at commit ${commit || "?"}${changed ? ` with ${changed} uncommitted change(s) in src/ and templates/` : ""}.`);
  const busy = Math.max(machine.loadBefore, machine.loadAfter) > machine.cpus;
  notes.push(
    `Machine: ${machine.cpus} CPUs, load average (1 min) ${machine.loadBefore.toFixed(1)} at the start, ${machine.loadAfter.toFixed(1)} at the end${busy ? ": other work competed with the benchmark, so absolute figures are below an idle machine's; the ratios, each against batches or starts taken right beside it, drift less" : ""}.`,
  );
  return notes;
}

/** A Markdown table with padded columns; numeric columns right-aligned. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => (c === undefined || c === null ? "" : String(c))));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => [...(r[i] ?? "")].length)));
  const numeric = headers.map((_, i) => rows.every((r) => [undefined, null, ""].includes(r[i]) || /^[-+]?[\d.,]+( ?[a-zA-Z×%]+)?$/.test(String(r[i]))));
  const pad = (s, i) => {
    const gap = " ".repeat(widths[i] - [...s].length);
    return numeric[i] ? gap + s : s + gap;
  };
  const line = (r) => `| ${headers.map((_, i) => pad(r[i] ?? "", i)).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join("\n");
}

const fixed = (v, digits = 1) => (v === undefined || v === null || !Number.isFinite(v) ? "" : v.toFixed(digits));
const signed = (v, digits = 2) => (v === undefined || Number.isNaN(v) ? "" : `${v >= 0 ? "+" : ""}${v.toFixed(digits)}`);
const kib = (v) => (v === undefined ? "" : `${(v / 1024).toFixed(1)} MiB`);
const bytes = (v) => (v === undefined ? "" : v >= MiB ? `${(v / MiB).toFixed(2)} MiB` : `${(v / 1024).toFixed(0)} KiB`);
