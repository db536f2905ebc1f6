import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, SPECS, buildDir, type SpecName } from "./support/outputs.js";
import { check } from "./support/tools.js";

describe.each(Object.keys(SPECS) as SpecName[])("go output, %s spec", (spec) => {
  const dir = buildDir(spec, "go");

  it("is gofmt-formatted", () => {
    const r = check("gofmt", ["-l", "."], dir);
    expect(r.status).toBe(0);
    expect(r.output, "files gofmt would change").toBe("");
  });

  it("passes go vet", () => {
    const r = check("go", ["vet", "./..."], dir);
    expect(r.status, r.output).toBe(0);
  });

  it("passes staticcheck with every check on", () => {
    const r = check("staticcheck", ["-checks", "all", "./..."], dir);
    expect(r.status, r.output).toBe(0);
  });

  it("passes staticcheck with its default checks, as a new user runs it", () => {
    const r = check("staticcheck", ["./..."], dir);
    expect(r.status, r.output).toBe(0);
  });

  it("marks every runtime file as generated in the form Go tools recognise", () => {
    for (const pkg of ["fgruntime", "fgruntime/events"]) {
      const files = readdirSync(join(dir, pkg)).filter((f) => f.endsWith(".go"));
      expect(files.length, pkg).toBeGreaterThan(0);
      for (const f of files) {
        expect(readFileSync(join(dir, pkg, f), "utf8"), `${pkg}/${f}`).toMatch(/^\/\/ Code generated .* DO NOT EDIT\.$/m);
      }
    }
  });
});

describe("go test code against the default spec's output", () => {
  it("the conformance test handler and the event probe pass gofmt, go vet and staticcheck -checks all", () => {
    const dir = mkdtempSync(join(tmpdir(), "fg-lint-go-"));
    try {
      cpSync(buildDir("default", "go"), dir, { recursive: true });
      copyFileSync(join(ROOT, "test/conformance/handlers/go/main.go"), join(dir, "main.go"));
      mkdirSync(join(dir, "cmd/probe"), { recursive: true });
      copyFileSync(join(ROOT, "test/events/go/probe.go"), join(dir, "cmd/probe/main.go"));
      for (const [cmd, args] of [
        ["gofmt", ["-l", "main.go", "cmd"]],
        ["go", ["vet", "./..."]],
        ["staticcheck", ["-checks", "all", "./..."]],
      ] as const) {
        const r = check(cmd, [...args], dir);
        expect(r.status, `${cmd}: ${r.output}`).toBe(0);
        expect(r.output, cmd).toBe("");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
