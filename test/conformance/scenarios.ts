import { expect } from "vitest";
import type { InvocationResult } from "../../src/emulator/api.js";
import { rssKiB } from "../../src/emulator/instance.js";
import type { NormalEntry, TranscriptEntry } from "../../src/emulator/transcript.js";
import type { Spec } from "../../src/spec.js";
import { expectScaffoldEcho } from "./handler-scenarios.js";
import { SPEC, Session, conformanceEnv, conformanceHeaders, errorKeysOk, type SessionOptions, type Variant } from "./harness.js";

/**
 * The scenario list every language's output must pass. Each scenario drives a bootstrap over
 * real loopback HTTP through the emulator, asserts on what reached the API, and returns its
 * normalised transcript, which must be the same for every language and match the golden file.
 */
export interface Scenario {
  name: string;
  /** Whether the scenario applies to a variant (default: all); false shows as n/a. */
  applies?(v: Variant): boolean;
  /** Parity group (default "all"): variants in one group must have identical transcripts. */
  group?(v: Variant): string;
  /** The scenario SIGKILLs the bootstrap on purpose, so leftover temp files are expected. */
  kills?: boolean;
  timeoutMs?: number;
  /** The normalised transcript; with a group when the scenario allows more than one behaviour. */
  run(v: Variant, start: (opts: SessionOptions) => Promise<Session>): Promise<NormalEntry[] | { group: string; transcript: NormalEntry[] }>;
}

const spec = SPEC.default;

const isShell = (v: Variant) => v.lang === "shell";

/** An error body's parts, by the spec's keys; a body that is not a JSON object has none. */
export function errorOf(r: InvocationResult, s: Spec): { type: unknown; message: unknown; trace: unknown; keys: string[]; raw: string } {
  const raw = r.body.toString("utf8");
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    // left empty: the assertions below say what is wrong
  }
  const trace = s.errors.stackTraceField === undefined ? undefined : parsed[s.errors.stackTraceField];
  return { type: parsed[s.errors.typeField], message: parsed[s.errors.messageField], trace, keys: Object.keys(parsed), raw };
}

/** An error post of the spec's shape: exactly the two keys, in order, both non-empty strings. */
function expectError(r: InvocationResult, type: string, session: Session, s: Spec = spec): string {
  expect(r.kind, `expected an error post, got ${r.kind}: ${r.body.toString().slice(0, 300)}\n${session.tail()}`).toBe("error");
  const e = errorOf(r, s);
  expect(errorKeysOk(e.keys, s), `error body ${e.raw}`).toBe(true);
  expect(e.type, `error body ${e.raw}`).toBe(type);
  expect(typeof e.message === "string" && e.message.trim() !== "", `error message must be non-empty: ${e.raw}`).toBe(true);
  return e.message as string;
}

function expectResponse(r: InvocationResult, body: Buffer | string, session: Session): void {
  expect(r.kind, `expected a response, got ${r.kind} ${r.reason ?? ""}: ${r.body.toString().slice(0, 300)}\n${session.tail()}`).toBe("response");
  const want = typeof body === "string" ? Buffer.from(body) : body;
  if (!r.body.equals(want)) {
    // A readable diff for small bodies; lengths and the first difference for big ones.
    if (want.length < 4096) expect(r.body.toString("utf8")).toBe(want.toString("utf8"));
    let i = 0;
    while (i < want.length && r.body[i] === want[i]) i++;
    expect.fail(`response differs: ${r.body.length} bytes instead of ${want.length}, first difference at byte ${i}`);
  }
}

/** Times (ms) of the GETs in a transcript. */
function getTimes(entries: readonly TranscriptEntry[]): number[] {
  return entries.filter((e) => e.type === "get").map((e) => e.t);
}

