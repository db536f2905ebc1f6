import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request, type IncomingHttpHeaders } from "node:http";
import { basename, join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { RuntimeApi } from "../../src/emulator/api.js";
import { emulate, EXIT_INVOCATION_FAILED, type Io } from "../../src/emulator/emulate.js";
import { Emulator } from "../../src/emulator/emulator.js";
import { groupMembers, wholeCharacters } from "../../src/emulator/instance.js";
import { Pool } from "../../src/emulator/pool.js";
import { normalize } from "../../src/emulator/transcript.js";
import { UserError } from "../../src/errors.js";
import { loadSpec } from "../../src/spec.js";
import { ROOT, runCli } from "../support/outputs.js";
import { WORK, removeWork } from "./harness.js";

/** The emulator's own behaviour, against a tiny fake runtime (test/conformance/fake-bootstrap.mjs). */
const { spec } = loadSpec();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});
afterAll(removeWork);

let fakeCount = 0;
function fakeFunction(): string {
  const dir = join(WORK, `fake-${++fakeCount}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(ROOT, "test/conformance/fake-bootstrap.mjs"), join(dir, "fake.mjs"));
  writeFileSync(join(dir, "bootstrap"), '#!/bin/sh\nexec node "$(dirname "$0")/fake.mjs"\n');
  chmodSync(join(dir, "bootstrap"), 0o755);
  return dir;
}

function emulator(extra: Partial<ConstructorParameters<typeof Emulator>[0]> & { env?: Record<string, string> } = {}) {
  const dir = fakeFunction();
  let err = "";
  const emu = new Emulator({
    spec,
    dir,
    command: [join(dir, "bootstrap")],
    record: true,
    stopGraceMs: 1000,
    ...extra,
    env: { PATH: process.env.PATH ?? "", ...extra.env },
    onOutput: (_s, c) => (err += c.toString()),
  });
  cleanup.push(() => emu.stop());
  return { emu, dir, log: () => err };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function http(addr: string, method: string, path: string, body?: string): Promise<Answer> {
  const [host, port] = addr.split(":");
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method, path, agent: false }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("runtime API: protocol mistakes get a clear 4xx", () => {
  it("rejects a second concurrent GET, a POST for an unknown or answered ID, and unknown paths", async () => {
    const api = new RuntimeApi(spec, {}, { record: true });
    const addr = await api.listen();
    cleanup.push(() => api.close());
    const first = http(addr, "GET", spec.endpoints.next.path);
    await new Promise((r) => setTimeout(r, 50));
    const second = await http(addr, "GET", spec.endpoints.next.path);
    expect(second.status).toBe(409);
    expect(second.body).toContain("already waiting");

    const result = api.invoke('{"a":1}');
    const got = await first;
    const id = got.headers["x-cff-request-id"] as string;
    expect(got.body).toBe('{"a":1}');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const unknown = await http(addr, "POST", "/v1/runtime/invocation/response/not-an-id", "x");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain("unknown");
    expect((await http(addr, "POST", `/v1/runtime/invocation/response/${id}`, "done")).status).toBe(202);
    expect((await result).body.toString()).toBe("done");
    const again = await http(addr, "POST", `/v1/runtime/invocation/error/${id}`, "{}");
    expect(again.status).toBe(409);
    expect(again.body).toContain("already answered");
    expect((await http(addr, "GET", "/nope")).status).toBe(404);
    expect(api.rejected).toBe(4);
    expect(normalize(api.transcript, spec).map((e) => `${e.type} ${e.status ?? ""}`)).toEqual([
      "get 409",
      "get 200",
      "post 404",
      "post 202",
      "post 409",
      "other 404",
    ]);
  });

  it("injects faults: GET status, reset and missing ID; POST status keeps the invocation open", async () => {
    const api = new RuntimeApi(spec, {}, {
      getFaults: { 1: { kind: "status", status: 503 }, 2: { kind: "reset" }, 3: { kind: "noRequestId" } },
      postFaults: { 1: { kind: "status", status: 500 } },
    });
    const addr = await api.listen();
    cleanup.push(() => api.close());
    expect((await http(addr, "GET", spec.endpoints.next.path)).status).toBe(503);
    await expect(http(addr, "GET", spec.endpoints.next.path)).rejects.toThrow(/ECONNRESET|socket hang up/);
    const noId = await http(addr, "GET", spec.endpoints.next.path);
    expect(noId.status).toBe(200);
    expect(noId.headers["x-cff-request-id"]).toBeUndefined();

    const result = api.invoke("{}");
    const id = (await http(addr, "GET", spec.endpoints.next.path)).headers["x-cff-request-id"] as string;
    expect((await http(addr, "POST", `/v1/runtime/invocation/response/${id}`, "first")).status).toBe(500);
    // The API did not take the answer: a retry is accepted.
    expect((await http(addr, "POST", `/v1/runtime/invocation/response/${id}`, "retry")).status).toBe(202);
    const r = await result;
    expect(r.kind).toBe("response");
    expect(r.body.toString()).toBe("retry");
    expect(r.postStatus).toBe(500);
  });

  it("hands out a fixed request ID as UTF-8 bytes and takes it back only percent-encoded", async () => {
    const api = new RuntimeApi(spec, {}, { record: true });
    const addr = await api.listen();
    cleanup.push(() => api.close());
    const id = "a/b c?d#e%f ü😀";
    const result = api.invoke("{}", undefined, id);
    const got = await http(addr, "GET", spec.endpoints.next.path);
    // node:http hands header bytes over as latin1 characters.
    expect(Buffer.from(got.headers["x-cff-request-id"] as string, "latin1").toString("utf8")).toBe(id);
    const raw = await http(addr, "POST", "/v1/runtime/invocation/response/a/b", "x");
    expect(raw.status).toBe(400);
    expect(raw.body).toContain("not percent-encoded");
    expect((await http(addr, "POST", `/v1/runtime/invocation/response/${encodeURIComponent(id)}`, "done")).status).toBe(202);
    const r = await result;
    expect({ kind: r.kind, id: r.requestId, body: r.body.toString() }).toEqual({ kind: "response", id, body: "done" });
    expect((await http(addr, "POST", `/v1/runtime/invocation/response/${encodeURIComponent(id)}`, "again")).status, "answered already").toBe(409);
    expect(() => api.invoke("{}", undefined, id)).not.toThrow();
  });

  it("reports an invocation the runtime skipped (next GET without an answer) as unanswered", async () => {
    const api = new RuntimeApi(spec);
    const addr = await api.listen();
    cleanup.push(() => api.close());
    const result = api.invoke("{}");
    await http(addr, "GET", spec.endpoints.next.path);
    void http(addr, "GET", spec.endpoints.next.path).catch(() => {});
    const r = await result;
    expect(r.kind).toBe("unanswered");
    expect(r.reason).toContain("without answering");
  });

  it("keeps an event queued for the next process when the waiting GET was a dead process's", async () => {
    const api = new RuntimeApi(spec);
    const addr = await api.listen();
    cleanup.push(() => api.close());
    const stale = http(addr, "GET", spec.endpoints.next.path).then(
      () => "answered",
      () => "dropped",
    );
    while (api.gets === 0) await new Promise((r) => setTimeout(r, 5));
    // The emulator calls this when the process exits, before the socket may show the close.
    api.dropWaiting();
    const result = api.invoke('{"a":1}');
    expect(await stale).toBe("dropped");
    const next = await http(addr, "GET", spec.endpoints.next.path);
    expect(next.body).toBe('{"a":1}');
    await http(addr, "POST", `/v1/runtime/invocation/response/${String(next.headers["x-cff-request-id"])}`, "ok");
    expect((await result).kind).toBe("response");
  });
});

describe("emulator: process supervision", () => {
  it("hands output on in whole UTF-8 characters", () => {
    const text = Buffer.from("aü€😀");
    // Every cut of the bytes: the whole characters before the cut, the rest held back.
    const cuts = Array.from({ length: text.length + 1 }, (_, n) => wholeCharacters(text.subarray(0, n)));
    expect(cuts).toEqual([0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10]);
    expect(wholeCharacters(Buffer.from([0xff, 0x80]))).toBe(2);
  });

  it("enforces the timeout: reports it, kills the bootstrap and restarts it", async () => {
    const { emu } = emulator({ timeoutMs: 500 });
    await emu.start();
    const pid = emu.instance!.pid;
    const r = await emu.invoke('{"sleep":5000}');
    expect(r.kind).toBe("timeout");
    expect(r.ms).toBeGreaterThanOrEqual(450);
    expect(r.ms).toBeLessThan(2500);
    const next = await emu.invoke('{"b":2}');
    expect(next.kind).toBe("response");
    expect(emu.instance!.pid).not.toBe(pid);
    expect(normalize(emu.api.transcript, spec).map((e) => e.type)).toEqual(["start", "get", "timeout", "kill", "exit", "start", "get", "post"]);
  });

  it("restarts a bootstrap that exits, and reports the invocation it dropped", async () => {
    const { emu } = emulator();
    await emu.start();
    const r = await emu.invoke('{"exit":7}');
    expect(r.kind).toBe("crash");
    expect(r.reason).toContain("exited with status 7");
    expect((await emu.invoke('{"b":2}')).kind).toBe("response");
  });

  it("gives up on a bootstrap that keeps exiting at start, failing what is queued", async () => {
    const { emu } = emulator({ env: { FAKE_EXIT_AT_START: "1" } });
    await emu.start();
    const t0 = performance.now();
    const r = await emu.invoke("{}");
    expect(r.kind).toBe("crash");
    expect(r.reason).toContain("gave up");
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect((await emu.invoke("{}")).kind).toBe("crash");
  });

  it("stops with SIGTERM, then SIGKILL after the grace period, leaving no process", async () => {
    const { emu, log } = emulator({ env: { FAKE_IGNORE_TERM: "1" }, stopGraceMs: 400 });
    await emu.start();
    expect((await emu.invoke('{"a":1}')).kind).toBe("response");
    const pid = emu.instance!.pid!;
    const t0 = performance.now();
    const exit = await emu.stop();
    const ms = performance.now() - t0;
    expect(exit?.signal).toBe("SIGKILL");
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(ms).toBeLessThan(3000);
    expect(log()).toContain("ignoring SIGTERM");
    expect(groupMembers(pid)).toEqual([]);
  });

  it("starts the API late when asked (fault: API down at start)", async () => {
    const { emu } = emulator({ listenDelayMs: 300 });
    const t0 = performance.now();
    await emu.start();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    expect((await emu.invoke("{}")).kind).toBe("response");
    expect(normalize(emu.api.transcript, spec).map((e) => e.type).slice(0, 2)).toEqual(["start", "listen"]);
  });
});

describe("pool: several instances", () => {
  function pool(instances: number, maxQueue: number) {
    const dir = fakeFunction();
    const p = new Pool({ spec, dir, command: [join(dir, "bootstrap")], env: { PATH: process.env.PATH ?? "" }, instances, maxQueue, stopGraceMs: 1000 });
    cleanup.push(() => p.stop());
    return p;
  }

  it("hands each invocation to a free instance, queues the rest up to the bound, refuses beyond it", async () => {
    const p = pool(2, 1);
    await p.start();
    const running = [p.tryInvoke('{"sleep":200}'), p.tryInvoke('{"sleep":200}')];
    const queued = p.tryInvoke('{"n":3}');
    expect(p.queued).toBe(1);
    expect(p.tryInvoke('{"n":4}')).toBeUndefined();
    const results = await Promise.all([...running, queued]);
    expect(results.map((r) => [r!.kind, r!.body.toString()])).toEqual([["response", "slept"], ["response", "slept"], ["response", '{"n":3}']]);
    // Each API took one sleeper: the two ran side by side.
    expect(p.emulators.every((e) => e.api.posts >= 1)).toBe(true);
  });

  it("a crash fails only the invocation it was running; the queue goes on", async () => {
    const p = pool(2, 10);
    await p.start();
    const all = ['{"exit":3}', '{"a":1}', '{"a":2}', '{"a":3}', '{"a":4}'].map((e) => p.tryInvoke(e)!);
    const results = await Promise.all(all);
    expect(results.map((r) => r.kind)).toEqual(["crash", "response", "response", "response", "response"]);
    expect(results[0]!.reason).toContain("exited with status 3");
  });

  it("restartAll restarts a free instance at once and a busy one after its invocation", async () => {
    const p = pool(2, 10);
    await p.start();
    const before = p.emulators.map((e) => e.instance!.pid);
    const busy = p.tryInvoke('{"sleep":300}')!;
    p.restartAll();
    expect((await busy).kind).toBe("response");
    const after = await Promise.all([p.tryInvoke('{"x":1}')!, p.tryInvoke('{"x":2}')!]);
    expect(after.map((r) => r.kind)).toEqual(["response", "response"]);
    // Both answers may come from the instance restarted first while the other is still stopping.
    const pids = () => p.emulators.map((e) => e.instance!.pid);
    for (const until = performance.now() + 5000; pids().some((pid, i) => pid === before[i]) && performance.now() < until; ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(pids()[0]).not.toBe(before[0]);
    expect(pids()[1]).not.toBe(before[1]);
  });
});

/** An Io that captures output and lets a test send the stop signal. */
function testIo(stdin = "") {
  const io = { out: "", err: "", stop: () => {} };
  const impl: Io = {
    out: (t) => void (io.out += t),
    err: (t) => void (io.err += t),
    stdin: () => Buffer.from(stdin),
    onSignal: (h) => {
      io.stop = h;
      return () => {};
    },
  };
  return { io, impl };
}

describe("fg-bootgen emulate", () => {
  it("feeds the events, prints each result, writes a transcript, and exits 4 when one failed", async () => {
    const dir = fakeFunction();
    writeFileSync(join(dir, "ok.json"), '{"hello":"wörld"}');
    writeFileSync(join(dir, "bad.json"), '{"fail":"it went wrong"}');
    const transcript = join(dir, "t.json");
    const { io, impl } = testIo();
    const run = emulate(
      { spec, dir, events: [join(dir, "ok.json"), join(dir, "bad.json")], serve: false, port: 0, env: [], header: [], transcript },
      impl,
    );
    const err = await run.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(EXIT_INVOCATION_FAILED);
    expect((err as UserError).message).toBe("1 of 2 invocations failed");
    expect(io.out).toMatch(/^== .*ok\.json: response, [\d.]+ ms, 18 bytes\n\{"hello":"wörld"\}\n/);
    expect(io.out).toMatch(/== .*bad\.json: error Fake\.Error, [\d.]+ ms\n\{"errorType":"Fake\.Error","errorMessage":"it went wrong"\}\n/);
    const saved = JSON.parse(readFileSync(transcript, "utf8")) as { entries: { type: string }[] };
    expect(saved.entries.map((e) => e.type)).toEqual(["start", "get", "post", "get", "post", "exit"]);
  });

  it("sets every spec variable (placeholders, env file, --env; later wins) and --header values", async () => {
    const dir = fakeFunction();
    const envFile = join(dir, "fn.env");
    writeFileSync(envFile, "# comment\nexport RUNTIME_MEMORY=512\nRUNTIME_USERDATA='{\"a\":1}'\nRUNTIME_CPU=1\n");
    const events = ["RUNTIME_FUNC_NAME", "RUNTIME_MEMORY", "RUNTIME_USERDATA", "RUNTIME_CPU", "RUNTIME_TIMEOUT", "RUNTIME_CODE_ROOT"].map((name, i) => {
      const file = join(dir, `e${i}.json`);
      writeFileSync(file, JSON.stringify({ env: name }));
      return file;
    });
    const headerEvent = join(dir, "h.json");
    writeFileSync(headerEvent, '{"header":"x-cff-access-key"}');
    const { io, impl } = testIo();
    await emulate(
      { spec, dir, events: [...events, headerEvent], serve: false, port: 0, env: ["RUNTIME_CPU=2.5"], envFile, header: ["x-cff-access-key=AK1"] },
      impl,
    );
    const bodies = io.out.split("\n").filter((l, i, all) => all[i - 1]?.startsWith("== "));
    expect(bodies).toEqual([basename(dir), "512", '{"a":1}', "2.5", "3", dir, "AK1"]);
    expect(io.err).toContain("function timeout 3 s (RUNTIME_TIMEOUT)");
  });

  it("--serve answers POST /invoke with the function's response until stopped", async () => {
    const dir = fakeFunction();
    const { io, impl } = testIo();
    const run = emulate({ spec, dir, events: [], serve: true, port: 0, env: [], header: [] }, impl);
    let port = "";
    for (let i = 0; i < 200 && !port; i++) {
      await new Promise((r) => setTimeout(r, 25));
      port = /curl -d @event\.json http:\/\/127\.0\.0\.1:(\d+)\/invoke/.exec(io.err)?.[1] ?? "";
    }
    expect(port, io.err).not.toBe("");
    const ok = await http(`127.0.0.1:${port}`, "POST", "/invoke", '{"x":"y"}');
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('{"x":"y"}');
    expect(ok.headers["x-fg-result"]).toBe("response");
    const failed = await http(`127.0.0.1:${port}`, "POST", "/invoke", '{"fail":"no"}');
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({ errorType: "Fake.Error", errorMessage: "no" });
    expect((await http(`127.0.0.1:${port}`, "GET", "/")).status).toBe(404);
    io.stop();
    await run;
    expect(io.out).toContain("response");
  });

  it("explains what is wrong with --dir, --event, --env and --header", async () => {
    const dir = fakeFunction();
    const { impl } = testIo();
    const base = { spec, dir, events: [join(dir, "missing.json")], serve: false, port: 0, env: [], header: [] };
    await expect(emulate({ ...base, dir: join(dir, "nope") }, impl)).rejects.toThrow(/not a folder/);
    await expect(emulate(base, impl)).rejects.toThrow(/--event .*missing\.json: cannot read it \(ENOENT\)/);
    await expect(emulate({ ...base, env: ["NOEQUALS"] }, impl)).rejects.toThrow(/--env NOEQUALS: expected NAME=VALUE/);
    await expect(emulate({ ...base, header: ["X-Nope=1"] }, impl)).rejects.toThrow(/not a header of the spec/);
    await expect(emulate({ ...base, events: [] }, impl)).rejects.toThrow(/nothing to do/);
    chmodSync(join(dir, "bootstrap"), 0o644);
    await expect(emulate(base, impl)).rejects.toThrow(/is not executable/);
  });
});

describe("fg-bootgen emulate, the real CLI", () => {
  it("exits 4 when an invocation failed, 0 when none did, 2 on a usage error; events from --event, --event=- and arguments", () => {
    const dir = fakeFunction();
    writeFileSync(join(dir, "ok.json"), '{"ok":true}');
    writeFileSync(join(dir, "bad.json"), '{"fail":"nope"}');
    const failed = runCli(["emulate", "--dir", dir, "--shell", "sh", "--event", join(dir, "ok.json"), "--event", join(dir, "bad.json")]);
    expect(failed.code, failed.stderr).toBe(EXIT_INVOCATION_FAILED);
    expect(failed.stdout).toContain('{"ok":true}');
    expect(failed.stdout).toContain("error Fake.Error");
    const fine = runCli(["emulate", "--dir", dir, "--event=-"], { input: '{"from":"stdin"}' });
    expect(fine.code, fine.stderr).toBe(0);
    expect(fine.stdout).toMatch(/^== -: response, [\d.]+ ms, 16 bytes\n\{"from":"stdin"\}\n$/);
    const positional = runCli(["emulate", "--dir", dir, join(dir, "ok.json")]);
    expect(positional.code, positional.stderr).toBe(0);
    expect(positional.stdout).toContain('{"ok":true}');
    const usage = runCli(["emulate", "--dir", join(dir, "nope")]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("not a folder");
  });
});

describe("transcript normalisation", () => {
  it("names request IDs in order, replaces error messages, keeps key order, hashes long bodies", () => {
    const long = "x".repeat(600);
    const out = normalize(
      [
        { t: 1, type: "get", status: 200, requestId: "aaa", body: "{}", bytes: 2 },
        { t: 2, type: "post", kind: "error", requestId: "aaa", status: 202, body: '{"errorType":"T","errorMessage":"boom at 0x1234"}' },
        { t: 3, type: "get", status: 200, requestId: "bbb", body: long, bytes: 600 },
        { t: 4, type: "post", kind: "response", requestId: "bbb", status: 202, body: "id aaa then bbb", bytes: 15 },
        { t: 5, type: "post", kind: "error", requestId: "bbb", status: 409, body: '{ "errorMessage": "", "errorType": "T" }' },
      ],
      spec,
    );
    expect(out[1]).toEqual({ type: "post", kind: "error", requestId: "<id1>", status: 202, body: { json: { errorType: "T", errorMessage: "<message>" }, compact: true } });
    expect(out[2]!.body).toMatch(/^<600 bytes, sha256 [0-9a-f]{16}>$/);
    expect(out[3]!.body).toBe("id <id1> then <id2>");
    expect(out[4]!.body).toEqual({ json: { errorMessage: "", errorType: "T" }, compact: false });
  });
});
