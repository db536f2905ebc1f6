// The measurements: batches of invocations of a running loop (Session), one cold start, and the
// generator's start-up. Every loop gets its own RuntimeApi on 127.0.0.1 and its own process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cpuMs, groupRss, sleep, start, stop } from "./proc.mjs";

/** The small event of every invocation. */
export const EVENT = Buffer.from('{"bench":true,"id":"0123456789","items":[1,2,3]}');

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
  }

  /** Sum of VmRSS over the loop's process group, and how many processes are in it. */
  rss() {
    return groupRss(this.proc.pid);
  }

  /**
   * Invokes `n` events; every one must be answered with a response. Returns the batch's wall time,
   * each invocation's latency (event handed out → answer received), and the CPU time the API (this
   * process) and the loop (its process, threads and waited-for children) spent meanwhile.
   */
  async batch(n) {
    const cpu0 = cpuMs(this.proc.pid);
    const api0 = process.cpuUsage();
    const t0 = performance.now();
    const all = [];
    for (let i = 0; i < n; i++) all.push(this.api.invoke(EVENT));
    const results = await guard(Promise.all(all), this.proc, 120_000, "a batch");
    const ms = performance.now() - t0;
    const apiCpu = process.cpuUsage(api0);
    const failed = results.filter((r) => r.kind !== "response");
    if (failed.length > 0)
      throw new Error(`${failed.length} of ${n} invocations got no response (first: ${failed[0].kind} ${failed[0].body.toString().slice(0, 120)})`);
    return {
      n,
      ms,
      perSecond: (n / ms) * 1000,
      latencyMs: results.map((r) => r.ms),
      apiCpuMs: (apiCpu.user + apiCpu.system) / 1000,
      loopCpuMs: cpuMs(this.proc.pid) - cpu0,
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
  const t0 = performance.now();
  await start(["/bin/true"], { cwd: "/", env: {} }).exited;
  return performance.now() - t0;
}

// A node start pays for NODE_EXTRA_CA_CERTS (this machine sets it: about 80 ms of reading
// certificates), which would hide the generator's own cost in both figures; neither run needs it.
const { NODE_EXTRA_CA_CERTS: _ca, ...CLEAN_ENV } = process.env;

/** Wall time of one process run to completion, in ms (it must exit 0). */
function timed(argv, cwd) {
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env: CLEAN_ENV, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed: ${r.stderr.toString().trim().split("\n")[0]}`);
  return ms;
}

/**
 * The generator: `node dist/cli.js --lang ... --out <fresh folder>` against a bare `node -e ''`,
 * alternated `runs` times. Returns both lists of milliseconds.
 */
export function generatorRuns(cli, langs, runs, work) {
  const gen = [];
  const bare = [];
  const langArgs = langs.flatMap((l) => ["--lang", l]);
  for (let i = 0; i < runs; i++) {
    bare.push(timed([process.execPath, "-e", ""], work));
    const out = mkdtempSync(join(work, "gen-"));
    gen.push(timed([process.execPath, cli, ...langArgs, "--out", out], work));
    rmSync(out, { recursive: true, force: true });
  }
  return { gen, bare };
}
