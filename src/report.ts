import type { Step } from "./plan.js";

export interface TargetReport {
  lang: string;
  dir: string;
  steps: Step[];
}

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2 } as const;
type Colour = keyof typeof CODES;

export function painter(colour: boolean) {
  return (c: Colour, text: string) => (colour ? `\u001b[${CODES[c]}m${text}\u001b[0m` : text);
}

const ACTION_COLOUR: Record<Step["action"], Colour> = {
  create: "green",
  update: "yellow",
  delete: "red",
  keep: "dim",
  skip: "dim",
  conflict: "red",
};

/** A unified diff of what is on disk against what would be written. */
export async function unifiedDiff(step: Step, colour: boolean): Promise<string> {
  // Loaded on first use: only --check and a conflict show diffs, and a plain run should start fast.
  const { createTwoFilesPatch } = await import("diff");
  const paint = painter(colour);
  const patch = createTwoFilesPatch(`a/${step.path}`, `b/${step.path}`, step.current ?? "", step.next ?? "", undefined, undefined, { context: 3 });
  return patch
    .split("\n")
    .slice(1) // the "====" line createTwoFilesPatch starts with
    .map((line) => (line.startsWith("+") && !line.startsWith("+++") ? paint("green", line) : line.startsWith("-") && !line.startsWith("---") ? paint("red", line) : line.startsWith("@@") ? paint("cyan", line) : line))
    .join("\n");
}

/** One line per file: the plan of --dry-run, or what a run did. */
export function planLines(report: TargetReport, colour: boolean, all: boolean): string[] {
  const paint = painter(colour);
  return report.steps
    .filter((s) => all || (s.action !== "keep" && s.action !== "skip"))
    .map((s) => `  ${paint(ACTION_COLOUR[s.action], s.action.padEnd(8))} ${s.path}${s.reason ? ` (${s.reason})` : s.action === "skip" ? " (yours; --force rewrites it)" : ""}`);
}

export function summary(steps: Step[]): string {
  const counts = new Map<string, number>();
  for (const s of steps) counts.set(s.action, (counts.get(s.action) ?? 0) + 1);
  return [...counts].map(([action, n]) => `${n} ${action}`).join(", ");
}

export function toJson(mode: string, ok: boolean, reports: TargetReport[]): string {
  return `${JSON.stringify(
    {
      mode,
      ok,
      targets: reports.map((r) => ({
        lang: r.lang,
        dir: r.dir,
        files: r.steps.map((s) => ({ path: s.path, action: s.action, owner: s.owner, ...(s.reason ? { reason: s.reason } : {}) })),
      })),
    },
    null,
    2,
  )}\n`;
}
