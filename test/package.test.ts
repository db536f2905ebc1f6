import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CARGO_TARGET_DIR, LANGS, buildDir, type Lang } from "./support/outputs.js";

/** What each language's function.zip holds: the function needs these files and nothing else. */
const CONTENTS: Record<Lang, string[]> = {
  shell: ["bootstrap", "fgevents.sh", "handler.sh"],
  go: ["bootstrap"],
  python: [
    "bootstrap",
    ...["__init__", "__main__", "_startup", "apig", "context", "decode", "errors", "events", "log", "runtime"].map((m) => `fgruntime/${m}.py`),
    "handler.py",
  ],
  rust: ["bootstrap"],
  // The .d.mts files are for type-checking a TypeScript handler, not for the instance.
  node: ["bootstrap", ...["context", "errors", "events", "handler", "log", "runtime"].map((m) => `${m}.mjs`), "preflight.cjs"].sort(),
};

const scratch = mkdtempSync(join(tmpdir(), "fg-package-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(LANGS)("%s: make package", (lang) => {
  it("builds function.zip with an executable bootstrap at its root, LF endings, nothing else", () => {
    const dir = buildDir("default", lang);
    execFileSync("make", ["-s", "package"], { cwd: dir, env: { ...process.env, CARGO_TARGET_DIR }, stdio: "pipe" });
    const zip = join(dir, "function.zip");
    // zipinfo: one line per entry, "-rwxr-xr-x  3.0 unx  1234 tx defN ... name".
    const lines = execFileSync("unzip", ["-Z", "-1", zip], { encoding: "utf8" }).trim().split("\n").sort();
    expect(lines).toEqual(CONTENTS[lang]);
    const listing = execFileSync("unzip", ["-Z", "-s", zip], { encoding: "utf8" });
    const modeOf = (name: string) => listing.split("\n").find((l) => l.endsWith(` ${name}`))?.split(/\s+/)[0];
    expect(modeOf("bootstrap")).toBe("-rwxr-xr-x");
    for (const name of CONTENTS[lang].filter((f) => f !== "bootstrap")) expect(modeOf(name)).toMatch(/^-rw.r-.r-.$/);

    const out = join(scratch, lang);
    execFileSync("unzip", ["-q", "-o", zip, "-d", out]);
    for (const name of CONTENTS[lang]) {
      const bytes = readFileSync(join(out, name));
      if (!bytes.subarray(0, 4).equals(Buffer.from("\x7fELF", "latin1"))) {
        expect(bytes.includes("\r"), `${name} has CR line endings`).toBe(false);
      }
    }
  });
});

describe.skipIf(!LANGS.includes("node"))("node: make package NODE=...", () => {
  it("puts that Node.js binary into the zip as bin/node (0755) and reports the size against the 40 MB upload limit", () => {
    // A copy: the other test's function.zip stays as it is.
    const dir = join(scratch, "node-bundled");
    cpSync(buildDir("default", "node"), dir, { recursive: true });
    const out = execFileSync("make", ["-s", "package", `NODE=${process.execPath}`], { cwd: dir, encoding: "utf8", stdio: "pipe" });
    const zip = join(dir, "function.zip");
    const lines = execFileSync("unzip", ["-Z", "-1", zip], { encoding: "utf8" }).trim().split("\n").sort();
    expect(lines).toEqual([...CONTENTS.node, "bin/node"].sort());
    const listing = execFileSync("unzip", ["-Z", "-l", zip], { encoding: "utf8" });
    const entry = listing.split("\n").find((l) => l.endsWith(" bin/node"))!.split(/\s+/);
    expect(entry[0]).toBe("-rwxr-xr-x");
    // The binary itself, not a link to it.
    expect(Number(entry[3])).toBe(statSync(realpathSync(process.execPath)).size);
    const size = statSync(zip).size;
    expect(out).toContain(`function.zip: ${size} bytes, ${Math.floor((size * 100) / 41943040)}% of the console's 40 MB upload limit`);
    const unpacked = join(scratch, "node-bundled-unzipped");
    execFileSync("unzip", ["-q", "-o", zip, "-d", unpacked]);
    expect(execFileSync(join(unpacked, "bin/node"), ["--version"], { encoding: "utf8" }).trim()).toBe(process.version);
  }, 180_000);

  it("refuses a NODE that is not a program", () => {
    const dir = join(scratch, "node-bad");
    cpSync(buildDir("default", "node"), dir, { recursive: true });
    let failed = false;
    try {
      execFileSync("make", ["-s", "package", "NODE=/nonexistent/node"], { cwd: dir, stdio: "pipe" });
    } catch (err) {
      failed = true;
      expect(String((err as { stderr: Buffer }).stderr)).toContain("/nonexistent/node");
    }
    expect(failed).toBe(true);
  });
});
