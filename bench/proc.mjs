// Processes under test: start one in its own process group, read its memory and CPU from /proc
// (Linux), stop it and everything it started.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Process groups started and not yet stopped: killed if the benchmark exits early. */
const live = new Set();
process.on("exit", () => {
  for (const pgid of live) kill(pgid);
});

function kill(pgid) {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Starts argv[0] with argv[1..] in `cwd`, in a new process group, its output discarded. */
export function start(argv, { cwd, env }) {
  const child = spawn(argv[0], argv.slice(1), { cwd, env, detached: true, stdio: "ignore" });
  if (child.pid !== undefined) live.add(child.pid);
  const exited = new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (err) => resolve({ code: err.code, signal: null })); // e.g. ENOENT: never started
  });
  return { child, pid: child.pid, exited };
}

/** SIGKILLs the process group of a process started by `start`, and waits for its leader to exit. */
export async function stop(proc) {
  if (proc.pid !== undefined) kill(proc.pid);
  await proc.exited;
  live.delete(proc.pid);
}

/** `/proc/<pid>/stat` after the command name: [state, ppid, pgrp, ...] (fields 3 onwards). */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** The live processes of a process group (the leader and everything it started that stayed in it). */
export function group(pgid) {
  const out = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const f = statFields(name);
      if (f[0] !== "Z" && Number(f[2]) === pgid) out.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** VmRSS of one process in KiB (0 if it is gone). */
export function rssKiB(pid) {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Resident memory of a process group: the sum of VmRSS over its processes, and how many there are. */
export function groupRss(pgid) {
  const pids = group(pgid);
  return { kib: pids.reduce((sum, pid) => sum + rssKiB(pid), 0), procs: pids.length };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux.

/** CPU time in ms of a process, its threads and its waited-for children (utime+stime+cutime+cstime). */
export function cpuMs(pid) {
  try {
    const f = statFields(pid);
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS;
  } catch {
    return NaN;
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
