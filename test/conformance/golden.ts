import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { NormalEntry } from "../../src/emulator/transcript.js";
import { ROOT } from "../support/outputs.js";

/** FG_UPDATE_GOLDEN=1 rewrites golden/transcripts/ from this run (after checking parity within the run). */
export const UPDATE_GOLDEN = process.env.FG_UPDATE_GOLDEN === "1";
export const GOLDEN_DIR = join(ROOT, "golden/transcripts");

/** The first variant's transcript per (scenario, group) in this run, for a clear parity message. */
const firstSeen = new Map<string, { variant: string; transcript: NormalEntry[] }>();

/**
 * Cross-language parity: the normalised transcript of a scenario must be the same for every
 * language (within a parity group; "all" unless a scenario needs a deliberate difference) and
 * match golden/transcripts/<scenario>.json, a JSON object of group → transcript.
 */
export function checkGolden(scenario: string, group: string, variant: string, transcript: NormalEntry[]): void {
  const key = `${scenario}#${group}`;
  const first = firstSeen.get(key);
  if (first) {
    expect(transcript, `parity: ${variant} differs from ${first.variant} in scenario ${scenario}`).toEqual(first.transcript);
  } else {
    firstSeen.set(key, { variant, transcript });
  }
  const file = join(GOLDEN_DIR, `${scenario}.json`);
  const golden = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, NormalEntry[]>) : undefined;
  if (UPDATE_GOLDEN) {
    if (first) return;
    const next = { ...(golden ?? {}), [group]: transcript };
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
    return;
  }
  if (!golden?.[group]) {
    throw new Error(`no golden transcript for ${scenario} (group ${group}) in ${file}: review this run's and create it with FG_UPDATE_GOLDEN=1`);
  }
  expect(transcript, `${variant}: transcript of ${scenario} differs from ${file} (FG_UPDATE_GOLDEN=1 refreshes it on purpose)`).toEqual(
    golden[group],
  );
}
