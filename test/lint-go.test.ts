import { describe, expect, it } from "vitest";
import { SPECS, buildDir, type SpecName } from "./support/outputs.js";
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

  it("marks the runtime as generated in the form Go tools recognise", async () => {
    const { readFile } = await import("node:fs/promises");
    const text = await readFile(`${dir}/fgruntime/runtime.go`, "utf8");
    expect(text).toMatch(/^\/\/ Code generated .* DO NOT EDIT\.$/m);
  });
});
