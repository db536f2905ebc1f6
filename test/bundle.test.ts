import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fastCommand, helpIsEnglish } from "../src/argv.js";
import { CLI, ROOT } from "./support/outputs.js";

// The bundle (scripts/bundle.mjs) is what `npx fg-bootgen` runs and what the other tests run; it
// answers some lines without yargs and serves the build's rendered files for the embedded spec.
// Each shortcut must give exactly what tsc's dist/cli.js gives, which always renders.
const TSC_CLI = join(ROOT, "dist/cli.js");
const ALL = ["shell", "go", "python", "rust", "node"];
const scratch = mkdtempSync(join(tmpdir(), "fg-bundle-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(scratch, `case-${++n}`);

function run(cli: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT) {
  try {
    const stdout = execFileSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr: "" };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every file under dir, by relative path, with its contents and mode. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length + 1)] = readFileSync(path, "utf8");
  }
  return out;
}

const langArgs = ALL.flatMap((l) => ["--lang", l]);

describe("the bundle", () => {
  it("generates, byte for byte, what dist/cli.js renders, and says the same", () => {
    const dir = fresh();
    const tsc = run(TSC_CLI, [...langArgs, "--out", dir]);
    const first = tree(dir);
    rmSync(dir, { recursive: true });
    const bundle = run(CLI, [...langArgs, "--out", dir]);
    expect(bundle).toEqual(tsc);
    expect(tree(dir)).toEqual(first);
    // Up to date for both, --check and --dry-run alike.
    for (const mode of [["--check"], ["--dry-run"], ["--json", "--check"]]) {
      expect(run(CLI, [...langArgs, "--out", dir, ...mode])).toEqual(run(TSC_CLI, [...langArgs, "--out", dir, ...mode]));
    }
  });

  it("renders afresh a template edited after the build (the rendered files go by each template's hash)", () => {
    // A copy of the package, so that the shared templates/ stay as they are.
    const pkg = fresh();
    for (const part of ["dist", "templates", "spec", "package.json"]) cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
    const template = join(pkg, "templates/go/Makefile.hbs");
    writeFileSync(template, `${readFileSync(template, "utf8")}# edited after the build\n`);
    const out = fresh();
    const r = run(join(pkg, "dist/fg-bootgen.cjs"), ["--lang", "go", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, "Makefile"), "utf8")).toMatch(/# edited after the build\n$/);
    const plain = fresh();
    expect(run(CLI, ["--lang", "go", "--out", plain]).code).toBe(0);
    expect(readFileSync(join(out, "fgruntime/runtime.go"), "utf8")).toBe(readFileSync(join(plain, "fgruntime/runtime.go"), "utf8"));
  });

  it("renders afresh a template or spec edited after the build to the same size", () => {
    // The build's size and time say unchanged at a glance; an edit after the build is newer than
    // the build's output, and then the hash decides.
    const pkg = fresh();
    for (const part of ["dist", "templates", "spec", "package.json"]) cpSync(join(ROOT, part), join(pkg, part), { recursive: true, preserveTimestamps: true });
    symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
    const template = join(pkg, "templates/go/Makefile.hbs");
    const text = readFileSync(template, "utf8");
    writeFileSync(template, text.replace("#", "%"));
    const spec = join(pkg, "spec/functiongraph.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("maxStackFrames: 32", "maxStackFrames: 33"));
    const out = fresh();
    const r = run(join(pkg, "dist/fg-bootgen.cjs"), ["--lang", "go", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, "Makefile"), "utf8")).toBe(readFileSync(join(ROOT, "golden/go/Makefile"), "utf8").replace("#", "%"));
    expect(readFileSync(join(out, "fgruntime/runtime.go"), "utf8")).toContain("const maxStackFrames = 33\n");
  });

  it("prints yargs' own --help, in English and in yargs' other languages", () => {
    for (const env of [{}, { LC_ALL: "C" }, { LC_ALL: "", LANG: "en_GB.UTF-8" }, { LC_ALL: "de_DE.UTF-8" }, { LC_ALL: "pt_BR" }, { LC_ALL: "fr_CA" }]) {
      expect(run(CLI, ["--help"], env)).toEqual(run(TSC_CLI, ["--help"], env));
    }
    expect(run(CLI, ["--help"], { LC_ALL: "de_DE" }).stdout).toContain("Optionen:");
    expect(run(CLI, ["-h"])).toEqual(run(TSC_CLI, ["-h"]));
    expect(run(CLI, ["--version"])).toEqual(run(TSC_CLI, ["--version"]));
  });
});

