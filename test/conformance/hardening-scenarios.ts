import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { expect } from "vitest";
import type { InvocationResult } from "../../src/emulator/api.js";
import type { Spec } from "../../src/spec.js";
import { expectScaffoldEcho } from "./handler-scenarios.js";
import { ROOT } from "../support/outputs.js";
import { HANDLER_FILES, SPEC, errorKeysOk, secretValues, type Session, type Variant } from "./harness.js";
import { errorOf, waitFor, type Scenario } from "./scenarios.js";

/**
 * The runtime under faults (docs/runtime-contract.md): stack traces, init failures, SIGTERM,
 * request IDs that need escaping, the interpreter on the instance, structured and split logs.
 */

const spec = SPEC.default;
const isShell = (v: Variant) => v.lang === "shell";
const interpreted = (v: Variant) => v.lang === "python" || v.lang === "node";
const ok = (n: number) => `{"next":${n}}`;
const HOOK_LINE = "test handler: shutdown hook ran";
/** The unit the test handler's logbig op repeats: 10 bytes of 1-, 2-, 3- and 4-byte characters. */
const LOG_UNIT = "ü€😀x";

type ErrorBody = ReturnType<typeof errorOf>;

/** An error post of the spec's shape (type, message, then an optional stack trace). */
function errorBody(r: InvocationResult, session: Session, type: string, s: Spec = spec): ErrorBody {
  expect(r.kind, `expected an error post, got ${r.kind}: ${r.body.toString().slice(0, 300)}\n${session.tail()}`).toBe("error");
  const e = errorOf(r, s);
  expect(errorKeysOk(e.keys, s), `error body keys: ${e.raw.slice(0, 500)}`).toBe(true);
  expect(e.type, e.raw.slice(0, 500)).toBe(type);
  const message = e.message;
  expect(typeof message === "string" && message.trim() !== "" && !message.includes("\n"), `a one-line message: ${e.raw.slice(0, 500)}`).toBe(true);
  return e;
}

/** A stack trace: a non-empty array of non-empty strings, at most the spec's frames, no absolute path of the code. */
function expectTrace(e: ErrorBody, session: Session, s: Spec = spec): string[] {
  expect(Array.isArray(e.trace), `${s.errors.stackTraceField} must be an array of strings: ${e.raw.slice(0, 800)}`).toBe(true);
  const trace = e.trace as unknown[];
  expect(trace.length, `a stack trace: ${e.raw.slice(0, 800)}`).toBeGreaterThan(0);
  expect(trace.length, `at most ${s.limits.maxStackFrames} frames`).toBeLessThanOrEqual(s.limits.maxStackFrames);
  for (const f of trace) {
    expect(typeof f === "string" && f.trim() !== "", `frame ${JSON.stringify(f)}`).toBe(true);
    expect(f as string, "paths relative to the code root").not.toContain(session.dir);
  }
  return trace as string[];
}

/** No secret header value in any body the function posted. */
function expectNoSecretPosted(session: Session): void {
  const secrets = Object.values(secretValues(session.spec));
  for (const e of session.emu.api.transcript) {
    if (e.type !== "post" || e.body === undefined) continue;
    for (const secret of secrets) expect(e.body.includes(secret), `a secret in a posted body: ${e.body.slice(0, 300)}`).toBe(false);
  }
}

/** The runtime's own lines on stderr (text format): `fgruntime: ...`. */
const runtimeLines = (session: Session) => session.stderr().split("\n").filter((l) => l.startsWith("fgruntime: "));

function hookRuns(session: Session): number {
  return session.stderr().split("\n").filter((l) => l === HOOK_LINE).length;
}

/** Waits until the API has handed an event out (the handler is running). */
async function dispatched(session: Session): Promise<void> {
  await waitFor(() => session.emu.api.inFlightIds.length > 0, 5000);
  expect(session.emu.api.inFlightIds.length, session.tail()).toBe(1);
}

interface InitCase {
  name: string;
  /** Written over the handler file of a copy of the test build (interpreted languages and shell). */
  handler?: string;
  env?: Record<string, string>;
  /** Text the error message and the log line must hold. */
  marker: string;
}

