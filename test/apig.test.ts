import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, createServer, request, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupMembers } from "../src/emulator/instance.js";
import { apigRequestEvent, readApigResponse } from "../src/emulator/apig.js";
import { checkEvent } from "../src/eventcheck.js";
import { loadSpec } from "../src/spec.js";
import { buildDir, CLI, LANGS, ROOT } from "./support/outputs.js";

/**
 * `fg-bootgen emulate --apig`: the real CLI in its own process, real HTTP on loopback. First
 * against a small fake function (test/apig-fake.mjs) for the gateway's own rules, then every
 * language's default scaffold, under load with --instances 4.
 */
const { spec } = loadSpec();
const WORK = mkdtempSync(join(tmpdir(), "fg-apig-test-"));
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

let fakes = 0;
/** A function folder running test/apig-fake.mjs; with make, `make` copies src.mjs to fake.mjs after a syntax check. */
function fakeFunction(withMake = false): string {
  const dir = join(WORK, `fake-${++fakes}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(ROOT, "test/apig-fake.mjs"), join(dir, withMake ? "src.mjs" : "fake.mjs"));
  if (withMake) {
    writeFileSync(join(dir, "Makefile"), "all:\n\tnode --check src.mjs\n\tcp src.mjs fake.mjs\n");
    copyFileSync(join(dir, "src.mjs"), join(dir, "fake.mjs"));
  }
  writeFileSync(join(dir, "bootstrap"), '#!/bin/sh\nexec node "$(dirname "$0")/fake.mjs"\n');
  chmodSync(join(dir, "bootstrap"), 0o755);
  return dir;
}

/** Polls until `ready()` holds; the deadline only keeps a broken run from hanging. */
async function waitFor(ready: () => boolean, what: () => string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Running {
  child: ChildProcess;
  port: number;
  stderr(): string;
  /** Every bootstrap the emulator started (from its "started ... (pid N)" lines). */
  pids(): number[];
  /** SIGTERM, then the exit status once it is gone. */
  stop(): Promise<number | null>;
}

const running = new Set<Running>();
afterAll(async () => {
  for (const r of running) await r.stop();
});

async function startEmulate(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [CLI, "emulate", "--port", "0", ...args], { cwd: WORK, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const listening = () => /(?:API Gateway listening on|serving.*curl -d @event\.json) http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
  await waitFor(() => gone || listening() !== null, () => err);
  if (!listening()) throw new Error(`emulate exited: ${err}`);
  const r: Running = {
    child,
    port: Number(listening()![1]),
    stderr: () => err,
    pids: () => [...err.matchAll(/started .* \(pid (\d+)\)/g)].map((m) => Number(m[1])),
    stop: async () => {
      running.delete(r);
      if (!gone) child.kill("SIGTERM");
      return exited;
    },
  };
  running.add(r);
  return r;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function call(port: number, method: string, path: string, opts: { body?: Buffer | string; headers?: Record<string, string>; agent?: Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...opts.headers, ...(opts.body === undefined ? {} : { "Content-Length": String(Buffer.byteLength(opts.body)) }) };
    const req = request({ host: "127.0.0.1", port, method, path, headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

const command = (c: unknown) => JSON.stringify(c);

describe("emulate --apig: the gateway's rules (a fake function)", () => {
  let emu: Running;
  beforeAll(async () => {
    emu = await startEmulate(["--apig", "--dir", fakeFunction(), "--instances", "2", "--env", "RUNTIME_TIMEOUT=1"]);
  });

  it("turns an HTTP request into the schema's APIG request event", async () => {
    const body = command({ event: true });
    const a = await call(emu.port, "PUT", "/orders/42?verbose=true&lang=de&e=%C3%BC", { body, headers: { "X-Trace": "abc", "Content-Type": "application/json" } });
    expect(a.status, a.body.toString()).toBe(200);
    const event = JSON.parse(a.body.toString()) as Record<string, any>;
    expect(checkEvent(spec.events.types, spec.events.apig.request, event)).toEqual([]);
    expect(event.httpMethod).toBe("PUT");
    expect(event.path).toBe("/orders/42");
    expect(event.queryStringParameters).toEqual({ verbose: "true", lang: "de", e: "ü" });
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, "base64").toString()).toBe(body);
    expect(event.headers["x-trace"]).toBe("abc");
    expect(event.headers["content-type"]).toBe("application/json");
    expect(event.pathParameters).toEqual({});
    expect(event.requestContext.requestId).toBe(a.headers["x-request-id"]);
    expect(event.requestContext.sourceIp).toBe("127.0.0.1");
  });

  it("sends the function's status, headers and body, decoding base64", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10]);
    const respond = JSON.stringify({ statusCode: 201, isBase64Encoded: true, headers: { "Content-Type": "application/octet-stream", "X-Mine": "yes" }, body: bytes.toString("base64") });
    const a = await call(emu.port, "POST", "/bin", { body: command({ respond }) });
    expect(a.status).toBe(201);
    expect(a.headers["x-mine"]).toBe("yes");
    expect(a.headers["content-type"]).toBe("application/octet-stream");
    expect(a.body.equals(bytes)).toBe(true);
    const plain = await call(emu.port, "GET", "/x", { body: command({ respond: JSON.stringify({ statusCode: 404, body: "not here" }) }) });
    expect(plain.status).toBe(404);
    expect(plain.body.toString()).toBe("not here");
  });

  const invalid: [string, string, RegExp][] = [
    ["not JSON", "this is not json", /^invalid APIG response: the function's answer is not JSON \(/],
    ["an empty answer", "", /^invalid APIG response: the function answered with an empty body/],
    ["not an object", "[1,2]", /^invalid APIG response: the function's answer is an array, not a JSON object \(ApigResponse\)/],
    ["statusCode missing", '{"body":"x"}', /^invalid APIG response: statusCode is missing \(ApigResponse needs the HTTP status as an integer, e\.g\. 200\)$/],
    ["statusCode a string", '{"statusCode":"200","body":"x"}', /^invalid APIG response: statusCode must be an integer, got a string \("200"\)$/],
    ["statusCode not whole", '{"statusCode":200.5,"body":"x"}', /^invalid APIG response: statusCode must be an integer, got the number 200\.5$/],
    ["statusCode out of range", '{"statusCode":42,"body":"x"}', /^invalid APIG response: statusCode 42 is not an HTTP status \(100 to 599\)$/],
    ["body an object", '{"statusCode":200,"body":{"a":1}}', /^invalid APIG response: body must be a string, got an object \(JSON-encode an object into a string, or send bytes as base64 with isBase64Encoded: true\)$/],
    ["bad base64", '{"statusCode":200,"isBase64Encoded":true,"body":"aGVsbG8*"}', /^invalid APIG response: body is not valid base64: "\*" at offset 7 is not a base64 character \(isBase64Encoded is true\)$/],
    ["isBase64Encoded a string", '{"statusCode":200,"isBase64Encoded":"true","body":"x"}', /^invalid APIG response: isBase64Encoded must be a boolean \(true or false\), got a string \("true"\)$/],
    ["headers not an object", '{"statusCode":200,"headers":["a"],"body":"x"}', /^invalid APIG response: headers must be an object of strings, got an array$/],
    ["a header not a string", '{"statusCode":200,"headers":{"X-N":5},"body":"x"}', /^invalid APIG response: headers\.X-N must be a string, got the integer 5$/],
    ["a header name with a space", '{"statusCode":200,"headers":{"X Y":"1"},"body":"x"}', /^invalid APIG response: headers has "X Y", which is not an HTTP header name$/],
  ];
  it.each(invalid)("answers 502 with the reason, the same line on stderr: %s", async (_what, respond, reason) => {
    const a = await call(emu.port, "POST", "/bad", { body: command({ respond }) });
    expect(a.status).toBe(502);
    expect(a.headers["content-type"]).toBe("text/plain; charset=utf-8");
    const line = a.body.toString();
    expect(line.endsWith("\n") && !line.slice(0, -1).includes("\n")).toBe(true);
    expect(line.trimEnd()).toMatch(reason);
    const id = a.headers["x-request-id"] as string;
    await waitFor(() => emu.stderr().includes(`POST /bad 502`) && emu.stderr().includes(id), () => emu.stderr());
    expect(emu.stderr()).toContain(`emulate: [${id}] ${line}`);
  });

  it("an error post is a 500 with the error body; a timeout a 504; a crash a 502, and the next request is served", async () => {
    const e = await call(emu.port, "POST", "/e", { body: command({ fail: "no such order" }) });
    expect(e.status).toBe(500);
    expect(JSON.parse(e.body.toString())).toEqual({ errorType: "Fake.Error", errorMessage: "no such order" });
    const t = await call(emu.port, "POST", "/t", { body: command({ sleep: 5000 }) });
    expect(t.status).toBe(504);
    expect(t.body.toString()).toMatch(/^the function timed out: no answer within the function's timeout of 1 s\n$/);
    const c = await call(emu.port, "POST", "/c", { body: command({ exit: 3 }) });
    expect(c.status).toBe(502);
    expect(c.body.toString()).toMatch(/^the function did not answer: the bootstrap exited with status 3 before answering\n$/);
    const ok = await call(emu.port, "GET", "/after");
    expect(ok.status).toBe(200);
  });

  it("refuses a body over the APIG limit with 413", async () => {
    const big = Buffer.alloc(spec.events.apig.maxBytes + 1, 97);
    const a = await call(emu.port, "POST", "/big", { body: big }).catch((err: Error) => ({ status: -1, body: Buffer.from(err.message), headers: {} }));
    // The emulator answers before reading it all and closes; a client still sending may see the reset instead.
    if (a.status !== -1) {
      expect(a.status).toBe(413);
      expect(a.body.toString()).toBe(`request body over API Gateway's limit of ${spec.events.apig.maxBytes} bytes (events.apig.maxBytes)\n`);
    }
    await waitFor(() => emu.stderr().includes("POST /big 413"), () => emu.stderr());
    // At the limit the request goes through; the fake echoes it, and that answer is over the limit.
    const exact = await call(emu.port, "POST", "/fits", { body: Buffer.alloc(spec.events.apig.maxBytes, 97) });
    expect(exact.status).toBe(502);
    expect(exact.body.toString()).toMatch(/^invalid APIG response: body is \d+ bytes, over API Gateway's limit of 4194304 bytes \(events\.apig\.maxBytes\)\n$/);
  });

  it("logs one access line per request: method, path, status, duration, request ID", async () => {
    const a = await call(emu.port, "DELETE", "/orders/7?force=1");
    const id = a.headers["x-request-id"] as string;
    await waitFor(() => emu.stderr().includes(id), () => emu.stderr());
    const lines = emu.stderr().split("\n").filter((l) => l.includes("/orders/7?force=1"));
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^emulate: DELETE /orders/7\\?force=1 200 \\d+\\.\\d ms ${id}$`))]);
  });

  it("stops on SIGTERM, exit 0, leaving no process behind", async () => {
    const pids = emu.pids();
    expect(pids.length).toBeGreaterThanOrEqual(2);
    expect(await emu.stop()).toBe(0);
    for (const pid of pids) {
      expect(alive(pid)).toBe(false);
      expect(groupMembers(pid)).toEqual([]);
    }
  });
});

describe("emulate --instances: a bounded queue, and a crash loses only its own invocation", () => {
  it("answers 429 with a clear message once the queue is full", async () => {
    const emu = await startEmulate(["--apig", "--dir", fakeFunction(), "--max-queue", "0", "--env", "RUNTIME_TIMEOUT=60"]);
    const release = join(WORK, "release-429");
    const first = call(emu.port, "POST", "/busy", { body: command({ waitFor: release }) });
    await waitFor(() => emu.stderr().includes(`fake: waiting for ${release}`), () => emu.stderr());
    // The one instance is busy and no request may wait: each of these is refused at once.
    for (let i = 0; i < 3; i++) {
      const refused = await call(emu.port, "GET", `/more/${i}`);
      expect(refused.status).toBe(429);
      expect(refused.headers["retry-after"]).toBe("1");
      expect(refused.body.toString()).toBe(
        "too many requests: all 1 instance(s) are busy and 0 request(s) are waiting; retry later, or raise --instances or --max-queue\n",
      );
    }
    writeFileSync(release, "");
    expect((await first).status).toBe(200);
    expect((await call(emu.port, "GET", "/after")).status).toBe(200);
    expect(emu.stderr()).toMatch(/^emulate: GET \/more\/0 429 \d+\.\d ms -$/m);
    expect(await emu.stop()).toBe(0);
  });

  it("restarts a crashed instance; the others' queued work is answered", async () => {
    const emu = await startEmulate(["--apig", "--dir", fakeFunction(), "--instances", "3", "--env", "RUNTIME_TIMEOUT=30"]);
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    const sent = Array.from({ length: 30 }, (_, i) => call(emu.port, "POST", `/w/${i}`, { body: command(i === 5 || i === 17 ? { exit: 9 } : { sleep: 50, i }), agent }));
    const answers = await Promise.all(sent);
    agent.destroy();
    answers.forEach((a, i) => {
      if (i === 5 || i === 17) {
        expect(a.status).toBe(502);
        expect(a.body.toString()).toContain("exited with status 9 before answering");
      } else {
        expect(a.status, `${i}: ${a.body.toString()}`).toBe(200);
      }
    });
    // Three instances, each crashed one restarted.
    await waitFor(() => emu.pids().length === 5, () => emu.stderr());
    const pids = emu.pids();
    expect(await emu.stop()).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  it("--serve --instances 2 serves POST /invoke from two instances", async () => {
    const dir = join(WORK, "serve-fake");
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(ROOT, "test/conformance/fake-bootstrap.mjs"), join(dir, "fake.mjs"));
    writeFileSync(join(dir, "bootstrap"), '#!/bin/sh\nexec node "$(dirname "$0")/fake.mjs"\n');
    chmodSync(join(dir, "bootstrap"), 0o755);
    const emu = await startEmulate(["--serve", "--dir", dir, "--instances", "2"]);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => call(emu.port, "POST", "/invoke", { body: JSON.stringify({ n: i }) })));
    expect(answers.map((a) => a.body.toString())).toEqual(Array.from({ length: 10 }, (_, i) => JSON.stringify({ n: i })));
    expect(emu.pids().length).toBe(2);
    expect(await emu.stop()).toBe(0);
  });
});

describe("emulate --watch", () => {
  it("rebuilds with make and restarts on a change; a failed build shows the compiler's error and keeps the last good build", async () => {
    const dir = fakeFunction(true);
    const emu = await startEmulate(["--apig", "--watch", "--dir", dir, "--instances", "2"]);
    const version = async () => (await call(emu.port, "GET", "/v")).headers["x-fake-version"];
    expect(await version()).toBe("v1");
    const src = join(dir, "src.mjs");
    writeFileSync(src, readFileSync(src, "utf8").replace('const VERSION = "v1"', 'const VERSION = "v2"'));
    await waitFor(() => /rebuilt; restarting/.test(emu.stderr()), () => emu.stderr());
    // Both instances restart (two more "started" lines) before the new code answers everywhere.
    await waitFor(() => emu.pids().length === 4, () => emu.stderr());
    expect(await version()).toBe("v2");
    expect(await version()).toBe("v2");
    writeFileSync(src, `${readFileSync(src, "utf8")}\nthis is not javascript(\n`);
    await waitFor(() => /make failed \(status \d+\); still serving the last good build/.test(emu.stderr()), () => emu.stderr());
    expect(emu.stderr()).toContain("SyntaxError");
    expect(emu.pids().length).toBe(4);
    expect(await version()).toBe("v2");
    const pids = emu.pids();
    expect(await emu.stop()).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
});

describe("emulate: bad input is one line, exit 2, nothing started", () => {
  function run(args: string[]) {
    return new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, "emulate", ...args], { cwd: WORK, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
      child.once("exit", (code) => resolve({ code, stderr }));
    });
  }

  it("a port in use", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await run(["--apig", "--port", String(port), "--dir", fakeFunction()]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`fg-bootgen: --port ${port}: cannot listen on 127.0.0.1:${port}: it is in use; pick another with --port N (0: any free port)\n`);
    } finally {
      blocker.close();
    }
  });

  it("a folder without bootstrap, --apig with --serve, --watch without serving, a bad --instances", async () => {
    const empty = join(WORK, "empty");
    mkdirSync(empty, { recursive: true });
    const cases: [string[], RegExp][] = [
      [["--apig", "--dir", empty], /^fg-bootgen: .*empty\/bootstrap does not exist: build the function first \(make\)\n$/],
      [["--apig", "--serve", "--dir", fakeFunction()], /^fg-bootgen: --serve and --apig exclude each other/],
      [["--watch", "--event", "x.json", "--dir", fakeFunction()], /^fg-bootgen: --watch goes with --serve or --apig/],
      [["--apig", "--instances", "0", "--dir", fakeFunction()], /^fg-bootgen: --instances must be a whole number from 1 to 64/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  });
});

describe("APIG events and responses follow the spec's roles, not fixed names", () => {
  it("reads a response whose keys a spec renamed", () => {
    const renamed = structuredClone(spec);
    const type = renamed.events.types[renamed.events.apig.response]!;
    for (const f of type.fields) f.name = `my_${f.name}`;
    const ok = readApigResponse(renamed, Buffer.from('{"my_statusCode":202,"my_headers":{"A":"b"},"my_body":"aGk=","my_isBase64Encoded":true}'));
    expect(ok).toEqual({ status: 202, headers: { A: "b" }, body: Buffer.from("hi") });
    expect(readApigResponse(renamed, Buffer.from('{"statusCode":200}'))).toEqual({ problem: expect.stringMatching(/^invalid APIG response: my_statusCode is missing/) });
  });

  it("puts the request's parts in the role fields of a renamed request type", () => {
    const renamed = structuredClone(spec);
    const type = renamed.events.types[renamed.events.apig.request]!;
    for (const f of type.fields) if (f.role) f.name = `x_${f.name}`;
    for (const f of type.fields) if (f.decode?.base64When) f.decode.base64When = `x_${f.decode.base64When}`;
    const context = renamed.events.types[type.fields.find((f) => f.role === "context")!.type]!;
    for (const f of context.fields) if (f.role) f.name = `y_${f.name}`;
    const event = JSON.parse(apigRequestEvent(renamed, { method: "GET", url: "/a?b=c", rawHeaders: ["Host", "h"], body: Buffer.from("hi"), sourceIp: "::1" }, "id-1").toString());
    expect(checkEvent(renamed.events.types, renamed.events.apig.request, event)).toEqual([]);
    expect(event).toMatchObject({
      x_httpMethod: "GET",
      x_path: "/a",
      x_queryStringParameters: { b: "c" },
      x_body: "aGk=",
      x_isBase64Encoded: true,
      x_headers: { host: "h" },
      x_pathParameters: {},
      x_requestContext: { y_requestId: "id-1", y_sourceIp: "::1", y_stage: "RELEASE", y_apiId: "fg-bootgen-emulate" },
    });
  });
});

/** What the default scaffold answers for an APIG request (docs/events-contract.md). */
function expectScaffold(a: Answer, want: { method: string; path: string; query: Record<string, string>; body: string }): void {
  expect(a.status, a.body.toString()).toBe(200);
  expect(a.headers["content-type"]).toBe("application/json");
  expect(JSON.parse(a.body.toString())).toEqual(want);
}

// The fake answers as the scaffold contract says: it checks these tests themselves.
describe.each(["fake", ...LANGS] as const)("the %s scaffold behind emulate --apig --instances 4", (lang) => {
  let emu: Running;
  beforeAll(async () => {
    emu = await startEmulate(["--apig", "--instances", "4", "--dir", lang === "fake" ? fakeFunction() : buildDir("default", lang)]);
  });

  it("GET with a query string", async () => {
    const a = await call(emu.port, "GET", "/hello/world?name=Zo%C3%AB&n=1");
    expectScaffold(a, { method: "GET", path: "/hello/world", query: { name: "Zoë", n: "1" }, body: "" });
  });

  it("POST JSON", async () => {
    const body = '{"id":1,"says":"$HOME `id` \\\\o/ grüße"}';
    const a = await call(emu.port, "POST", "/orders", { body, headers: { "Content-Type": "application/json" } });
    expectScaffold(a, { method: "POST", path: "/orders", query: {}, body });
  });

  it("POST binary", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const a = await call(emu.port, "POST", "/upload?kind=bin", { body: bytes, headers: { "Content-Type": "application/octet-stream" } });
    // Each byte that is not UTF-8 becomes U+FFFD (in 0..255 every such byte stands alone).
    expectScaffold(a, { method: "POST", path: "/upload", query: { kind: "bin" }, body: bytes.toString("utf8") });
  });

  it("under load: 200 requests from 20 concurrent clients, each answered once with its own body", async () => {
    const clients = 20;
    const each = 10;
    const ids = new Set<string>();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        try {
          for (let k = 0; k < each; k++) {
            const body = JSON.stringify({ client: c, k });
            const a = await call(emu.port, "POST", `/load/${c}/${k}?n=${c * each + k}`, { body, agent });
            expectScaffold(a, { method: "POST", path: `/load/${c}/${k}`, query: { n: String(c * each + k) }, body });
            ids.add(a.headers["x-request-id"] as string);
          }
        } finally {
          agent.destroy();
        }
      }),
    );
    expect(ids.size).toBe(clients * each);
    await waitFor(() => emu.stderr().split("\n").filter((l) => / \/load\/\d+\/\d+\?n=\d+ 200 /.test(l)).length >= clients * each, () => emu.stderr());
    const logged = emu.stderr().split("\n").filter((l) => / \/load\/\d+\/\d+\?n=\d+ /.test(l));
    expect(logged).toHaveLength(clients * each);
    expect(new Set(logged.map((l) => l.split(" ").pop())).size).toBe(clients * each);
  });

  it("stops on SIGTERM, exit 0, leaving no process behind", async () => {
    const pids = emu.pids();
    expect(pids).toHaveLength(4);
    expect(await emu.stop()).toBe(0);
    for (const pid of pids) {
      expect(alive(pid)).toBe(false);
      expect(groupMembers(pid)).toEqual([]);
    }
  });
});
