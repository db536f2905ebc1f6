// Summaries, the targets of issue 6, and the tables (Markdown, aligned so they read in a terminal too).

export const median = (xs) => quantile(xs, 0.5);

/** The q-quantile of a list of numbers (nearest rank); NaN for an empty list. */
export function quantile(xs, q) {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const MiB = 1024 * 1024;

/** The targets: [figure, lang, value getter (undefined: not measured), target, passes, format]. */
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
    return { figure, lang, value: missing ? null : value, shown: missing ? "not measured" : fmt(value), target, result: missing ? "n/a" : ok(value) ? "PASS" : "MISS" };
  });
}

/** A Markdown table with padded columns; numbers right-aligned. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => (c === undefined || c === null ? "" : String(c))));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => [...(r[i] ?? "")].length)));
  const numeric = headers.map((_, i) => rows.every((r) => r[i] === undefined || r[i] === null || r[i] === "" || /^[-+]?[\d.,]+( ?[a-zA-Z×%]+)?$/.test(String(r[i]))));
  const pad = (s, i) => {
    const gap = " ".repeat(widths[i] - [...s].length);
    return numeric[i] ? gap + s : s + gap;
  };
  const line = (r) => `| ${r.map((c, i) => pad(c, i)).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|")}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join("\n");
}

export const fixed = (v, digits = 1) => (v === undefined || v === null || Number.isNaN(v) ? "" : v.toFixed(digits));
export const signed = (v, digits = 2) => (v === undefined || Number.isNaN(v) ? "" : `${v >= 0 ? "+" : ""}${v.toFixed(digits)}`);
export const kib = (v) => (v === undefined ? "" : `${(v / 1024).toFixed(1)} MiB`);
export const bytes = (v) => (v === undefined ? "" : v >= MiB ? `${(v / MiB).toFixed(2)} MiB` : `${(v / 1024).toFixed(0)} KiB`);