function initCases(v: Variant): InitCase[] {
  switch (v.lang) {
    case "go":
    case "rust":
      return [
        { name: "init hook panics", env: { FG_TEST_INIT_FAIL: "panic" }, marker: "fg init failure xyz" },
        { name: "init hook fails", env: { FG_TEST_INIT_FAIL: "error" }, marker: "fg init failure xyz" },
      ];
    case "python":
      return [
        { name: "import error", handler: "import fg_no_such_module_xyz  # noqa: F401\n\n\ndef handler(event, context):\n    return event\n", marker: "fg_no_such_module_xyz" },
        { name: "no handler", handler: "HANDLER = None\n", marker: "handler" },
      ];
    case "node":
      return [
        { name: "throws at load", handler: 'throw new Error("fg init failure xyz");\n', marker: "fg init failure xyz" },
        { name: "no handler", handler: "export const other = 1;\n", marker: "handler" },
      ];
    case "shell":
      return [
        { name: "syntax error", handler: "handler() {\n\tcat\n\tif then\n", marker: "handler.sh" },
        { name: "no handler", handler: "other() {\n\tcat\n}\n", marker: "handler" },
      ];
  }
}

/** The FunctionGraph-like PATH of a test: the machine's, with the interpreter folder taken out. */
function pathWithout(cmd: string): string {
  const dirs = (process.env.PATH ?? "").split(":").filter((d) => {
    try {
      execFileSync("test", ["-x", join(d, cmd)]);
      return false;
    } catch {
      return true;
    }
  });
  return dirs.join(":");
}

/** The real interpreter binary (not a pyenv shim): what a package would bundle in bin/. */
function realInterpreter(v: Variant): string {
  if (v.lang === "node") return process.execPath;
  return execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();
}

const INTERPRETER: Record<string, string> = { python: "python3", node: "node" };

