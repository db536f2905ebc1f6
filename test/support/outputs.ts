import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
/** The bundle that package.json "bin" runs (scripts/bundle.mjs), as `npx fg-bootgen` runs it. */
export const CLI = join(ROOT, "dist/fg-bootgen.cjs");
const ALL_LANGS = ["shell", "go", "python", "rust", "node"] as const;
/** FG_ONLY_LANGS=go,rust narrows a local run while a language is being written; CI never sets it. */
if (process.env.CI && process.env.FG_ONLY_LANGS) throw new Error("FG_ONLY_LANGS narrows the languages: never in CI");
export const LANGS = ALL_LANGS.filter((l) => !process.env.FG_ONLY_LANGS || process.env.FG_ONLY_LANGS.split(",").includes(l));
export type Lang = (typeof ALL_LANGS)[number];

// The pinned linters and formatters that scripts/install-tools.sh puts under .tools/.
process.env.PATH = [join(ROOT, ".tools/bin"), join(ROOT, ".tools/venv/bin"), process.env.PATH].join(":");

/** The two specs every test runs against: the embedded default and a variant of it. */
export const SPECS = {
  default: undefined,
  alt: join(ROOT, "test/fixtures/alt-spec.yaml"),
} as const;
export type SpecName = keyof typeof SPECS;

/** Where global setup builds each (spec, language) output once per test run (FG_BUILD_ROOT moves it). */
export const BUILD_ROOT = process.env.FG_BUILD_ROOT ?? join(ROOT, ".cache/builds");
export const CARGO_TARGET_DIR = join(ROOT, ".cache/cargo-target");

export function buildDir(spec: SpecName, lang: Lang): string {
  return join(BUILD_ROOT, spec, lang);
}

/** Runs the real CLI (the bundle in dist/) and returns its exit code and output. */
export function runCli(args: string[], opts: { cwd?: string; input?: string } = {}) {
  try {
    const stdout = execFileSync(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      input: opts.input ?? "",
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
    return { code: 0, stdout, stderr: "" };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Generates and builds one output with its own Makefile, as a user would. */
export function generateAndBuild(spec: SpecName, lang: Lang): string {
  const dir = buildDir(spec, lang);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const specArgs = SPECS[spec] ? ["--spec", SPECS[spec]] : [];
  const gen = runCli(["--lang", lang, "--out", dir, ...specArgs]);
  if (gen.code !== 0) throw new Error(`generating ${lang} (${spec}) failed: ${gen.stderr}`);
  execFileSync("make", ["-s"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CARGO_TARGET_DIR },
  });
  if (!existsSync(join(dir, "bootstrap"))) throw new Error(`make left no bootstrap in ${dir}`);
  return dir;
}

export interface RunningBootstrap {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts ./bootstrap of a built output against the API at `addr`, with the spec's environment. */
export function startBootstrap(dir: string, addr: string, env: Record<string, string> = {}, shell?: string): RunningBootstrap {
  const cmd = shell ? shell : join(dir, "bootstrap");
  const args = shell ? [join(dir, "bootstrap")] : [];
  const child = spawn(cmd, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", RUNTIME_API_ADDR: addr, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once("exit", () => res());
        child.kill("SIGKILL");
      }),
  };
}