/** After failed GETs the runtime must back off 50, 100, 200… ms (with slack), and not hang. */
function expectBackoff(session: Session, failures: number): void {
  const times = getTimes(session.emu.api.transcript);
  expect(times.length, `GETs: ${times.length} (a hot loop asks far more often)\n${session.tail()}`).toBe(failures + 1);
  for (let i = 0; i < failures; i++) {
    const gap = times[i + 1]! - times[i]!;
    const want = Math.min(50 * 2 ** i, 2000);
    expect(gap, `gap after failed GET ${i + 1}: ${gap} ms, want about ${want} ms`).toBeGreaterThanOrEqual(want * 0.8);
    expect(gap, `gap after failed GET ${i + 1}: ${gap} ms, want about ${want} ms`).toBeLessThan(want * 10 + 1500);
  }
}

/** A JSON event of exactly `size` bytes, its string made of `unit` repeated (then ASCII padding). */
export function sizedEvent(size: number, unit = "x"): Buffer {
  const head = Buffer.from('{"data":"');
  const tail = Buffer.from('"}');
  const room = size - head.length - tail.length;
  const u = Buffer.from(unit);
  const reps = Math.floor(room / u.length);
  const body = Buffer.alloc(room, "x");
  for (let i = 0; i < reps; i++) u.copy(body, i * u.length);
  return Buffer.concat([head, body, tail]);
}

export const ECHO_EVENTS: string[] = [
  '{"hello":"world"}',
  '{"unicode":"grüße, 日本語, emoji 😀, שלום, e\u0301","escaped":"\\u00fc\\ud83d\\ude00\\u2028"}',
  '{"quotes":"\\"double\\" \'single\'","dollar":"$HOME ${PATH} $(id) $$ $1","backticks":"`id` ``","backslashes":"\\\\ \\\\\\\\ \\\\n \\\\t \\\\\\"","percent":"%s %d %% %n %b","dash":"-n -e --"}',
  '  {\n  "pretty": [1, 2.5, -0, 1e3, true, false, null],\n\t"nested": {"a": {"b": []}}\n}\n',
  '{"trailing":"newlines"}\n\n\n',
  '{"crlf":"line"}\r\n',
  '{"controls":"\\b\\f\\r\\t\\u0000\\u001f"}',
  "[]",
  "{}",
  '"just a string"',
  "42",
  "-1.5e-3",
  "true",
  "null",
  "[1, [2, [3, [4]]]]",
];

export const INVALID_EVENTS: string[] = [
  "{not json",
  "",
  "   ",
  '{"a":1} trailing',
  '{"a":1}{"b":2}',
  "[1,]",
  '{"a":1,}',
  "{'single':1}",
  "NaN",
  "Infinity",
  "-Infinity",
  '{"a":NaN}',
  '"unterminated',
  '{"raw":"line\nbreak"}',
  '"\\x41"',
  "01",
  "+1",
  ".5",
  "undefined",
  "-n",
];

const ok = (n: number) => `{"next":${n}}`;

