// From measurements to figures (summarize), the targets of issue 6, and the printed report (render):
// Markdown tables, aligned so that they read in a terminal too, and notes.

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

/**
 * One summary per loop. Throughput, wall and CPU time per invocation: over all its batches. Ratio
 * to the reference: its throughput over that of the reference batches around its batches (both
 * pooled over rounds); the quartiles of the per-round ratios show the noise. Latency: p50 and p99
 * over all its invocations, and their difference to the reference's.
 */
export function summarize({ loops, batches, rssStart, rssAfter, colds, floor, generator }) {
  const out = {};
  for (const [name, loop] of Object.entries(loops)) {
    const bs = batches[name];
    const s = {
      n: loop.n,
      error: loop.error && `not built: ${loop.error}`,
      failed: loop.failed,
      coldFailed: loop.coldFailed,
      bootstrapBytes: loop.bootstrapBytes,
      zipBytes: loop.zipBytes,
      coldMs: colds[name].length ? median(colds[name]) : undefined,
      coldRuns: colds[name],
    };
    if (bs.length > 0) {
      const sum = (key) => bs.reduce((total, b) => total + b[key], 0);
      const n = sum("n");
      const latency = bs.flatMap((b) => b.latencyMs);
      const around = bs.reduce((t, b) => ({ n: t.n + (b.around?.n ?? 0), ms: t.ms + (b.around?.ms ?? 0) }), { n: 0, ms: 0 });
      const rounds = bs.map((b) => b.ratio);
      Object.assign(s, {
        invocations: n,
        perSecond: (n / sum("ms")) * 1000,
        ratio: name === "reference" ? 1 : n / sum("ms") / (around.n / around.ms),
        ratioRounds: name === "reference" ? undefined : rounds,
        ratioQ1: name === "reference" ? undefined : quantile(rounds, 0.25),
        ratioQ3: name === "reference" ? undefined : quantile(rounds, 0.75),
        p50: quantile(latency, 0.5),
        p99: quantile(latency, 0.99),
        wallUs: (sum("ms") * 1000) / n,
        apiCpuUs: (sum("apiCpuMs") * 1000) / n,
        loopCpuUs: (sum("loopCpuMs") * 1000) / n,
      });
    }
    if (rssStart[name]) {
      s.rssStartKib = rssStart[name].kib;
      s.rssAfterKib = rssAfter[name]?.kib;
      s.procs = Math.max(rssStart[name].procs, rssAfter[name]?.procs ?? 0);
      if (rssAfter[name]) s.idleKib = Math.max(s.rssStartKib, s.rssAfterKib);
    }
    out[name] = s;
  }
  const ref = out.reference;
  for (const s of Object.values(out)) {
    if (s.p50 !== undefined && ref.p50 !== undefined) {
      s.addedP50 = s.p50 - ref.p50;
      s.addedP99 = s.p99 - ref.p99;
    }
  }
  // The shell against the sample loop: both run in every round, one short reference batch apart.
  if (out.shell?.perSecond !== undefined && out.sample?.perSecond !== undefined) {
    out.shell.sampleRatio = out.shell.perSecond / out.sample.perSecond;
  }
  const summary = { loops: out, generator, spawnFloorMs: median(floor) };
  summary.targets = targets(summary);
  return summary;
}

const MiB = 1024 * 1024;

