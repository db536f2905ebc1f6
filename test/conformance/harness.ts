import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import type { GetFault, InvocationResult, PostFault } from "../../src/emulator/api.js";
import { Emulator } from "../../src/emulator/emulator.js";
import { groupMembers, rssKiB } from "../../src/emulator/instance.js";
import { normalize, type NormalEntry } from "../../src/emulator/transcript.js";
import { loadSpec, type Spec } from "../../src/spec.js";
import { CARGO_TARGET_DIR, LANGS, ROOT, SPECS, buildDir, type Lang, type SpecName } from "../support/outputs.js";

/** One way of running a language's output: the shell output runs under three shells. */
export interface Variant {
  id: string;
  lang: Lang;
  /** argv prefix that runs the bootstrap (shell variants). */
  shell?: string[];
}

const SHELLS: { id: string; argv: string[] }[] = [
  { id: "dash", argv: ["dash"] },
  { id: "bash", argv: ["bash"] },
  { id: "ash", argv: ["busybox", "ash"] },
];

export const VARIANTS: Variant[] = LANGS.flatMap((lang): Variant[] =>
  lang === "shell" ? SHELLS.map((s) => ({ id: `shell-${s.id}`, lang, shell: s.argv })) : [{ id: lang, lang }],
);

export const CI = Boolean(process.env.CI);

function onPath(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v "$1"`, "sh", cmd], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** What is missing to run a variant (its shell), or undefined. Languages' toolchains fail in global setup. */
export function missingTool(v: Variant): string | undefined {
  const cmd = v.shell?.[0];
  if (cmd && !onPath(cmd)) return `${cmd} is not installed`;
  if (v.shell?.[0] === "busybox") {
    try {
      execFileSync("busybox", ["ash", "-c", "true"], { stdio: "ignore" });
    } catch {
      return "busybox has no ash applet";
    }
  }
  return undefined;
}

export const SPEC: Record<SpecName, Spec> = {
  default: loadSpec(SPECS.default).spec,
  alt: loadSpec(SPECS.alt).spec,
};

/** A scratch folder for this test file; removeWork() in afterAll (workers may not see "exit"). */
export const WORK = mkdtempSync(join(tmpdir(), "fg-conformance-"));
export function removeWork(): void {
  rmSync(WORK, { recursive: true, force: true });
}

export const HANDLER_FILES: Record<Lang, string> = {
  go: "main.go",
  rust: "src/main.rs",
  python: "handler.py",
  node: "handler.mjs",
  shell: "handler.sh",
};

const builds = new Map<Lang, string>();

/**
 * A copy of the default spec's built output with the scaffold handler replaced by the test
 * handler of test/conformance/handlers/<lang>/, rebuilt with make where the language compiles.
 * Built once per language and reused by every scenario.
 */
export function testBuild(lang: Lang): string {
  const cached = builds.get(lang);
  if (cached) return cached;
  const dir = join(WORK, `${lang}-test-handler`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(buildDir("default", lang), dir, { recursive: true });
  const handler = join(ROOT, "test/conformance/handlers", lang, HANDLER_FILES[lang]);
  if (!existsSync(handler)) throw new Error(`no test handler for ${lang}: ${handler}`);
  cpSync(handler, join(dir, HANDLER_FILES[lang]));
  if (lang === "go" || lang === "rust") {
    rmSync(join(dir, "bootstrap"), { force: true });
    execFileSync("make", ["-s"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CARGO_TARGET_DIR } });
  }
  builds.set(lang, dir);
  return dir;
}

/** Secret header values: unlike anything else, so that finding one in a log is never a coincidence. */
export function secretValues(spec: Spec): Record<string, string> {
  return Object.fromEntries(spec.headers.filter((h) => h.secret).map((h) => [h.name, `s3cr3t-${h.field}-Zq7Xw9`]));
}

/** Header values for every event: quotes, $, backticks and backslashes in the access key. */
export function conformanceHeaders(spec: Spec): Record<string, string> {
  const out: Record<string, string> = { ...secretValues(spec) };
  for (const h of spec.headers) {
    if (h.requestId || h.secret) continue;
    out[h.name] = h.name.toLowerCase() === "x-cff-invoke-type" ? "sync" : `${h.field}-"q" 'sq' $HOME \`id\` \\ end`;
  }
  return out;
}