export const SCENARIOS: Scenario[] = [
  {
    name: "echo",
    async run(v, start) {
      const s = await start({ handler: "test" });
      for (const event of ECHO_EVENTS) expectResponse(await s.invoke(event), event, s);
      const posts = s.emu.api.transcript.filter((e) => e.type === "post");
      expect(posts.length, "exactly one POST per event").toBe(ECHO_EVENTS.length);
      return s.normalized();
    },
  },
  {
    name: "invalid-json",
    async run(v, start) {
      const s = await start({ handler: "scaffold" });
      for (const [i, event] of INVALID_EVENTS.entries()) {
        const r = await s.invoke(event);
        expect(r.kind, `event ${JSON.stringify(event)} is not JSON, but got a ${r.kind}: ${r.body.toString().slice(0, 200)}`).toBe("error");
        // The same text in every language (docs/events-contract.md).
        expect(expectError(r, spec.errors.types.handler, s)).toBe("the event is not valid JSON");
        expectScaffoldEcho(await s.invoke(ok(i)), ok(i), s);
      }
      return s.normalized();
    },
  },
  {
    name: "handler-errors",
    async run(v, start) {
      const s = await start({ handler: "test" });
      const thrown = expectError(await s.invoke('{"op":"throw"}'), spec.errors.types.handler, s);
      expect(thrown).toContain("thrown by the test handler");
      expectResponse(await s.invoke(ok(1)), ok(1), s);
      expectError(await s.invoke('{"op":"panic"}'), spec.errors.types.panic, s);
      expectResponse(await s.invoke(ok(2)), ok(2), s);
      expectError(await s.invoke('{"op":"throw"}'), spec.errors.types.handler, s);
      expectError(await s.invoke('{"op":"panic"}'), spec.errors.types.panic, s);
      expectResponse(await s.invoke(ok(3)), ok(3), s);
      expect(s.emu.api.transcript.filter((e) => e.type === "start").length, "the runtime survives: one process").toBe(1);
      return s.normalized();
    },
  },
  {
    name: "handler-typed-error",
    // The shell handler API has no way to choose the errorType (docs/handler-api.md).
    applies: (v) => !isShell(v),
    async run(v, start) {
      const s = await start({ handler: "test" });
      const message = expectError(await s.invoke('{"op":"typed"}'), "Test.CustomError", s);
      expect(message).toBe("typed by the test handler");
      expectResponse(await s.invoke(ok(1)), ok(1), s);
      return s.normalized();
    },
  },
  {
    name: "handler-exit",
    // A shell handler's exit status is its result (non-zero: an error post); in the other
    // languages exiting ends the process, and the emulator restarts the bootstrap.
    group: (v) => (isShell(v) ? "shell" : "process-exit"),
    kills: true,
    async run(v, start) {
      const s = await start({ handler: "test" });
      const r = await s.invoke('{"op":"exit"}');
      if (isShell(v)) {
        expectError(r, spec.errors.types.handler, s);
      } else {
        expect(r.kind, s.tail()).toBe("crash");
      }
      expectResponse(await s.invoke(ok(1)), ok(1), s);
      return s.normalized();
    },
  },
  {
    name: "big-events",
    // Generous: the shell output reads big events with awk, slow under load.
    timeoutMs: 300_000,
    async run(v, start) {
      const report: string[] = [];
      // The shell runtime must fit a 128 MB instance whatever the shell and awk (issue 11): the
      // whole process tree, measured by sampling, stays under this bound.
      const shellBoundKiB = 64 * 1024;
      const bounded = (peakKiB: number, what: string, s: Session) => {
        if (isShell(v)) expect(peakKiB, `${v.id}: peak RSS of ${what}: ${Math.round(peakKiB / 1024)} MiB\n${s.tail()}`).toBeLessThanOrEqual(shellBoundKiB);
      };
      const s = await start({ handler: "test", timeoutSeconds: 120 });
      const unit = 'abc ü € 😀 \\" $HOME `id` \\\\ %s ';
      for (const size of [1 << 20, 6_000_000]) {
        const event = sizedEvent(size, unit);
        expect(event.length).toBe(size);
        const t0 = performance.now();
        const { result, peakKiB } = await s.peakRss(s.invoke(event));
        expectResponse(result, event, s);
        bounded(peakKiB, `a ${size}-byte event through the runtime`, s);
        report.push(`runtime ${size} B: ${Math.round(performance.now() - t0)} ms, ${Math.round(peakKiB / 1024)} MiB`);
      }
      // The scaffold reads the event as JSON (the shell: with awk) and answers it in an APIG
      // envelope, which stays under the response limit for plain characters.
      const scaffold = await start({ handler: "scaffold", timeoutSeconds: 120 });
      const event = sizedEvent(6_000_000);
      const t0 = performance.now();
      const { result, peakKiB } = await scaffold.peakRss(scaffold.invoke(event));
      expectScaffoldEcho(result, event.toString("utf8"), scaffold);
      bounded(peakKiB, "a 6,000,000-byte event through the scaffold", scaffold);
      report.push(`scaffold 6000000 B: ${Math.round(performance.now() - t0)} ms, ${Math.round(peakKiB / 1024)} MiB`);
      // For information (time is the bench's business; only the shell's memory is bounded here).
      console.log(`${v.id}: big events: ${report.join("; ")}`);
      return [...s.normalized(), ...scaffold.normalized()];
    },
  },
  {
    name: "response-too-large",
    timeoutMs: 300_000,
    async run(v, start) {
      const s = await start({ handler: "test", timeoutSeconds: 120 });
      const limit = spec.limits.maxResponseBytes;
      // The test handler echoes the event: one byte over the limit is an error post of the
      // responseTooLarge type, not a crash; exactly the limit is still a response.
      expectError(await s.invoke(sizedEvent(limit + 1)), spec.errors.types.responseTooLarge, s);
      const atLimit = sizedEvent(limit);
      expectResponse(await s.invoke(atLimit), atLimit, s);
      expectResponse(await s.invoke(ok(1)), ok(1), s);
      expect(s.emu.api.transcript.filter((e) => e.type === "start").length, "no crash").toBe(1);
      return s.normalized();
    },
  },
  {
    name: "api-down-at-start",
    async run(v, start) {
      const s = await start({ handler: "test", listenDelayMs: 1000 });
      const t0 = performance.now();
      const r = await s.invoke(ok(1));
      expectResponse(r, ok(1), s);
      // The backoff tops out at 2 s: once the API is up, the next try comes within that.
      expect(performance.now() - t0, "served soon after the API appeared").toBeLessThan(4000);
      return s.normalized();
    },
  },
  {
    name: "get-5xx",
    async run(v, start) {
      const s = await start({
        handler: "test",
        getFaults: { 1: { kind: "status", status: 500 }, 2: { kind: "status", status: 502 }, 3: { kind: "status", status: 503 } },
      });
      expectResponse(await s.invoke(ok(1)), ok(1), s);
      expectBackoff(s, 3);
      expectResponse(await s.invoke(ok(2)), ok(2), s);
      return s.normalized();
    },
  },
  {
    name: "get-reset",
    async run(v, start) {
      const s = await start({ handler: "test", getFaults: { 1: { kind: "reset" }, 2: { kind: "reset" } } });
      expectResponse(await s.invoke(ok(1)), ok(1), s);
      expectBackoff(s, 2);
      expectResponse(await s.invoke(ok(2)), ok(2), s);
      return s.normalized();
    },
  },
  {
    name: "no-request-id",
    async run(v, start) {
      const s = await start({ handler: "test", getFaults: { 1: { kind: "noRequestId" } } });
      expectResponse(await s.invoke(ok(1)), ok(1), s);
      expectBackoff(s, 1);
      expectResponse(await s.invoke(ok(2)), ok(2), s);
      expect(s.emu.api.rejected, "nothing posted for the event without an ID").toBe(0);
      expect(s.emu.api.posts).toBe(2);
      return s.normalized();
    },
  },
  {
    name: "post-5xx",
    async run(v, start) {
      const s = await start({ handler: "test", postFaults: { 1: { kind: "status", status: 500 } } });
      const [a, b] = await Promise.all([s.invoke(ok(1)), s.invoke(ok(2))]);
      // Logged, not retried: the runtime went on to the next event.
      expect(a.kind, `${a.kind} ${a.reason ?? ""}`).toBe("unanswered");
      expect(a.postStatus).toBe(500);
      expectResponse(b, ok(2), s);
      expectResponse(await s.invoke(ok(3)), ok(3), s);
      expect(s.emu.api.rejected, "no second POST for the same request").toBe(0);
      await waitFor(() => s.stderr().includes(a.requestId), 2000);
      expect(s.stderr(), "the failed POST is logged with its request ID").toContain(a.requestId);
      return s.normalized();
    },
  },
  {
    name: "post-reset",
    async run(v, start) {
      // The reset comes before the API read the answer, so the answer did not arrive. Two
      // behaviours are fine: log it and go on (the invocation stays unanswered), or retry the
      // POST once (Go's net/http re-sends a request that failed this way on a reused connection).
      const s = await start({ handler: "test", postFaults: { 1: { kind: "reset" } } });
      const [a, b] = await Promise.all([s.invoke(ok(1)), s.invoke(ok(2))]);
      expect(a.postStatus).toBe(0);
      expectResponse(b, ok(2), s);
      expectResponse(await s.invoke(ok(3)), ok(3), s);
      expect(s.emu.api.rejected, "no duplicate POST").toBe(0);
      if (a.kind === "response") {
        expect(a.body.toString("utf8")).toBe(ok(1));
        return { group: "retried", transcript: s.normalized() };
      }
      expect(a.kind, `${a.kind} ${a.reason ?? ""}`).toBe("unanswered");
      await waitFor(() => s.stderr().includes(a.requestId), 2000);
      expect(s.stderr(), "the failed POST is logged with its request ID").toContain(a.requestId);
      return { group: "not-retried", transcript: s.normalized() };
    },
  },
  {
    name: "log-lines",
    async run(v, start) {
      // Every failure the runtime itself sees, each of which must be logged: to stderr, one
      // line each, as "fgruntime: [<request id>] <message>" (docs/handler-api.md).
      const memory = spec.env.find((e) => e.type === "integer" && !e.timeout)!;
      const s = await start({
        handler: "scaffold",
        env: { ...conformanceEnv(spec, ""), [memory.name]: "lots" },
        getFaults: { 1: { kind: "status", status: 500 }, 2: { kind: "noRequestId" } },
        postFaults: { 1: { kind: "status", status: 500 } },
      });
      const a = await s.invoke(ok(1));
      const b = await s.invoke("{not json");
      expectScaffoldEcho(await s.invoke(ok(2)), ok(2), s);
      await waitFor(() => s.stderr().includes(b.requestId), 2000);
      // The scaffold handler's own stderr line (shell: the handler reports there) is not the runtime's.
      const lines = s.stderr().split("\n").filter((l) => l !== "" && l !== "the event is not valid JSON");
      const bad = lines.filter((l) => !/^fgruntime: /.test(l));
      expect(bad, `lines not of the form "fgruntime: [<request id>] <message>":\n${lines.join("\n")}`).toEqual([]);
      for (const id of [a.requestId, b.requestId]) {
        expect(lines.some((l) => l.startsWith(`fgruntime: [${id}] `)), `a line for ${id}:\n${lines.join("\n")}`).toBe(true);
      }
      expect(lines.some((l) => l.includes(memory.name)), "a warning about the unparsable variable").toBe(true);
      expect(lines.filter((l) => l.includes("500")).length, "the failed GET and the failed POST").toBeGreaterThanOrEqual(2);
      expect(s.stdout(), "the runtime writes nothing to stdout").toBe("");
      return s.normalized();
    },
  },
  {
    name: "secrets",
    async run(v, start) {
      // Every path that logs: a handler printing its context, failures, a bad GET, a failed POST.
      const s = await start({ handler: "test", getFaults: { 1: { kind: "noRequestId" } }, postFaults: { 3: { kind: "status", status: 500 } } });
      expect((await s.invoke('{"op":"log"}')).kind, s.tail()).toBe("response");
      expectError(await s.invoke('{"op":"throw"}'), spec.errors.types.handler, s);
      expect((await s.invoke(ok(1))).kind).toBe("unanswered");
      expectError(await s.invoke('{"op":"panic"}'), spec.errors.types.panic, s);
      await new Promise((r) => setTimeout(r, 200));
      // (every session is also checked for leaks when it stops)
      expect([...s.leaks], s.tail()).toEqual([]);
      return s.normalized();
    },
  },
  {
    name: "context",
    async run(v, start) {
      const s = await start({ handler: "test" });
      const headers = conformanceHeaders(spec);
      for (const extra of [{}, { "X-CFF-Invoke-Type": "async", "X-CFF-Access-Key": "second-access-key" }] as Record<string, string>[]) {
        const r = await s.invoke('{"op":"context"}', extra);
        expect(r.kind, s.tail()).toBe("response");
        const seen = parseLines(r.body.toString("utf8"));
        expect(seen.requestId).toBe(r.requestId);
        for (const h of spec.headers.filter((x) => !x.requestId)) {
          expect(seen[h.field], `header ${h.name} as context field ${h.field}`).toBe(extra[h.name] ?? headers[h.name]);
        }
        const env = conformanceEnv(spec, s.dir);
        for (const e of spec.env) {
          const got = seen[e.field];
          expect(got, `${e.name} as context field ${e.field}`).toBeDefined();
          if (e.type === "string") expect(got, e.name).toBe(env[e.name]);
          else expect(Number(got), `${e.name}: ${got}`).toBe(Number(env[e.name]));
        }
        const remaining = Number(seen.remainingMs);
        expect(remaining, `remaining time ${seen.remainingMs}`).toBeGreaterThan(25_000);
        expect(remaining).toBeLessThanOrEqual(30_000);
      }
      // The bodies hold paths and times that vary: keep the shape only.
      return s.normalized().map((e) => (e.type === "post" ? { ...e, body: "<context>" } : e));
    },
  },
  {
    name: "big-headers",
    async run(v, start) {
      // IAM tokens are long: 16 KiB in each secret header (48 KiB of headers) reach the handler intact.
      const headers = conformanceHeaders(spec);
      for (const h of spec.headers.filter((x) => x.secret)) headers[h.name] = `${headers[h.name]}-${"T".repeat(16 << 10)}`;
      const s = await start({ handler: "test", headers });
      const r = await s.invoke('{"op":"context"}');
      expect(r.kind, s.tail()).toBe("response");
      const seen = parseLines(r.body.toString("utf8"));
      for (const h of spec.headers.filter((x) => x.secret)) expect(seen[h.field] === headers[h.name], `${h.name} intact`).toBe(true);
      expectResponse(await s.invoke(ok(1)), ok(1), s);
      return s.normalized().map((e) => (e.type === "post" && e.requestId === "<id1>" ? { ...e, body: "<context>" } : e));
    },
  },
  {
    name: "context-defaults",
    async run(v, start) {
      // No spec variable set, except one integer that does not parse: defaults, a warning, no exit.
      const memory = spec.env.find((e) => e.type === "integer" && !e.timeout)!;
      const s = await start({ handler: "test", env: { [memory.name]: "lots" } });
      const r = await s.invoke('{"op":"context"}');
      expect(r.kind, s.tail()).toBe("response");
      const seen = parseLines(r.body.toString("utf8"));
      for (const e of spec.env) {
        const want = e.default !== undefined ? e.default : e.type === "string" ? "" : 0;
        if (e.type === "string") expect(seen[e.field] ?? "", e.name).toBe(String(want));
        else expect(Number(seen[e.field]), `${e.name}: ${seen[e.field]}`).toBe(Number(want));
      }
      expect(s.stderr(), "a warning about the unparsable value").toContain(memory.name);
      return s.normalized().map((e) => (e.type === "post" ? { ...e, body: "<context>" } : e));
    },
  },
  {
    name: "timeout",
    kills: true,
    async run(v, start) {
      const timeout = spec.env.find((e) => e.timeout)!;
      const s = await start({ handler: "test", timeoutMs: 1000, env: { ...conformanceEnv(spec, ""), [timeout.name]: "1" } });
      const r = await s.invoke('{"op":"sleep","ms":5000}');
      expect(r.kind).toBe("timeout");
      expect(r.ms).toBeGreaterThanOrEqual(950);
      expect(r.ms).toBeLessThan(3000);
      expectResponse(await s.invoke(ok(1)), ok(1), s);
      return s.normalized();
    },
  },
  {
    name: "soak",
    timeoutMs: 900_000,
    async run(v, start) {
      // 10,000 everywhere; the shell output, at ~50 invocations/s (a curl and an awk per event),
      // gets 10,000 under dash and 2,000 under bash and busybox ash, to keep the suite short.
      const n = Number(process.env.FG_SOAK_INVOCATIONS ?? (v.lang === "shell" && v.id !== "shell-dash" ? 2_000 : 10_000));
      const s = await start({ handler: "test", record: false });
      const pid = s.pid!;
      const rss: { at: number; kib: number }[] = [];
      const every = Math.max(1, Math.floor(n / 10));
      const sampler = setInterval(() => {
        const at = s.emu.api.posts;
        const kib = rssKiB(pid);
        if (kib !== undefined && (rss.length === 0 || at >= rss[rss.length - 1]!.at + every)) rss.push({ at, kib });
      }, 20);
      const t0 = performance.now();
      const events = Array.from({ length: n }, (_, i) => `{"i":${i}}`);
      const results = await Promise.all(events.map((e) => s.invoke(e)));
      clearInterval(sampler);
      const seconds = (performance.now() - t0) / 1000;
      let responses = 0;
      const wrong: number[] = [];
      results.forEach((r, i) => {
        if (r.kind === "response" && r.body.toString("utf8") === events[i]) responses++;
        else wrong.push(i);
      });
      expect(wrong.slice(0, 5).map((i) => `${i}: ${results[i]!.kind} ${results[i]!.body.toString().slice(0, 100)}`), s.tail()).toEqual([]);
      expect(responses).toBe(n);
      expect(s.emu.api.posts, "one POST per invocation").toBe(n);
      expect(s.emu.api.rejected, "no duplicate or unknown POST").toBe(0);
      expect(s.emu.api.gets).toBeGreaterThanOrEqual(n);
      expect(s.emu.api.gets).toBeLessThanOrEqual(n + 1);
      expect(s.pid, "one process throughout").toBe(pid);
      // Resident memory stops growing: the second half adds little over the first.
      const mid = rss.find((x) => x.at >= n / 2) ?? rss[0]!;
      const end = rss[rss.length - 1]!;
      const summary = rss.map((x) => `${x.at}:${x.kib}`).join(" ");
      expect(end.kib, `RSS (invocations:KiB) ${summary}`).toBeLessThanOrEqual(mid.kib * 1.15 + 4096);
      console.log(`${v.id}: soak of ${n} invocations in ${seconds.toFixed(1)} s (${Math.round(n / seconds)}/s); RSS KiB ${summary}`);
      await s.stop();
      expect(s.tmpLeft, "files left in TMPDIR").toEqual([]);
      return [{ type: "soak", everyInvocationAnsweredOnce: responses === n && s.emu.api.posts === n, rejected: s.emu.api.rejected, tmpLeft: s.tmpLeft.length }];
    },
  },
];