/** The targets, each with its measured value (null: not measured) and PASS, MISS or n/a. */
export function targets(s) {
  const ratio = (l) => s.loops[l]?.ratio;
  const cold = (l) => s.loops[l]?.coldMs;
  const idle = (l) => s.loops[l]?.idleKib && s.loops[l].idleKib / 1024;
  const size = (l) => s.loops[l]?.bootstrapBytes && s.loops[l].bootstrapBytes / MiB;
  const x = (v) => `${v.toFixed(2)}×`;
  const ms = (v) => `${v.toFixed(1)} ms`;
  const mib = (v) => `${v.toFixed(2)} MiB`;
  const rows = [
    ["throughput vs reference", "go", ratio("go"), "≥ 0.9×", (v) => v >= 0.9, x],
    ["throughput vs reference", "rust", ratio("rust"), "≥ 0.9×", (v) => v >= 0.9, x],
    ["throughput vs reference", "python", ratio("python"), "≥ 0.5×", (v) => v >= 0.5, x],
    ["throughput vs reference", "node", ratio("node"), "≥ 0.5×", (v) => v >= 0.5, x],
    ["throughput vs sample loop", "shell", s.loops.shell?.sampleRatio, "≥ 2.5×", (v) => v >= 2.5, x],
    ["cold start to first GET", "go", cold("go"), "< 5 ms", (v) => v < 5, ms],
    ["cold start to first GET", "rust", cold("rust"), "< 5 ms", (v) => v < 5, ms],
    ["cold start to first GET", "python", cold("python"), "< 50 ms", (v) => v < 50, ms],
    ["cold start to first GET", "node", cold("node"), "< 60 ms", (v) => v < 60, ms],
    ["cold start to first GET", "shell", cold("shell"), "< 30 ms", (v) => v < 30, ms],
    ["idle RSS (max of start, after N)", "rust", idle("rust"), "< 3 MiB", (v) => v < 3, mib],
    ["idle RSS (max of start, after N)", "go", idle("go"), "< 8 MiB", (v) => v < 8, mib],
    ["idle RSS (max of start, after N)", "python", idle("python"), "< 20 MiB", (v) => v < 20, mib],
    ["idle RSS (max of start, after N)", "node", idle("node"), "< 50 MiB", (v) => v < 50, mib],
    ["binary size", "go", size("go"), "< 5 MiB", (v) => v < 5, mib],
    ["binary size", "rust", size("rust"), "< 1 MiB", (v) => v < 1, mib],
    ["generator, all languages, vs bare node", "cli", s.generator?.ratio, "< 3×", (v) => v < 3, x],
  ];
  return rows.map(([figure, lang, value, target, ok, fmt]) => {
    const missing = value === undefined || Number.isNaN(value);
    return {
      figure,
      lang,
      value: missing ? null : value,
      shown: missing ? "not measured" : fmt(value),
      target,
      result: missing ? "n/a" : ok(value) ? "PASS" : "MISS",
    };
  });
}

const LABELS = { reference: "reference (Go, raw syscalls)", "reference-net": "reference on Go's net", sample: "sample loop (sh)" };
const label = (name) => LABELS[name] ?? name;

/** The report: three tables (throughput and latency; start, memory, size; targets) and notes. */
export function render(summary, opts, machine) {
  const loops = summary.loops;
  const names = Object.keys(loops);
  const perf = names.map((name) => {
    const s = loops[name];
    if (s.perSecond === undefined) return [label(name), ...Array(10).fill(""), s.error ?? s.failed];
    const spread = s.ratioQ1 === undefined ? "" : `${fixed(s.ratioQ1, 2)}–${fixed(s.ratioQ3, 2)}`;
    return [
      label(name),
      s.invocations,
      fixed(s.perSecond, 0),
      fixed(s.ratio, 2),
      spread,
      fixed(s.p50, 3),
      fixed(s.p99, 3),
      signed(s.addedP50, 3),
      signed(s.addedP99, 3),
      fixed(s.wallUs, 0),
      fixed(s.apiCpuUs, 0),
      fixed(s.loopCpuUs, 0),
    ];
  });
  const footprint = names
    .filter((name) => name !== "sample" && name !== "reference-net")
    .map((name) => {
      const s = loops[name];
      if (s.error) return [label(name), ...Array(6).fill(""), s.error];
      const overRef = name === "reference" ? undefined : s.coldMs - loops.reference.coldMs;
      return [label(name), fixed(s.coldMs, 1), signed(overRef, 1), kib(s.rssStartKib), kib(s.rssAfterKib), s.procs, bytes(s.bootstrapBytes), bytes(s.zipBytes)];
    });
  const notes = notesOf(summary, opts, machine);
  const text = [
    `## Throughput and latency (${opts.rounds} rounds of interleaved batches)`,
    "",
    table(["loop", "N", "inv/s", "× ref", "rounds q1–q3", "p50 ms", "p99 ms", "+p50 ms", "+p99 ms", "µs/inv", "API cpu µs", "loop cpu µs"], perf),
    "",
    `## Start, memory, size (cold start: median of ${opts.starts}; RSS: sum of VmRSS over the process group)`,
    "",
    table(["lang", "cold start ms", "vs ref ms", "RSS start", "RSS after N", "procs", "bootstrap", "function.zip"], footprint),
    "",
    "## Targets",
    "",
    table(
      ["figure", "lang", "measured", "target", "result"],
      summary.targets.map((t) => [t.figure, t.lang, t.shown, t.target, t.result]),
    ),
    "",
    "## Notes",
    "",
    ...notes.map((n) => `- ${n}`),
  ].join("\n");
  return { text, notes };
}

