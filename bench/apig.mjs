// Requests per second through `fg-bootgen emulate --apig` (the real CLI, real HTTP on loopback),
// per language at 1 and at N instances: what a user's local API Gateway serves. Bounded in
// requests and in time. Run alone with `npm run bench -- --only apig`.
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { sleep } from "./proc.mjs";

/** One GET through the gateway; resolves with its status (0 when the connection failed). */
function get(port, path, agent) {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
    req.end();
  });
}

/** Starts `emulate --apig`; resolves with { port, stop } once it listens. */
async function startGateway(cli, loop, instances, env) {
  const shell = loop.argv.length > 1 ? ["--shell", loop.argv[0]] : [];
  const args = [cli, "emulate", "--apig", "--port", "0", "--instances", String(instances), "--max-queue", "10000", "--dir", loop.dir, ...shell];
  const child = spawn(process.execPath, args, { cwd: loop.dir, env, stdio: ["ignore", "ignore", "pipe"], detached: true });
  let err = "";
  const listening = () => /API Gateway listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
  // Only the start-up lines are kept: the access log of thousands of requests is not.
  const onData = (c) => {
    err += c.toString();
    if (listening()) child.stderr.off("data", onData).resume();
  };
  child.stderr.on("data", onData);
  // "error": it could not be spawned at all (e.g. its folder is gone).
  const exited = new Promise((r) => {
    child.once("exit", r);
    child.once("error", (e) => {
      err += `\n${e.message}`;
      r();
    });
  });
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 1000 && !listening() && !gone; i++) await sleep(10);
  if (!listening()) {
    child.kill("SIGKILL");
    throw new Error(`emulate --apig did not start: ${err.trim().split("\n").pop()}`);
  }
  return {
    port: Number(listening()[1]),
    stop: async () => {
      if (!gone) process.kill(-child.pid, "SIGTERM");
      const t = setTimeout(() => gone || process.kill(-child.pid, "SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * `n` GET requests (after a short warm-up) from `clients` keep-alive clients, or as many as fit
 * in `maxMs`. Returns { instances, requests, ms, perSecond, statuses }.
 */
export async function apigRun({ cli, loop, instances, clients, n, maxMs, env }) {
  const gw = await startGateway(cli, loop, instances, env);
  try {
    const agents = Array.from({ length: clients }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    // Warm-up: every instance has answered once, every connection is open.
    await Promise.all(agents.map((agent, c) => get(gw.port, `/warm?c=${c}`, agent)));
    let sent = 0;
    const statuses = {};
    const t0 = performance.now();
    const deadline = t0 + maxMs;
    await Promise.all(
      agents.map(async (agent) => {
        while (sent < n && performance.now() < deadline) {
          const i = sent++;
          const status = await get(gw.port, `/bench/${i}?i=${i}`, agent);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }),
    );
    const ms = performance.now() - t0;
    for (const a of agents) a.destroy();
    return { instances, requests: sent, ms, perSecond: (sent / ms) * 1000, statuses };
  } finally {
    await gw.stop();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Every language at 1 and at `instances` instances, `rounds` times, the two counts taking turns
 * (the load of a shared machine drifts within seconds: figures taken close together compare).
 * Per count: the median req/s over the rounds, its range, the requests and statuses of all rounds.
 */
export async function apigThroughput({ cli, loops, langs, instances, clients, n, shellN, maxMs, rounds, env, log }) {
  const out = {};
  for (const lang of langs) {
    const loop = loops[lang];
    if (!loop || loop.error) {
      out[lang] = { error: loop?.error ?? "not built" };
      continue;
    }
    const runs = { 1: [], [instances]: [] };
    const errors = {};
    for (let round = 1; round <= rounds; round++) {
      for (const k of [1, instances]) {
        try {
          const r = await apigRun({ cli, loop, instances: k, clients, n: lang === "shell" ? shellN : n, maxMs, env: env(loop) });
          runs[k].push(r);
          log(
            `apig ${lang} ×${k} round ${round}/${rounds}: ${r.perSecond.toFixed(0)} req/s over ${r.requests} requests (${Object.entries(r.statuses)
              .map(([s, c]) => `${c}× ${s}`)
              .join(", ")})`,
          );
        } catch (err) {
          errors[k] = err.message;
          log(`apig ${lang} ×${k}: ${err.message}`);
        }
      }
    }
    out[lang] = {};
    for (const k of [1, instances]) {
      const rs = runs[k];
      if (rs.length === 0) {
        out[lang][k] = { error: errors[k] ?? "no run" };
        continue;
      }
      const statuses = {};
      for (const r of rs) for (const [st, c] of Object.entries(r.statuses)) statuses[st] = (statuses[st] ?? 0) + c;
      const rates = rs.map((r) => r.perSecond);
      out[lang][k] = {
        instances: k,
        perSecond: median(rates),
        min: Math.min(...rates),
        max: Math.max(...rates),
        requests: rs.reduce((a, r) => a + r.requests, 0),
        statuses,
        runs: rs,
      };
    }
  }
  return out;
}

/** The table: median req/s at 1 and N instances (range over the rounds), the speed-up, and the statuses seen. */
export function apigTable(results, instances) {
  const rows = [["lang", "req/s ×1", "range", `req/s ×${instances}`, "range", `×${instances}/×1`, "requests", "statuses"]];
  for (const [lang, r] of Object.entries(results)) {
    if (r.error) {
      rows.push([lang, "", "", "", "", "", "", r.error]);
      continue;
    }
    const one = r[1];
    const many = r[instances];
    const rate = (x) => (x?.perSecond === undefined ? (x?.error ?? "") : x.perSecond.toFixed(0));
    const range = (x) => (x?.perSecond === undefined ? "" : `${x.min.toFixed(0)}–${x.max.toFixed(0)}`);
    const statuses = [...new Set([one, many].flatMap((x) => Object.keys(x?.statuses ?? {})))].join(", ");
    const ratio = one?.perSecond && many?.perSecond ? (many.perSecond / one.perSecond).toFixed(2) : "";
    rows.push([lang, rate(one), range(one), rate(many), range(many), ratio, `${one?.requests ?? ""} / ${many?.requests ?? ""}`, statuses]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  const line = (row) => `| ${row.map((c, i) => String(c).padEnd(widths[i])).join(" | ")} |`;
  return [line(rows[0]), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...rows.slice(1).map(line)].join("\n");
}