describe("the lines read without yargs", () => {
  it("are read as yargs reads them", () => {
    // `--json false` sends the same line to yargs: the word after a flag is beyond the fast reader.
    const lines = [
      ["--lang", "go"],
      ["-l", "go", "-l", "shell", "-o", "OUT"],
      ["--lang=python", "--out=OUT", "--check"],
      ["--lang", "rust", "--out", "OUT", "--dry-run"],
      ["--lang", "go", "--out", "OUT", "--spec", join(ROOT, "test/fixtures/alt-spec.yaml")],
      ["--lang", "cobol", "--out", "OUT"],
      ["--lang", "go", "--out", "OUT", "--templates", join(scratch, "none")],
      ["--lang", "go", "--out", "OUT", "--spec", join(scratch, "nope.yaml")],
      [],
    ];
    for (const line of lines) {
      const cwd = fresh();
      execFileSync("mkdir", ["-p", cwd]);
      const args = line.map((a) => a.replace("OUT", join(cwd, "out")));
      expect(fastCommand(args)?.kind).toBe("generate");
      const fast = run(CLI, args, {}, cwd);
      const fastTree = tree(cwd);
      rmSync(cwd, { recursive: true });
      execFileSync("mkdir", ["-p", cwd]);
      const slow = run(CLI, [...args, "--json", "false"], {}, cwd);
      expect(fast, args.join(" ")).toEqual(slow);
      expect(tree(cwd)).toEqual(fastTree);
    }
  });

  it("leave everything else to yargs", () => {
    for (const line of [
      ["--lang", "go", "python"],
      ["--out", "a", "--out", "b"],
      ["--lang", "go", "--check", "--dry-run"],
      ["--lang", "go", "--force", "--force"],
      ["--lang", "go", "--no-force"],
      ["--lang", "go", "--dryRun"],
      ["--lang", "go", "--out"],
      ["--lang", "go", "--out", ""],
      ["--lang", "go", "--out", "-x"],
      ["--lang", "go", "--help"],
      ["--lang", "go", "--", "x"],
      ["-lgo"],
      ["spec"],
      ["emulate", "--dir", "x"],
      ["--version", "--help"],
    ]) {
      expect(fastCommand(line), line.join(" ")).toBeUndefined();
    }
    expect(fastCommand(["--help"])).toEqual({ kind: "help" });
  });

  it("print the bundled --help only when yargs would speak English", () => {
    const locales = ["de", "en", "pt_BR", "pirate"];
    expect(helpIsEnglish({}, locales)).toBe(true);
    expect(helpIsEnglish({ LANG: "C.UTF-8" }, locales)).toBe(true);
    expect(helpIsEnglish({ LANG: "en_AU.UTF-8" }, locales)).toBe(true);
    expect(helpIsEnglish({ LANG: "ja_JP.UTF-8" }, locales)).toBe(true); // no ja.json here: English
    expect(helpIsEnglish({ LC_ALL: "de_AT.UTF-8", LANG: "en_US" }, locales)).toBe(false);
    expect(helpIsEnglish({ LC_MESSAGES: "pt_BR" }, locales)).toBe(false);
    expect(helpIsEnglish({ LANGUAGE: "pirate" }, locales)).toBe(false);
    expect(helpIsEnglish({ LANG: "x/y" }, locales)).toBe(false); // beyond a plain name: left to yargs
  });
});

describe("a manifest read without zod", () => {
  it("is what zod gives, keys in the schema's order, and zod decides every other case", async () => {
    const { manifestSchema, plainManifest } = await import("../src/manifest.js");
    const schema = await manifestSchema();
    const good = { generator: "fg-bootgen", version: "0.1.0", lang: "go", specSha256: "ab", templateOverrides: ["go/x.hbs"], files: { "b.go": { owner: "user", sha256: "1" }, "1": { owner: "generated", sha256: "2" } } };
    const cases: unknown[] = [
      good,
      { files: { "a.go": { sha256: "1", owner: "generated" } }, lang: "go", templateOverrides: [], specSha256: "x", version: "1", generator: "fg-bootgen" },
      { ...good, extra: 1 },
      { ...good, generator: "other" },
      { ...good, version: 1 },
      { ...good, templateOverrides: [1] },
      { ...good, templateOverrides: new Array(2) },
      { ...good, files: { "a.go": { owner: "root", sha256: "1" } } },
      { ...good, files: { "a.go": { owner: "user", sha256: "1", extra: true } } },
      { ...good, files: JSON.parse('{"__proto__": {"owner": "user", "sha256": "1"}}') },
      { ...good, files: [] },
      Object.assign(Object.create(null), good),
      [],
      null,
      "manifest",
    ];
    for (const data of cases) {
      const quick = plainManifest(data);
      const zod = schema.safeParse(data);
      if (quick === undefined) continue; // zod's to decide
      expect(zod.success, JSON.stringify(data)).toBe(true);
      expect(JSON.stringify(quick)).toBe(JSON.stringify(zod.data));
    }
    expect(plainManifest(good)).toBeDefined();
    expect(plainManifest(cases[1])).toBeDefined();
  });
});
