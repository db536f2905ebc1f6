import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LANGS, ROOT, SPECS, buildDir, type SpecName } from "./support/outputs.js";
import { check } from "./support/tools.js";

const BIN = join(ROOT, "node_modules/.bin");
const MODULES = ["runtime.mjs", "handler.mjs"];

const scratch = mkdtempSync(join(tmpdir(), "fg-lint-node-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!LANGS.includes("node")).each(Object.keys(SPECS) as SpecName[])("node output, %s spec", (spec) => {
  const dir = buildDir(spec, "node");

  it("is prettier-formatted (the defaults the generator formats with)", () => {
    // No config and no .editorconfig: a build folder inside this repository must not pick up
    // settings the generator does not use.
    const r = check(join(BIN, "prettier"), ["--check", "--no-config", "--no-editorconfig", ...MODULES], dir);
    expect(r.status, r.output).toBe(0);
  });

  it.each(MODULES)("node --check %s", (file) => {
    const r = check(process.execPath, ["--check", file], dir);
    expect(r.status, r.output).toBe(0);
  });

  it("type-checks: tsc --checkJs --strict with @types/node", () => {
    // The flags live here, not in the output: a user's project brings its own tsconfig.
    const r = check(
      join(BIN, "tsc"),
      [
        "--noEmit",
        "--allowJs",
        "--checkJs",
        "--strict",
        "--target", "es2022",
        "--module", "nodenext",
        "--moduleResolution", "nodenext",
        "--typeRoots", join(ROOT, "node_modules/@types"),
        "--types", "node",
        "--skipLibCheck",
        ...MODULES,
      ],
      dir,
    );
    expect(r.status, r.output).toBe(0);
  });

  it("bootstrap is valid sh and starts node without a subshell", () => {
    const r = check("sh", ["-n", "bootstrap"], dir);
    expect(r.status, r.output).toBe(0);
    // A fork before node costs cold-start time: only builtins, then exec.
    const sh = readFileSync(join(dir, "bootstrap"), "utf8");
    expect(sh).not.toMatch(/\$\(|`/);
    expect(sh).toMatch(/^exec node /m);
  });

  it("make checks the files, and fails on a syntax error", () => {
    const copy = join(scratch, spec);
    cpSync(dir, copy, { recursive: true });
    const ok = check("make", ["-s"], copy);
    expect(ok.status, ok.output).toBe(0);
    appendFileSync(join(copy, "handler.mjs"), "export const = ;\n");
    const bad = check("make", ["-s"], copy);
    expect(bad.status, bad.output).not.toBe(0);
    expect(bad.output).toContain("SyntaxError");
  });
});