/** Distinct values for every spec variable; strings carry unicode and shell metacharacters. */
export function conformanceEnv(spec: Spec, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of spec.env) {
    if (e.timeout) out[e.name] = "30";
    else if (e.name === "RUNTIME_CODE_ROOT") out[e.name] = dir;
    else if (e.logFormat) out[e.name] = "text";
    else if (e.name === "RUNTIME_USERDATA") out[e.name] = `{"msg":"grüße \\"q\\" $HOME \`id\` \\\\ end"}`;
    else if (e.type === "integer") out[e.name] = "256";
    else if (e.type === "number") out[e.name] = "0.5";
    else out[e.name] = `${e.field}-value ü $x`;
  }
  return out;
}

export interface SessionOptions {
  spec?: SpecName;
  /** "scaffold": the generated output as built; "test": the copy with the test handler. */
  handler: "scaffold" | "test";
  /** The test handler's JSON mode (FG_TEST_MODE=json): the language's JSON handler API. */
  mode?: "json";
  /** Replaces the spec variables of conformanceEnv entirely when given. */
  env?: Record<string, string>;
  /** Added to the environment (after env or conformanceEnv). */
  extraEnv?: Record<string, string>;
  /**
   * Runs the bootstrap from a fresh copy of the build, changed by `prepare` first (a broken
   * handler file, an interpreter in bin/): the shared build stays as it is.
   */
  prepare?: (dir: string) => void;
  headers?: Record<string, string>;
  /** The function's timeout (RUNTIME_TIMEOUT and the emulator's limit); default 30 s. */
  timeoutSeconds?: number;
  timeoutMs?: number;
  record?: boolean;
  getFaults?: Record<number, GetFault>;
  postFaults?: Record<number, PostFault>;
  listenDelayMs?: number;
}