function notesOf(summary, opts, machine) {
  const { loops, generator } = summary;
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
    const fastest = opts.langs.filter((l) => loops[l].ratio !== undefined).sort((a, b) => loops[b].ratio - loops[a].ratio)[0];
    if (fastest) {
      const r = loops[fastest].ratio;
      notes.push(
        // Faster in three rounds out of four (q1 above 1): not noise.
        loops[fastest].ratioQ1 > 1
          ? `WARNING: ${fastest} runs at ${r.toFixed(2)}× the reference loop: the emulator may be the bottleneck (or the reference is not the floor), and ratios near 1 say little.`
          : r >= 0.95 || loops[fastest].ratioQ3 >= 1
            ? `The fastest bootstrap, ${fastest}, runs at ${r.toFixed(2)}× the reference loop (rounds ${loops[fastest].ratioQ1.toFixed(2)}–${loops[fastest].ratioQ3.toFixed(2)}): level with it within noise; the emulator is not what holds the others back.`
            : `The emulator serves the reference loop faster than any bootstrap: the fastest, ${fastest}, reaches ${r.toFixed(2)}× the reference.`,
      );
    }
  }
  if (loops.sample?.perSecond !== undefined)
    notes.push(
      `Sample loop (official-sample style, under dash): ${loops.sample.perSecond.toFixed(0)} inv/s, ${(loops.sample.loopCpuUs / 1000).toFixed(1)} ms of CPU per invocation; the shell output's: ${fixed(loops.shell?.loopCpuUs / 1000, 1)} ms.`,
    );
  notes.push(
    `Cold-start floor: spawning /bin/true until it exits takes ${summary.spawnFloorMs.toFixed(1)} ms here (median of ${opts.starts}); the reference, a minimal static Go binary, reaches its first GET in ${fixed(ref.coldMs, 1)} ms.`,
  );
  if (generator.error) notes.push(`Generator: ${generator.error}`);
  else
    notes.push(
      `Generator (--lang ${generator.langs.join(" --lang ")}): ${generator.genMs.toFixed(0)} ms against ${generator.bareMs.toFixed(0)} ms for node -e '' (medians of ${opts.genRuns}).`,
    );
  if (generator.langs.length < opts.langs.length)
    notes.push(`The generator was measured without ${opts.langs.filter((l) => !generator.langs.includes(l)).join(", ")}, which did not generate.`);
  for (const [name, s] of Object.entries(loops)) for (const p of [s.error, s.failed, s.coldFailed]) if (p) notes.push(`${label(name)}: ${p}`);
  const { commit, changed } = machine.tree;
  notes.push(`Measured at commit ${commit || "?"}${changed ? ` with ${changed} uncommitted change(s) in src/ and templates/` : ""}.`);
  const busy = Math.max(machine.loadBefore, machine.loadAfter) > machine.cpus;
  notes.push(
    `Machine: ${machine.cpus} CPUs, load average (1 min) ${machine.loadBefore.toFixed(1)} at the start, ${machine.loadAfter.toFixed(1)} at the end${busy ? ": other work competed with the benchmark, so absolute figures are below an idle machine's; the ratios, each against the reference batches around it, drift less" : ""}.`,
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

const fixed = (v, digits = 1) => (v === undefined || v === null || Number.isNaN(v) ? "" : v.toFixed(digits));
const signed = (v, digits = 2) => (v === undefined || Number.isNaN(v) ? "" : `${v >= 0 ? "+" : ""}${v.toFixed(digits)}`);
const kib = (v) => (v === undefined ? "" : `${(v / 1024).toFixed(1)} MiB`);
const bytes = (v) => (v === undefined ? "" : v >= MiB ? `${(v / MiB).toFixed(2)} MiB` : `${(v / 1024).toFixed(0)} KiB`);
