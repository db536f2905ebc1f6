// The measurements: batches of invocations of a running loop (Session), one cold start, and the
// generator's start-up. Every loop gets its own RuntimeApi on 127.0.0.1 and its own process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cpuMs, groupRss, sleep, start, stop } from "./proc.mjs";

/** The small event of every invocation. */
export const EVENT = Buffer.from('{"bench":true,"id":"0123456789","items":[1,2,3]}');

/**
 * An API Gateway request of exactly `size` bytes (1 KiB): spec/samples/apig.json's shape, a
 * base64 JSON body, padded to size with a request header.
 */
export function apigEvent(size = 1024) {
  const body = Buffer.from(JSON.stringify({ item: "grüner Tee", qty: 2, note: "x".repeat(300) })).toString("base64");
  const event = {
    isBase64Encoded: true,
    httpMethod: "POST",
    path: "/orders/42",
    body,
    pathParameters: { id: "42" },
    requestContext: { apiId: "bc1dcffd6ca64f47a0e1bd1a6e8bb2f4", requestId: "11cdcdcf33f149438a6e6f6bd1e47a6b", stage: "RELEASE", sourceIp: "203.0.113.7" },
    headers: { accept: "application/json", "content-type": "application/json", host: "orders.example.com", "user-agent": "curl/8.5.0", "x-pad": "" },
    queryStringParameters: { verbose: "true", lang: "de" },
    user_data: '{"tenant":"acme"}',
  };
  const short = size - Buffer.byteLength(JSON.stringify(event));
  if (short < 0) throw new Error(`the APIG event is over ${size} bytes without padding`);
  event.headers["x-pad"] = "p".repeat(short);
  return Buffer.from(JSON.stringify(event));
}
export const APIG_EVENT = apigEvent();

