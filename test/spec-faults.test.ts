import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { SpecError } from "../src/errors.js";
import { validateSpec } from "../src/spec.js";
import { ROOT } from "./support/outputs.js";

// any: the cases poke at arbitrary places of the spec, valid or not.
type Loose = any;
const embedded = (): Loose => parseYaml(readFileSync(join(ROOT, "spec/functiongraph.yaml"), "utf8")) as Loose;

function problems(edit: (spec: Loose) => void): string {
  const spec = embedded();
  edit(spec);
  try {
    validateSpec(spec, "test.yaml");
  } catch (err) {
    if (err instanceof SpecError) return err.message;
    throw err;
  }
  return "";
}

/** The spec's parts for the runtime under faults (docs/runtime-contract.md). */
describe("spec: stack traces, init failures, shutdown and logs", () => {
  it("takes the embedded values", () => {
    const spec = validateSpec(embedded(), "embedded.yaml");
    expect(spec.errors.stackTraceField).toBe("stackTrace");
    expect(spec.errors.types.init).toBe("Runtime.InitError");
    expect(spec.limits).toMatchObject({ maxStackFrames: 32, maxLogLineBytes: 90000, shutdownGraceMs: 2000 });
    expect(spec.env.filter((e) => e.logFormat).map((e) => [e.name, e.default])).toEqual([["FG_LOG_FORMAT", "text"]]);
  });

  it("keeps a spec written before them valid, without a stack trace or a log format", () => {
    const spec = validateSpec(
      (() => {
        const s = embedded();
        delete s.errors.stackTraceField;
        delete s.errors.types.init;
        delete s.limits.maxStackFrames;
        delete s.limits.maxLogLineBytes;
        delete s.limits.shutdownGraceMs;
        s.env = s.env.filter((e: Loose) => !e.logFormat);
        return s;
      })(),
      "old.yaml",
    );
    expect(spec.errors.stackTraceField).toBeUndefined();
    expect(spec.errors.types.init).toBe("Runtime.InitError");
    expect(spec.limits.maxLogLineBytes).toBe(90000);
  });

  it.each([
    ["a stack-trace key equal to the type key", (s: Loose) => (s.errors.stackTraceField = "errorType"), /errors\.stackTraceField: must differ/],
    ["a stack-trace key that is not a JSON key", (s: Loose) => (s.errors.stackTraceField = "stack trace"), /errors\.stackTraceField/],
    ["two failures with one error type", (s: Loose) => (s.errors.types.init = s.errors.types.panic), /errors\.types\.init: Function\.HandlerPanic is already errors\.types\.panic/],
    ["no stack frames", (s: Loose) => (s.limits.maxStackFrames = 0), /limits\.maxStackFrames: must be at least 1/],
    ["log lines too short to hold a prefix", (s: Loose) => (s.limits.maxLogLineBytes = 100), /limits\.maxLogLineBytes: must be at least 1024/],
    ["a negative grace period", (s: Loose) => (s.limits.shutdownGraceMs = -1), /limits\.shutdownGraceMs: must not be negative/],
    ["a log format whose default is neither text nor json", (s: Loose) => (s.env.find((e: Loose) => e.logFormat).default = "xml"), /the logFormat variable must be a string whose default is text or json/],
    ["two log-format variables", (s: Loose) => s.env.push({ ...s.env.find((e: Loose) => e.logFormat), name: "FG_LOG_FORMAT_TWO", field: "logFormatTwo" }), /at most one variable can be the logFormat/],
  ])("rejects %s, naming the place", (_, edit, message) => {
    expect(problems(edit)).toMatch(message);
  });
});