/** A running bootstrap under the emulator, with its output captured and scanned for secrets. */
export class Session {
  static readonly live = new Set<Session>();
  readonly emu: Emulator;
  readonly spec: Spec;
  readonly dir: string;
  readonly tmp: string;
  private out = "";
  private err = "";
  private outBytes = 0;
  private readonly secrets: string[];
  readonly leaks = new Set<string>();
  /** Files left in the private TMPDIR once the bootstrap had stopped. */
  tmpLeft: string[] = [];
  private tails: Record<"stdout" | "stderr", string> = { stdout: "", stderr: "" };
  private readonly decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };

  constructor(
    readonly variant: Variant,
    opts: SessionOptions,
  ) {
    const specName = opts.spec ?? "default";
    this.spec = SPEC[specName];
    const built = opts.handler === "test" ? testBuild(variant.lang) : buildDir(specName, variant.lang);
    if (opts.prepare) {
      this.dir = mkdtempSync(join(WORK, `prepared-${variant.id}-`));
      cpSync(built, this.dir, { recursive: true, verbatimSymlinks: true });
      opts.prepare(this.dir);
    } else {
      this.dir = built;
    }
    // A private TMPDIR, to see whether the runtime leaves files behind.
    this.tmp = mkdtempSync(join(WORK, `tmp-${variant.id}-`));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/root",
      TMPDIR: this.tmp,
      ...(opts.env ?? conformanceEnv(this.spec, this.dir)),
      ...(opts.mode === "json" ? { FG_TEST_MODE: "json" } : {}),
      ...opts.extraEnv,
    };
    if (opts.timeoutSeconds !== undefined) env[this.spec.env.find((e) => e.timeout)!.name] = String(opts.timeoutSeconds);
    const headerValues = opts.headers ?? conformanceHeaders(this.spec);
    this.secrets = Object.values(secretValues(this.spec));
    const bootstrap = join(this.dir, "bootstrap");
    this.emu = new Emulator({
      spec: this.spec,
      dir: this.dir,
      command: variant.shell ? [...variant.shell, bootstrap] : [bootstrap],
      env,
      headerValues,
      timeoutMs: opts.timeoutMs ?? (opts.timeoutSeconds ?? 30) * 1000,
      record: opts.record ?? true,
      getFaults: opts.getFaults,
      postFaults: opts.postFaults,
      listenDelayMs: opts.listenDelayMs,
      stopGraceMs: 3000,
      // A character split between two chunks must not become two U+FFFD.
      onOutput: (stream, chunk) => this.capture(stream, this.decoders[stream].write(chunk)),
    });
    Session.live.add(this);
  }

  private capture(stream: "stdout" | "stderr", text: string): void {
    const scan = this.tails[stream] + text;
    for (const s of this.secrets) if (scan.includes(s)) this.leaks.add(s);
    this.tails[stream] = scan.slice(-64);
    // Keep the first 8 MiB of output for assertions and failure messages; scanning goes on.
    this.outBytes += text.length;
    if (this.outBytes > 8 << 20) return;
    if (stream === "stdout") this.out += text;
    else this.err += text;
  }

  stdout(): string {
    return this.out;
  }

  stderr(): string {
    return this.err;
  }

  async start(): Promise<this> {
    await this.emu.start();
    return this;
  }

  /** Queues an event; `requestId` hands it out under that ID instead of a generated one. */
  invoke(event: string | Buffer, headers?: Record<string, string>, requestId?: string): Promise<InvocationResult> {
    return this.emu.invoke(event, headers, requestId);
  }

  /** The pid of the bootstrap's current process. */
  get pid(): number | undefined {
    return this.emu.instance?.pid;
  }

  /** Runs `work` while sampling the resident memory of the bootstrap's whole process group; peak KiB. */
  async peakRss<T>(work: Promise<T>): Promise<{ result: T; peakKiB: number }> {
    let peakKiB = 0;
    const sample = () => {
      const pid = this.pid;
      if (pid === undefined) return;
      const kib = groupMembers(pid).reduce((sum, p) => sum + (rssKiB(p) ?? 0), 0);
      if (kib > peakKiB) peakKiB = kib;
    };
    const timer = setInterval(sample, 25);
    try {
      return { result: await work, peakKiB };
    } finally {
      clearInterval(timer);
    }
  }

  /** Files the runtime left in its private TMPDIR. */
  tmpFiles(): string[] {
    return existsSync(this.tmp) ? readdirSync(this.tmp) : [];
  }

  normalized(): NormalEntry[] {
    return normalize(this.emu.api.transcript, this.spec);
  }

  /** Output for a failure message: the last lines of stderr and stdout. */
  tail(): string {
    const last = (s: string) => s.split("\n").slice(-25).join("\n");
    return `--- ${this.variant.id} stderr (tail) ---\n${last(this.err)}\n--- stdout (tail) ---\n${last(this.out)}`;
  }

  async stop(): Promise<void> {
    if (!Session.live.delete(this)) return;
    await this.emu.stop();
    this.tmpLeft = this.tmpFiles();
    rmSync(this.tmp, { recursive: true, force: true });
  }

  static async stopAll(): Promise<void> {
    await Promise.all([...Session.live].map((s) => s.stop()));
  }
}

/** An error body's keys: the type and the message, in order, then the spec's stack trace if any. */
export function errorKeysOk(keys: string[], spec: Spec): boolean {
  const two = [spec.errors.typeField, spec.errors.messageField];
  const three = spec.errors.stackTraceField ? [...two, spec.errors.stackTraceField] : two;
  return [two, three].some((want) => want.length === keys.length && want.every((k, i) => keys[i] === k));
}

export function mkdirp(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
