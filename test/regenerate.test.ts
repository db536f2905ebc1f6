import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "./support/outputs.js";
import { snapshotFiles } from "./support/tools.js";

const scratch = mkdtempSync(join(tmpdir(), "fg-regen-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(scratch, `case-${++n}`);
const MANIFEST = ".fg-bootgen.json";

/** Path -> bytes and mtime of every file under dir. */
function state(dir: string): Map<string, { text: string; mtime: number }> {
  return new Map([...snapshotFiles(dir)].map(([path, f]) => [path, { text: f.text, mtime: f.mtime }]));
}

function altSpec(edit: (text: string) => string): string {
  const file = join(scratch, `spec-${++n}.yaml`);
  writeFileSync(file, edit(readFileSync(join(ROOT, "spec/functiongraph.yaml"), "utf8")));
  return file;
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as { files: Record<string, { owner: string; sha256: string }>; templateOverrides: string[]; version: string };

describe("regeneration", () => {
  it("writes a manifest listing every file with its hash and owner", () => {
    const dir = fresh();
    expect(runCli(["-l", "go", "-o", dir]).code).toBe(0);
    const m = manifestOf(dir);
    expect(m.files["fgruntime/runtime.go"]?.owner).toBe("generated");
    expect(m.files["main.go"]?.owner).toBe("user");
    expect(Object.keys(m.files).sort()).toEqual([...state(dir).keys()].filter((p) => p !== MANIFEST).sort());
  });

  it("with an unchanged spec writes nothing: same bytes, same mtimes", () => {
    const dir = fresh();
    expect(runCli(["-l", "go", "-o", dir]).code).toBe(0);
    const before = state(dir);
    const again = runCli(["-l", "go", "-o", dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("up to date");
    expect(state(dir)).toEqual(before);
  });

  it("follows a spec change: changed files rewritten, missing ones created, stale ones deleted, the handler kept", () => {
    const dir = fresh();
    expect(runCli(["-l", "go", "-o", dir]).code).toBe(0);
    writeFileSync(join(dir, "main.go"), "package main // my handler\n");
    rmSync(join(dir, "README.md"));
    // An older version produced fgruntime/legacy.go; this one no longer does.
    writeFileSync(join(dir, "fgruntime/legacy.go"), "package fgruntime\n");
    const m = manifestOf(dir);
    m.files["fgruntime/legacy.go"] = { owner: "generated", sha256: sha("package fgruntime\n") };
    m.files["notes.txt"] = { owner: "user", sha256: sha("mine\n") };
    writeFileSync(join(dir, "notes.txt"), "mine\n");
    writeFileSync(join(dir, MANIFEST), JSON.stringify(m));

    const spec = altSpec((t) => t.replace("/v1/runtime/invocation/request", "/v3/next"));
    const r = runCli(["-l", "go", "-o", dir, "--spec", spec]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/update\s+fgruntime\/runtime\.go/);
    expect(r.stdout).toMatch(/create\s+README\.md/);
    expect(r.stdout).toMatch(/delete\s+fgruntime\/legacy\.go/);
    expect(readFileSync(join(dir, "fgruntime/runtime.go"), "utf8")).toContain('"/v3/next"');
    expect(existsSync(join(dir, "fgruntime/legacy.go"))).toBe(false);
    expect(readFileSync(join(dir, "main.go"), "utf8")).toBe("package main // my handler\n");
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine\n");
    expect(manifestOf(dir).files["fgruntime/legacy.go"]).toBeUndefined();
  });

  it("stops on a hand-edited generated file, names it, shows the diff, and writes nothing", () => {
    const dir = fresh();
    expect(runCli(["-l", "go", "-o", dir]).code).toBe(0);
    const runtime = join(dir, "fgruntime/runtime.go");
    writeFileSync(runtime, readFileSync(runtime, "utf8").replace("MaxResponseBytes = 6291456", "MaxResponseBytes = 1"));
    const before = state(dir);
    const spec = altSpec((t) => t.replace("/v1/runtime/invocation/request", "/v3/next"));
    const r = runCli(["-l", "go", "-o", dir, "--spec", spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("fgruntime/runtime.go was edited by hand");
    expect(r.stderr).toContain("-const MaxResponseBytes = 1");
    expect(r.stderr).toContain("+const MaxResponseBytes = 6291456");
    expect(state(dir)).toEqual(before);
    const forced = runCli(["-l", "go", "-o", dir, "--spec", spec, "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(runtime, "utf8")).toContain("MaxResponseBytes = 6291456");
  });

  it("never overwrites a file it did not write", () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, "Makefile"), "all:\n\techo mine\n");
    const r = runCli(["-l", "go", "-o", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Makefile exists but fg-bootgen did not write it");
    expect(readdirSync(dir)).toEqual(["Makefile"]);
  });

  it("an upgrade alone changes nothing: the manifest's version is not a difference", () => {
    const dir = fresh();
    expect(runCli(["-l", "go", "-o", dir]).code).toBe(0);
    const m = manifestOf(dir);
    m.version = "0.0.1";
    writeFileSync(join(dir, MANIFEST), JSON.stringify(m, null, 2) + "\n");
    const before = state(dir);
    expect(runCli(["-l", "go", "-o", dir, "--check"]).code).toBe(0);
    expect(runCli(["-l", "go", "-o", dir]).code).toBe(0);
    expect(state(dir)).toEqual(before);
  });

  it("a damaged manifest is a clear error", () => {
    const dir = fresh();
    expect(runCli(["-l", "go", "-o", dir]).code).toBe(0);
    writeFileSync(join(dir, MANIFEST), "{ nope");
    const r = runCli(["-l", "go", "-o", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.fg-bootgen\.json is damaged: restore it from version control, or delete it and regenerate with --force/);
  });
});

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("--check", () => {
  it("exits 0 when the folder is exactly what the spec generates", () => {
    const dir = fresh();
    expect(runCli(["-l", "go", "-o", dir]).code).toBe(0);
    const r = runCli(["-l", "go", "-o", dir, "--check"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("up to date");
  });

  it("exits 1 with a unified diff and the missing, changed and stale files", () => {
    const dir = fresh();
    expect(runCli(["-l", "go", "-o", dir]).code).toBe(0);
    rmSync(join(dir, "README.md"));
    const before = state(dir);
    const spec = altSpec((t) => t.replace("maxResponseBytes: 6291456", "maxResponseBytes: 1000"));
    const r = runCli(["-l", "go", "-o", dir, "--spec", spec, "--check"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("missing README.md");
    expect(r.stdout).toContain("changed fgruntime/runtime.go");
    expect(r.stdout).toContain("+const MaxResponseBytes = 1000");
    expect(r.stdout).not.toContain("\u001b["); // no colour off a terminal
    expect(state(dir)).toEqual(before);
  });

  it("exits 2 on a usage or spec error", () => {
    expect(runCli(["-l", "go", "-o", fresh(), "--check", "--spec", join(scratch, "missing.yaml")]).code).toBe(2);
    expect(runCli(["-l", "brainfuck", "--check"]).code).toBe(2);
  });

  it("--json gives scripts the same verdict", () => {
    const dir = fresh();
    expect(runCli(["-l", "go", "-o", dir]).code).toBe(0);
    rmSync(join(dir, "Makefile"));
    const r = runCli(["-l", "go", "-o", dir, "--check", "--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: boolean; targets: { files: { path: string; action: string }[] }[] };
    expect(report.ok).toBe(false);
    expect(report.targets[0]?.files).toContainEqual({ path: "Makefile", action: "create", owner: "generated" });
  });
});

describe("--dry-run", () => {
  it("prints the plan and writes nothing", () => {
    const dir = fresh();
    const r = runCli(["-l", "go", "-o", dir, "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/create\s+fgruntime\/runtime\.go/);
    expect(existsSync(dir)).toBe(false);
    expect(runCli(["-l", "go", "-o", dir]).code).toBe(0);
    writeFileSync(join(dir, "main.go"), "package main\n");
    const before = state(dir);
    const again = runCli(["-l", "go", "-o", dir, "--dry-run", "--spec", altSpec((t) => t.replace("Function.HandlerError", "Fn.Failed"))]);
    expect(again.stdout).toMatch(/update\s+fgruntime\/errors\.go/);
    expect(again.stdout).toMatch(/skip\s+main\.go/);
    expect(again.stdout).toMatch(/keep\s+Makefile/);
    expect(state(dir)).toEqual(before);
  });
});

describe("config file", () => {
  it("a bare run regenerates every target of fg-bootgen.config.json, found from a subfolder, and --check checks them", () => {
    const repo = fresh();
    mkdirSync(join(repo, "src/deep"), { recursive: true });
    const spec = altSpec((t) => t);
    writeFileSync(
      join(repo, "fg-bootgen.config.json"),
      JSON.stringify({ targets: [{ lang: "go", out: "functions/go" }, { lang: "go", out: "functions/go-alt", spec }] }),
    );
    const r = runCli([], { cwd: join(repo, "src/deep") });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(repo, "functions/go/fgruntime/runtime.go"))).toBe(true);
    expect(existsSync(join(repo, "functions/go-alt/fgruntime/runtime.go"))).toBe(true);
    expect(runCli(["--check"], { cwd: repo }).code).toBe(0);
    rmSync(join(repo, "functions/go-alt/Makefile"));
    expect(runCli(["--check"], { cwd: repo }).code).toBe(1);
  });

  it("is read from YAML and from the fg-bootgen key of package.json", () => {
    const yamlRepo = fresh();
    mkdirSync(yamlRepo);
    writeFileSync(join(yamlRepo, "fg-bootgen.config.yaml"), "targets:\n  - lang: go\n    out: out/go\n");
    expect(runCli([], { cwd: yamlRepo }).code).toBe(0);
    expect(existsSync(join(yamlRepo, "out/go/main.go"))).toBe(true);

    const pkgRepo = fresh();
    mkdirSync(pkgRepo);
    writeFileSync(join(pkgRepo, "package.json"), JSON.stringify({ name: "x", "fg-bootgen": { targets: [{ lang: "go", out: "fn" }] } }));
    expect(runCli([], { cwd: pkgRepo }).code).toBe(0);
    expect(existsSync(join(pkgRepo, "fn/main.go"))).toBe(true);
  });

  it("a bad target in the config is a clear error", () => {
    const repo = fresh();
    mkdirSync(repo);
    writeFileSync(join(repo, "fg-bootgen.config.json"), JSON.stringify({ targets: [{ lang: "cobol", out: "x" }] }));
    const r = runCli([], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fg-bootgen\.config\.json: targets\[0\]\.lang: unknown language 'cobol'/);
  });
});

describe("custom templates", () => {
  it("--templates replaces a built-in template by its relative path, and the manifest records it", () => {
    const templates = fresh();
    mkdirSync(join(templates, "go"), { recursive: true });
    writeFileSync(join(templates, "go/README.md.hbs"), "# {{specName}}: our own README\n");
    const dir = fresh();
    const r = runCli(["-l", "go", "-o", dir, "--templates", templates]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe("# FunctionGraph custom runtime: our own README\n");
    expect(manifestOf(dir).templateOverrides).toEqual(["go/README.md.hbs"]);
    // Without the override the folder is out of date again.
    expect(runCli(["-l", "go", "-o", dir, "--check"]).code).toBe(1);
  });

  it("an override that matches no built-in template, or does not compile, is a clear error", () => {
    const templates = fresh();
    mkdirSync(join(templates, "go"), { recursive: true });
    writeFileSync(join(templates, "go/READ.md.hbs"), "x");
    const r = runCli(["-l", "go", "-o", fresh(), "--templates", templates]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/READ\.md\.hbs matches no built-in template of go/);

    rmSync(join(templates, "go/READ.md.hbs"));
    writeFileSync(join(templates, "go/README.md.hbs"), "{{nosuchfield}}");
    const bad = runCli(["-l", "go", "-o", fresh(), "--templates", templates]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/README\.md\.hbs: "nosuchfield" not defined/);
  });
});

describe("shell completion", () => {
  it("prints a completion script", () => {
    const r = runCli(["completion"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("fg-bootgen");
    expect(r.stdout).toMatch(/complete|compdef/);
  });
});