/** Rejects when the process exits or `ms` pass before `promise` settles. */
async function guard(promise, proc, ms, what) {
  let timer;
  try {
    return await Promise.race([
      promise,
      proc.exited.then(({ code, signal }) => {
        throw new Error(`exited (${signal ?? `code ${code}`}) during ${what}`);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no progress within ${ms / 1000} s during ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitForFirstGet(api) {
  while (api.gets === 0) await sleep(1);
}

/**
 * One loop kept running against its own runtime API for the whole throughput phase, so that batches
 * of different loops can alternate: `batch(n)` invokes n events back to back (all queued at once)
 * and measures them; between batches the loop idles in its next-invocation GET.
 */
export class Session {
  static async start(ctx, loop) {
    const api = new ctx.RuntimeApi(ctx.spec);
    const addr = await api.listen();
    const proc = start(loop.argv, { cwd: loop.dir, env: ctx.env(loop, addr) });
    const session = new Session(api, proc);
    try {
      await guard(waitForFirstGet(api), proc, 10_000, "start");
    } catch (err) {
      await session.stop();
      throw err;
    }
    return session;
  }

  constructor(api, proc) {
    this.api = api;
    this.proc = proc;
    /** Invocations answered so far (warm-up included). */
    this.invocations = 0;
  }

  /** Sum of VmRSS over the loop's process group, and how many processes are in it. */
  rss() {
    return groupRss(this.proc.pid);
  }

  /** `samples` readings of rss(), `everyMs` apart, while the loop idles: { kib: [...], procs }. */
  async idleRss(samples = 5, everyMs = 40) {
    const kib = [];
    let procs = 0;
    for (let i = 0; i < samples; i++) {
      if (i > 0) await sleep(everyMs);
      const r = this.rss();
      kib.push(r.kib);
      procs = Math.max(procs, r.procs);
    }
    return { kib, procs, invocations: this.invocations };
  }

  /**
   * Invokes `n` events; every one must be answered with a response. Returns the batch's wall time,
   * each invocation's latency (event handed out → answer received), and the CPU time the API (this
   * process) and the loop (its process, threads and waited-for children) spent meanwhile, and the
   * body of the first answer.
   */
  async batch(n, event = EVENT) {
    const cpu0 = cpuMs(this.proc.pid);
    const api0 = process.cpuUsage();
    const t0 = performance.now();
    const all = [];
    for (let i = 0; i < n; i++) all.push(this.api.invoke(event));
    const results = await guard(Promise.all(all), this.proc, 120_000, "a batch");
    const ms = performance.now() - t0;
    const apiCpu = process.cpuUsage(api0);
    const failed = results.filter((r) => r.kind !== "response");
    if (failed.length > 0)
      throw new Error(`${failed.length} of ${n} invocations got no response (first: ${failed[0].kind} ${failed[0].body.toString().slice(0, 120)})`);
    this.invocations += n;
    return {
      n,
      ms,
      perSecond: (n / ms) * 1000,
      latencyMs: results.map((r) => r.ms),
      apiCpuMs: (apiCpu.user + apiCpu.system) / 1000,
      loopCpuMs: cpuMs(this.proc.pid) - cpu0,
      firstBody: results[0]?.body,
    };
  }

  async stop() {
    await stop(this.proc);
    await this.api.close();
  }
}

/**
 * One cold start: an event is queued before the process is spawned, so the API hands it out the
 * moment the first GET arrives (onDispatch). Returns milliseconds from spawn() to that moment.
 */
export async function coldStart(ctx, loop) {
  const api = new ctx.RuntimeApi(ctx.spec);
  const addr = await api.listen();
  let firstGet;
  const got = new Promise((resolve) => {
    api.onDispatch = () => resolve((firstGet = performance.now()));
  });
  void api.invoke(EVENT);
  const env = ctx.env(loop, addr);
  const t0 = performance.now();
  const proc = start(loop.argv, { cwd: loop.dir, env });
  try {
    await guard(got, proc, 10_000, "start");
    return firstGet - t0;
  } finally {
    await stop(proc);
    await api.close();
  }
}

/** The floor under every cold start: milliseconds from spawning /bin/true to its exit. */
export async function spawnFloor() {
  return bareStart(["/bin/true"], {});
}

/**
 * Milliseconds from spawning argv (started like a bootstrap: own process group, output discarded)
 * to its exit, which must be with status 0: `/bin/true`, `python3 -S -c pass`, `node -e 0`.
 */
export async function bareStart(argv, env) {
  const t0 = performance.now();
  const { code, signal } = await start(argv, { cwd: "/", env }).exited;
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`${argv.join(" ")} exited with ${signal ?? code}`);
  return ms;
}

// A node start pays for NODE_EXTRA_CA_CERTS (this machine sets it: about 80 ms of reading
// certificates), which would hide the generator's own cost in both figures; neither run needs it.
const { NODE_EXTRA_CA_CERTS: _ca, ...CLEAN_ENV } = process.env;

/** Wall time of one process run to completion, in ms (it must exit 0). */
function timed(argv, cwd) {
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env: CLEAN_ENV, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    // Run it again with its output kept, for the message (stdout is not kept while timing).
    const again = spawnSync(argv[0], argv.slice(1), { cwd, env: CLEAN_ENV, encoding: "utf8" });
    const text = `${again.stderr ?? ""}\n${again.stdout ?? ""}`.trim().split("\n").slice(0, 3).join(" | ");
    throw new Error(`${argv.slice(1).join(" ")} exited with ${r.status ?? r.signal}: ${text.slice(0, 300)}`);
  }
  return ms;
}

/**
 * The CLI against a bare `node -e 0`, taking turns `runs` times: `gen`, one run of
 * `<cli> --lang ... --out <fresh folder>`; `help`, `<cli> --help`; `check`, `<cli> --lang ... --out
 * <folder> --check` of an up-to-date output of the same languages (generated once first; --check
 * exits 0 only when nothing differs); `bare`, `node -e 0`. The order within a turn rotates. Returns
 * the four lists of milliseconds, index i of each from turn i, and how many times the checked folder
 * had to be generated again (a --check that found it out of date).
 */
export function cliRuns(cli, langs, runs, work) {
  const langArgs = langs.flatMap((l) => ["--lang", l]);
  const checked = mkdtempSync(join(work, "check-"));
  const generateChecked = () => timed([process.execPath, cli, ...langArgs, "--out", checked], work);
  generateChecked();
  const checkArgv = [process.execPath, cli, ...langArgs, "--out", checked, "--check"];
  let regenerated = 0;
  const kinds = {
    bare: () => timed([process.execPath, "-e", "0"], work),
    gen: () => {
      const out = mkdtempSync(join(work, "gen-"));
      try {
        return timed([process.execPath, cli, ...langArgs, "--out", out], work);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    help: () => timed([process.execPath, cli, "--help"], work),
    check: () => {
      try {
        return timed(checkArgv, work);
      } catch {
        // Out of date: the CLI was rebuilt meanwhile (others work in the same checkout). Bring the
        // folder up to date once and time that check; a second failure is the CLI's.
        generateChecked();
        regenerated++;
        return timed(checkArgv, work);
      }
    },
  };
  const names = Object.keys(kinds);
  const out = Object.fromEntries(names.map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < names.length; j++) {
      const k = names[(i + j) % names.length];
      out[k].push(kinds[k]());
    }
  }
  rmSync(checked, { recursive: true, force: true });
  return { ...out, regenerated };
}