/** Scenarios against the alternative spec (other paths, the request ID mid-path, a 1 MiB limit). */
export const ALT_SCENARIOS: Scenario[] = [
  {
    name: "alt-echo",
    async run(v, start) {
      const s = await start({ spec: "alt", handler: "scaffold" });
      for (const event of ECHO_EVENTS.slice(0, 4)) expectScaffoldEcho(await s.invoke(event), event, s, SPEC.alt);
      expectError(await s.invoke("{not json"), SPEC.alt.errors.types.handler, s, SPEC.alt);
      return s.normalized();
    },
  },
  {
    name: "alt-response-too-large",
    timeoutMs: 120_000,
    async run(v, start) {
      const alt = SPEC.alt;
      const s = await start({ spec: "alt", handler: "scaffold", timeoutSeconds: 60 });
      const limit = alt.limits.maxResponseBytes;
      // The scaffold wraps the event in an APIG envelope whose size is the language's own (its
      // JSON escaping and spacing): measure it on a small event, then aim at the limit exactly.
      const probe = sizedEvent(1000);
      const small = await s.invoke(probe);
      expectScaffoldEcho(small, probe.toString("utf8"), s, alt);
      const overhead = small.body.length - probe.length;
      expectError(await s.invoke(sizedEvent(limit - overhead + 1)), alt.errors.types.responseTooLarge, s, alt);
      const atLimit = sizedEvent(limit - overhead);
      const r = await s.invoke(atLimit);
      expectScaffoldEcho(r, atLimit.toString("utf8"), s, alt);
      expect(r.body.length, "exactly the limit").toBe(limit);
      // The envelopes' bytes are each language's own (escaping, key order): checked above, not compared.
      return s.normalized().map((e) => (e.type === "post" && e.kind === "response" ? { ...e, body: "<scaffold envelope>" } : e));
    },
  },
];

/** `key<TAB>value` lines → object. */
function parseLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab > 0) out[line.slice(0, tab)] = line.slice(tab + 1);
  }
  return out;
}

export async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (!cond() && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
}
