import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LANGS, ROOT, runCli } from "./support/outputs.js";
import { snapshotFiles } from "./support/tools.js";

const scratch = mkdtempSync(join(tmpdir(), "fg-golden-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file under dir, with its bytes and whether it is executable. */
function snapshot(dir: string): Map<string, { text: string; executable: boolean }> {
  return new Map([...snapshotFiles(dir)].map(([path, f]) => [path, { text: f.text, executable: (f.mode & 0o111) !== 0 }]));
}

const SETS = [
  { name: "embedded spec", golden: "golden", specArgs: [] as string[] },
  { name: "test spec", golden: "golden/alt-spec", specArgs: ["--spec", join(ROOT, "test/fixtures/alt-spec.yaml")] },
];

describe.each(SETS)("golden files, $name", ({ golden, specArgs }) => {
  it.each(LANGS)("%s output is byte for byte the golden copy (refresh on purpose: npm run golden)", (lang) => {
    const out = join(scratch, golden.replace("/", "-"), lang);
    const r = runCli(["--lang", lang, "--out", out, ...specArgs]);
    expect(r.code, r.stderr).toBe(0);
    const actual = snapshot(out);
    const expected = snapshot(join(ROOT, golden, lang));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, file] of expected) {
      expect(actual.get(path)?.text, `${lang}/${path} differs from ${golden}/${lang}/${path}`).toBe(file.text);
      expect(actual.get(path)?.executable, `${lang}/${path} mode`).toBe(file.executable);
    }
  });
});

it("the two specs give different outputs in every language (the test spec really exercises the templates)", () => {
  for (const lang of LANGS) {
    const a = snapshot(join(ROOT, "golden", lang));
    const b = snapshot(join(ROOT, "golden/alt-spec", lang));
    const changed = [...a.keys()].filter((p) => a.get(p)?.text !== b.get(p)?.text);
    expect(changed.length, `${lang}: no file differs between the specs`).toBeGreaterThan(0);
  }
});