export const HARDENING_SCENARIOS: Scenario[] = [
  {
    name: "stack-traces",
    // The 100-deep failure is a panic in Go and Rust, an exception elsewhere.
    group: (v) => (v.lang === "go" || v.lang === "rust" ? "deep-panics" : "deep-throws"),
    async run(v, start) {
      const s = await start({ handler: "test" });
      const file = basename(HANDLER_FILES[v.lang]);

      const panic = expectTrace(errorBody(await s.invoke('{"op":"panic"}'), s, spec.errors.types.panic), s);
      if (isShell(v)) expect(panic, "the handler's last stderr lines").toContain("panicked in the test handler");
      else expect(panic.some((f) => f.includes(file)), `a frame in ${file}:\n${panic.join("\n")}`).toBe(true);

      const thrown = errorBody(await s.invoke('{"op":"throw"}'), s, spec.errors.types.handler);
      if (isShell(v)) expect(expectTrace(thrown, s)).toContain("thrown by the test handler");
      // Exceptions carry their stack; Go and Rust error values have none (docs/runtime-contract.md).
      if (interpreted(v)) expect(expectTrace(thrown, s).some((f) => f.includes(file)), thrown.raw).toBe(true);

      // 100 frames deep (shell: 100 stderr lines): the innermost maxStackFrames are kept. Rust
      // gives the panic's location, and its frames only with RUST_BACKTRACE.
      const deepType = v.lang === "go" || v.lang === "rust" ? spec.errors.types.panic : spec.errors.types.handler;
      const deepSession = await start({ handler: "test", extraEnv: v.lang === "rust" ? { RUST_BACKTRACE: "1" } : {} });
      const deep = expectTrace(errorBody(await deepSession.invoke('{"op":"deep"}'), deepSession, deepType), deepSession);
      expect(deep.length, deep.join("\n")).toBe(spec.limits.maxStackFrames);
      if (isShell(v)) {
        expect(deep[deep.length - 1]).toBe("line 100");
        expect(deep[0]).toBe(`line ${101 - spec.limits.maxStackFrames}`);
      }

      expect((await s.invoke(ok(1))).kind, "the runtime goes on").toBe("response");
      expectNoSecretPosted(s);
      expectNoSecretPosted(deepSession);
      return [...s.normalized(), ...deepSession.normalized()];
    },
  },
  {
    name: "init-failure",
    async run(v, start) {
      const transcripts = [];
      for (const c of initCases(v)) {
        const s = await start({
          handler: "test",
          extraEnv: c.env,
          prepare: c.handler === undefined ? undefined : (dir) => writeFileSync(join(dir, HANDLER_FILES[v.lang]), c.handler!),
        });
        await waitFor(() => runtimeLines(s).some((l) => l.includes(c.marker)), 5000);
        const atStart = runtimeLines(s).filter((l) => l.includes(c.marker));
        expect(atStart.length, `${c.name}: one log line at start with the reason (${c.marker}):\n${s.tail()}`).toBe(1);
        const stderrAtStart = s.stderr();
        const messages = new Set<unknown>();
        for (let i = 0; i < 3; i++) {
          const e = errorBody(await s.invoke(ok(i)), s, spec.errors.types.init);
          expect(String(e.message), `${c.name}: the reason in the message`).toContain(c.marker);
          messages.add(e.message);
        }
        expect(messages.size, "the same reason every time").toBe(1);
        expect(s.emu.api.transcript.filter((e) => e.type === "start").length, `${c.name}: no crash loop: one process\n${s.tail()}`).toBe(1);
        expect(s.stderr(), `${c.name}: nothing more logged per invocation`).toBe(stderrAtStart);
        transcripts.push(...s.normalized());
      }
      return transcripts;
    },
  },
  {
    name: "sigterm-idle",
    async run(v, start) {
      const s = await start({ handler: "test" });
      expect((await s.invoke(ok(1))).kind, s.tail()).toBe("response");
      await new Promise((r) => setTimeout(r, 300)); // idle in the long poll
      const exit = await s.emu.terminate("SIGTERM");
      expect(exit.ms, "exits promptly on SIGTERM").toBeLessThan(1500);
      expect({ code: exit.code, signal: exit.signal }, s.tail()).toEqual({ code: 0, signal: null });
      expect(exit.leftovers, "no child process left behind").toEqual([]);
      await waitFor(() => hookRuns(s) > 0, 500);
      expect(hookRuns(s), `the shutdown hook runs once\n${s.tail()}`).toBe(1);
      return s.normalized();
    },
  },
  {
    name: "sigterm-busy",
    timeoutMs: 30_000,
    async run(v, start) {
      const s = await start({ handler: "test" });
      const pending = s.invoke('{"op":"sleep","ms":1000}');
      await dispatched(s);
      await new Promise((r) => setTimeout(r, 200));
      const exiting = s.emu.terminate("SIGTERM");
      const r = await pending;
      expect({ kind: r.kind, body: r.body.toString("utf8") }, `the invocation in flight finishes and is posted\n${s.tail()}`).toEqual({ kind: "response", body: "slept" });
      const exit = await exiting;
      expect({ code: exit.code, signal: exit.signal }, s.tail()).toEqual({ code: 0, signal: null });
      expect(exit.ms, "exits once the result is posted").toBeLessThan(1000 + spec.limits.shutdownGraceMs);
      expect(exit.leftovers, "no child process left behind").toEqual([]);
      expect(s.emu.api.gets, "no GET after SIGTERM").toBe(1);
      await waitFor(() => hookRuns(s) > 0, 500);
      expect(hookRuns(s), `the shutdown hook runs once\n${s.tail()}`).toBe(1);
      return s.normalized();
    },
  },
  {
    name: "sigterm-overrun",
    timeoutMs: 30_000,
    kills: true,
    async run(v, start) {
      const s = await start({ handler: "test" });
      const pending = s.invoke('{"op":"sleep","ms":20000}');
      await dispatched(s);
      await new Promise((r) => setTimeout(r, 200));
      const exit = await s.emu.terminate("SIGTERM", { killAfterMs: spec.limits.shutdownGraceMs + 4000 });
      expect(exit.ms, `gives up after the grace period of ${spec.limits.shutdownGraceMs} ms\n${s.tail()}`).toBeLessThan(spec.limits.shutdownGraceMs + 1500);
      expect(exit.ms).toBeGreaterThanOrEqual(spec.limits.shutdownGraceMs - 300);
      expect(exit.code === 0 && exit.signal === null, "an invocation given up is not a clean exit").toBe(false);
      expect(exit.leftovers, "no child process left behind").toEqual([]);
      await waitFor(() => hookRuns(s) > 0, 500);
      expect(hookRuns(s), `the shutdown hook runs once\n${s.tail()}`).toBe(1);
      expect((await pending).kind).not.toBe("response");
      return [{ type: "overrun", gaveUp: true }];
    },
  },
  {
    name: "request-id-escaping",
    async run(v, start) {
      const s = await start({ handler: "test" });
      const ids = ["id with space", "a/b/c", "100%25done%", "q?x=1&y=2", "frag#ment", "grüße-日本-😀", "plus+semi;colon=at@", "..", "%2F"];
      for (const [i, id] of ids.entries()) {
        const r = await s.invoke(ok(i), undefined, id);
        expect({ kind: r.kind, id: r.requestId, body: r.body.toString("utf8") }, `request ID ${JSON.stringify(id)}\n${s.tail()}`).toEqual({ kind: "response", id, body: ok(i) });
      }
      expect(s.emu.api.rejected, "no POST to a wrong path").toBe(0);
      // The context sees the ID as text, non-ASCII included (a session of its own: the body
      // holds times and paths, which stay out of the transcript).
      const ctx = await start({ handler: "test" });
      const id = "ctx grüße/日本?#%";
      const r = await ctx.invoke('{"op":"context"}', undefined, id);
      expect(r.kind, ctx.tail()).toBe("response");
      expect(r.body.toString("utf8").split("\n"), "the context's request ID").toContain(`requestId\t${id}`);
      // Another spec puts the ID mid-path.
      const alt = await start({ spec: "alt", handler: "scaffold" });
      const event = '{"hello":"world"}';
      expectScaffoldEcho(await alt.invoke(event, undefined, "mid/path ü?#"), event, alt, SPEC.alt);
      expect(alt.emu.api.rejected).toBe(0);
      return [...s.normalized(), ...alt.normalized()];
    },
  },
  {
    name: "interpreter-from-package",
    applies: interpreted,
    async run(v, start) {
      const cmd = INTERPRETER[v.lang]!;
      const real = realInterpreter(v);
      const s = await start({
        handler: "test",
        prepare: (dir) => {
          mkdirSync(join(dir, "bin"));
          symlinkSync(real, join(dir, "bin", cmd));
        },
        extraEnv: { PATH: pathWithout(cmd) },
      });
      expect((await s.invoke(ok(1))).kind, s.tail()).toBe("response");
      const lines = runtimeLines(s).filter((l) => l.includes(join(s.dir, "bin", cmd)));
      expect(lines.length, `one line naming ${s.dir}/bin/${cmd}:\n${s.tail()}`).toBe(1);
      expect(lines[0], "with its version").toMatch(/\d+\.\d+/);
      return s.normalized();
    },
  },
  {
    name: "interpreter-missing",
    applies: interpreted,
    async run(v, start) {
      const cmd = INTERPRETER[v.lang]!;
      const s = await start({ handler: "test", extraEnv: { PATH: pathWithout(cmd) } });
      await waitFor(() => s.emu.api.transcript.some((e) => e.type === "exit"), 5000);
      const exit = s.emu.api.transcript.find((e) => e.type === "exit");
      expect(exit && "code" in exit ? exit.code : undefined, s.tail()).toBe(127);
      expectOneLinePerStart(s);
      expect(s.stderr(), "names what is missing").toContain(cmd);
      return [{ type: "interpreter", exitCode: 127 }];
    },
  },
  {
    name: "interpreter-too-old",
    applies: interpreted,
    async run(v, start) {
      const cmd = INTERPRETER[v.lang]!;
      // The test handler folder's fake: the real interpreter made to report an old version.
      const fake = v.lang === "python" ? join(ROOT, "test/conformance/handlers/python/old-python3") : join(ROOT, "test/conformance/handlers/node/old-node");
      const s = await start({
        handler: "test",
        prepare: (dir) => {
          mkdirSync(join(dir, "bin"));
          if (v.lang === "python") copyFileSync(fake, join(dir, "bin", cmd));
          else cpSync(fake, join(dir, "bin"), { recursive: true });
          execFileSync("chmod", ["+x", join(dir, "bin", cmd)]);
        },
        extraEnv: { PATH: pathWithout(cmd), FG_TEST_REAL_INTERPRETER: realInterpreter(v) },
      });
      await waitFor(() => s.emu.api.transcript.some((e) => e.type === "exit"), 5000);
      const exit = s.emu.api.transcript.find((e) => e.type === "exit");
      expect(exit && "code" in exit ? exit.code : undefined, s.tail()).toBe(127);
      expectOneLinePerStart(s);
      expect(s.stderr(), "says which version it needs").toMatch(v.lang === "python" ? /3\.9/ : /\b20\b/);
      return [{ type: "interpreter", exitCode: 127 }];
    },
  },
  {
    name: "log-json",
    async run(v, start) {
      const logFormat = spec.env.find((e) => e.logFormat)!;
      const s = await start({
        handler: "test",
        extraEnv: { [logFormat.name]: "json" },
        getFaults: { 1: { kind: "status", status: 500 } },
        postFaults: { 1: { kind: "status", status: 500 } },
      });
      const a = await s.invoke(ok(1));
      const b = await s.invoke('{"op":"logbig","bytes":100}');
      expect(b.kind, s.tail()).toBe("response");
      await waitFor(() => s.stderr().includes(LOG_UNIT.repeat(10)), 2000);
      const lines = s.stderr().split("\n").filter((l) => l !== "");
      const objects = lines.map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          throw new Error(`${v.id}: a log line that is not JSON: ${l}\n${s.tail()}`);
        }
      });
      for (const o of objects) {
        expect(Object.keys(o), JSON.stringify(o)).toEqual(["time", "level", "requestId", "message"]);
        expect(o.time, JSON.stringify(o)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(["DEBUG", "INFO", "WARN", "ERROR"], JSON.stringify(o)).toContain(o.level);
        expect(typeof o.requestId === "string" && typeof o.message === "string", JSON.stringify(o)).toBe(true);
      }
      expect(objects.some((o) => o.requestId === b.requestId && o.level === "INFO" && o.message === LOG_UNIT.repeat(10)), "the context logger's line").toBe(true);
      expect(objects.some((o) => o.requestId === a.requestId && String(o.message).includes("500")), "the failed POST, with its request ID").toBe(true);
      expect(objects.filter((o) => String(o.message).includes("500")).length, "the failed GET and the failed POST").toBeGreaterThanOrEqual(2);
      return s.normalized();
    },
  },
  {
    name: "log-split",
    async run(v, start) {
      const logFormat = spec.env.find((e) => e.logFormat)!;
      const max = spec.limits.maxLogLineBytes;
      const n = 25_000; // 250,000 bytes: three lines or more
      const want = LOG_UNIT.repeat(n);
      const transcripts = [];
      for (const format of ["text", "json"]) {
        const s = await start({ handler: "test", extraEnv: { [logFormat.name]: format } });
        const r = await s.invoke(`{"op":"logbig","bytes":${n * 10}}`);
        expect(r.kind, s.tail()).toBe("response");
        const prefix = new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ${r.requestId} INFO `);
        let pieces: string[] = [];
        const collect = () => {
          const lines = s.stderr().split("\n");
          pieces =
            format === "text"
              ? lines.filter((l) => prefix.test(l))
              : lines.filter((l) => l.startsWith("{") && l.includes(r.requestId) && l.includes(LOG_UNIT));
          return pieces;
        };
        await waitFor(() => collect().length >= 3 && messageOf(pieces, format, prefix).length >= want.length, 3000);
        for (const p of pieces) expect(Buffer.byteLength(p), `${format}: a line of ${Buffer.byteLength(p)} bytes`).toBeLessThanOrEqual(max);
        expect(pieces.length, `${format}: ${want.length * 1} characters in lines of at most ${max} bytes`).toBeGreaterThanOrEqual(3);
        const joined = messageOf(pieces, format, prefix);
        expect(joined === want, `${format}: the pieces join to the message (${joined.length} of ${want.length} characters, first difference at ${firstDiff(joined, want)})`).toBe(true);
        transcripts.push(...s.normalized());
      }
      return transcripts;
    },
  },
];

/** An interpreter problem: one line per start (the emulator restarts the bootstrap), nothing else. */
function expectOneLinePerStart(s: Session): void {
  const lines = s.stderr().split("\n").filter((l) => l !== "");
  const starts = s.emu.api.transcript.filter((e) => e.type === "start").length;
  expect(lines.length, `one line per start:\n${s.tail()}`).toBeGreaterThanOrEqual(1);
  expect(lines.length, `one line per start:\n${s.tail()}`).toBeLessThanOrEqual(starts);
}

function messageOf(pieces: string[], format: string, prefix: RegExp): string {
  return pieces.map((p) => (format === "text" ? p.replace(prefix, "") : String((JSON.parse(p) as { message: unknown }).message))).join("");
}

function firstDiff(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}
