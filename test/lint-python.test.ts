import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../src/spec.js";
import { snake } from "../src/names.js";
import { LANGS, ROOT, SPECS, buildDir, type SpecName } from "./support/outputs.js";

/** The generated runtime (a package) and the user's scaffold: both must pass every check as generated. */
const FILES = ["fgruntime", "handler.py"];

/**
 * `ruff check --select ALL` minus rules that conflict with the formatter or make no sense for
 * generated code. Everything else is on, with a few `# noqa` in the templates, each with a reason.
 */
const RUFF_IGNORE = [
  // Conflicts with `ruff format` (ruff's own documentation says to disable it with the formatter).
  "COM812",
  // D203/D211 and D212/D213 are pairs of opposite docstring rules; ruff keeps D211 and D212 and
  // warns about the other two unless they are ignored.
  "D203",
  "D213",
  // A copyright notice: the generated runtime carries the generator's notice, and handler.py
  // belongs to the user, who chooses its licence.
  "CPY001",
  // Line length is the formatter's job; what it cannot wrap is spec text (its name, header
  // descriptions, up to 200 characters each) copied into comments and string literals.
  "E501",
];

/**
 * The context answers the getters of FunctionGraph's built-in runtime under their names
 * (getRequestID, ...: docs/events-contract.md), which pep8-naming flags. A `# noqa: N802` cannot
 * say so: plain `ruff check` (RUF100) flags a noqa of a rule it does not enable, so the strict
 * run exempts that one file from that one rule, as a project's ruff config would. Likewise
 * PLR0913: Context and Function take one keyword argument per header and variable of the spec
 * (they are plain classes: dataclasses would import re at every cold start).
 */
const RUFF_PER_FILE_IGNORES = ["fgruntime/context.py:N802", "fgruntime/context.py:PLR0913"];

/** The oldest Python the runtime supports (docs/runtime-contract.md): ruff flags any newer syntax or API. */
const TARGET_VERSION = "py39";

function run(cmd: string, args: string[], cwd: string): { code: number; output: string } {
  try {
    const out = execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { code: 0, output: out };
  } catch (err) {
    const e = err as { status: number | null; stdout?: string; stderr?: string; message: string };
    return { code: e.status ?? -1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` || e.message };
  }
}

describe.runIf(LANGS.includes("python")).each(Object.keys(SPECS) as SpecName[])("python lint, %s spec", (specName) => {
  const dir = buildDir(specName, "python");
  const { spec } = loadSpec(SPECS[specName]);

  it("is formatted: ruff format --check", () => {
    const { code, output } = run("ruff", ["format", "--isolated", "--no-cache", "--check", "--diff", ...FILES], dir);
    expect(code, output).toBe(0);
  });

  it("passes ruff check --select ALL", () => {
    const args = ["check", "--isolated", "--no-cache", "--select", "ALL", "--ignore", RUFF_IGNORE.join(","), ...RUFF_PER_FILE_IGNORES.flatMap((p) => ["--per-file-ignores", p]), "--target-version", TARGET_VERSION];
    const { code, output } = run("ruff", [...args, ...FILES], dir);
    expect(code, output).toBe(0);
  });

  // As a new user runs them: no options, no config, the whole folder.
  it("passes plain ruff check and ruff format --check (default settings)", () => {
    const check = run("ruff", ["check", "--isolated", "--no-cache", "."], dir);
    expect(check.code, check.output).toBe(0);
    const format = run("ruff", ["format", "--isolated", "--no-cache", "--check", "."], dir);
    expect(format.code, format.output).toBe(0);
  });

  it("passes plain mypy (default settings)", () => {
    const { code, output } = run("mypy", ["--config-file=", "--cache-dir=/dev/null", ...FILES], dir);
    expect(code, output).toBe(0);
  });

  it("passes mypy --strict", () => {
    // No config file and no cache: the verdict depends on the files alone, and the folder stays clean.
    const { code, output } = run("mypy", ["--strict", "--config-file=", "--cache-dir=/dev/null", ...FILES], dir);
    expect(code, output).toBe(0);
  });

  it("loads: the modules import, and the context has the spec's fields", () => {
    // Introspects the imported modules and prints what the test compares with the spec.
    const probe = [
      "import json, sys",
      "import fgruntime, handler",
      "assert callable(handler.handler)",
      "assert issubclass(fgruntime.HandlerError, Exception)",
      "e = fgruntime.HandlerError('T', 'M')",
      // Each field with a value of its own: which of them repr() shows.
      "c = fgruntime.Context(**{n: f'v-{n}' for n in fgruntime.Context.__slots__})",
      "ctx = [(n, f\"'v-{n}'\" in repr(c)) for n in fgruntime.Context.__slots__]",
      "fn = list(fgruntime.Function.__slots__)",
      // The runtime loads http.client without ssl; the handler's own import gets TLS.
      "tls = ['ssl' in sys.modules]",
      "import http.client",
      "tls.append(hasattr(http.client, 'HTTPSConnection'))",
      "getters = sorted(n for n in dir(fgruntime.Context) if n.startswith('get'))",
      "print(json.dumps({'context': ctx, 'function': fn, 'error': [e.error_type, e.message], 'tls': tls, 'getters': getters,",
      "  'types': [fgruntime.ERROR_TYPE_HANDLER, fgruntime.ERROR_TYPE_PANIC, fgruntime.ERROR_TYPE_RESPONSE_TOO_LARGE],",
      "  'max': fgruntime.MAX_RESPONSE_BYTES}))",
    ].join("\n");
    // -S as ./bootstrap runs it: no site-packages (and no .pth file) loads anything first.
    const { code, output } = run("python3", ["-S", "-c", probe], dir);
    expect(code, output).toBe(0);
    const got = JSON.parse(output) as { context: [string, boolean][]; function: string[]; error: string[]; tls: boolean[]; getters: string[]; types: string[]; max: number };
    const headers = spec.headers.filter((h) => !h.requestId);
    expect(got.context).toEqual([
      ["request_id", true],
      ...headers.map((h) => [snake(h.field), !h.secret]),
      ["function", true],
      ["deadline", true],
    ]);
    expect(got.function).toEqual(spec.env.map((e) => snake(e.field)));
    expect(got.error).toEqual(["T", "M"]);
    // The built-in runtime's getters (docs/events-contract.md), and getUserData only with a userData variable.
    const getters = [...spec.headers, ...spec.env].flatMap((x) => (x.getter ? [x.getter] : []));
    const extra = ["getLogger", "getRemainingTimeInMilliSeconds", ...(spec.env.some((e) => e.userData) ? ["getUserData"] : [])];
    expect(got.getters).toEqual([...getters, ...extra].sort());
    expect(got.tls, "ssl loaded by fgruntime / HTTPS in the handler's http.client").toEqual([false, true]);
    const { handler, panic, responseTooLarge } = spec.errors.types;
    expect(got.types).toEqual([handler, panic, responseTooLarge]);
    expect(got.max).toBe(spec.limits.maxResponseBytes);
  });

  it("loads the handler the handler variable names (index.handler: index.py), else handler.py's", () => {
    // The spec's entryPoint variable, as the Python target reads it (a variable merely named handler is not one).
    const handlerEnv = spec.env.find((e) => e.entryPoint);
    if (!handlerEnv) return;
    const copy = mkdtempSync(join(tmpdir(), "fg-python-handler-"));
    try {
      cpSync(dir, copy, { recursive: true });
      writeFileSync(join(copy, "index.py"), "def handler(event, context):\n    return {'index': event}\n");
      // Calls the loaded handler as the loop does, with a context of empty headers.
      const call = [
        "import sys, time",
        "from fgruntime import runtime",
        "function = runtime._load_function()",
        "handler = runtime._load_handler(function)",
        "names = runtime.Context.__slots__",
        "values = {n: '' for n in names}",
        "values.update(function=function, deadline=time.monotonic() + 1)",
        "result = handler(b'[1]', runtime.Context(**values))",
        "sys.stdout.write(result.decode() if isinstance(result, bytes) else result)",
      ].join("\n");
      const answer = (value: string) => {
        const out = execFileSync("python3", ["-S", "-c", call], { cwd: copy, encoding: "utf8", env: { ...process.env, [handlerEnv.name]: value } });
        // The scaffold (raw) answers any JSON but an APIG request with an APIG response.
        return out.startsWith('{"statusCode"') ? "scaffold" : out;
      };
      expect(answer("index.handler")).toBe('{"index":[1]}');
      expect(answer("handler.handler")).toBe("scaffold");
      expect(answer("bootstrap")).toBe("scaffold");
      expect(answer("missing.handler"), "no missing.py: handler.py").toBe("scaffold");
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("bootstrap passes shellcheck and parses under sh", () => {
    const check = run("shellcheck", ["bootstrap"], dir);
    expect(check.code, check.output).toBe(0);
    const parse = run("sh", ["-n", "bootstrap"], dir);
    expect(parse.code, parse.output).toBe(0);
  });

  it("starts: ./bootstrap without the API address says so and exits 1", () => {
    const { code, output } = run("env", ["-u", spec.apiAddressEnv, "./bootstrap"], dir);
    expect(code, output).toBe(1);
    // The first line names the interpreter; then the missing address.
    expect(output).toMatch(new RegExp(`^fgruntime: Python 3\\.\\d+\\.\\d+ at \\S+\nfgruntime: ${spec.apiAddressEnv} is not set`));
  });

  it("starts as a module too: python3 -m fgruntime", () => {
    const { code, output } = run("env", ["-u", spec.apiAddressEnv, "python3", "-m", "fgruntime"], dir);
    expect(code, output).toBe(1);
    // The first line names the interpreter; then the missing address.
    expect(output).toMatch(new RegExp(`^fgruntime: Python 3\\.\\d+\\.\\d+ at \\S+\nfgruntime: ${spec.apiAddressEnv} is not set`));
  });
});

/**
 * The README's examples: each a ```python block right after `<!-- example: TRIGGER -->`, where
 * TRIGGER names the trigger whose `spec/samples/TRIGGER.json` event the example answers.
 */
function readmeExamples(readme: string): Map<string, string> {
  const examples = new Map<string, string>();
  for (const m of readme.matchAll(/^<!-- example: ([\w-]+) -->\n```python\n([\s\S]*?)^```$/gm)) examples.set(m[1]!, m[2]!);
  return examples;
}

/** Calls handler.handler with the sample event and a context of empty headers; prints the result as JSON. */
const CALL_WITH_SAMPLE = [
  "import json, sys, time",
  "from fgruntime import runtime",
  "import handler",
  "function = runtime._load_function()",
  "values = {name: '' for name in runtime.Context.__slots__}",
  "values.update(request_id='readme-example', function=function, deadline=time.monotonic() + 10)",
  "with open(sys.argv[1], encoding='utf-8') as f: event = json.load(f)",
  "print(json.dumps(handler.handler(event, runtime.Context(**values))))",
].join("\n");

describe.runIf(LANGS.includes("python")).each(Object.keys(SPECS) as SpecName[])("python README examples, %s spec", (specName) => {
  const dir = buildDir(specName, "python");
  const { spec } = loadSpec(SPECS[specName]);
  const readme = () => readmeExamples(readFileSync(join(dir, "README.md"), "utf8"));

  it("shows an APIG and an OBS handler, 5 to 15 lines of code each", () => {
    const examples = readme();
    expect([...examples.keys()]).toEqual(["apig", "obs"]);
    for (const [name, code] of examples) {
      const lines = code.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
      expect(lines.length, `${name}:\n${code}`).toBeGreaterThanOrEqual(5);
      expect(lines.length, `${name}:\n${code}`).toBeLessThanOrEqual(15);
    }
  });

  // Each example is handler.py in a copy of the output: formatted, linted, type-checked against
  // the generated fgruntime, then run on its trigger's sample event.
  it.each(["apig", "obs"])("the %s example passes ruff and mypy --strict as handler.py and answers the sample event", (name) => {
    const code = readme().get(name);
    expect(code, `no <!-- example: ${name} --> block in README.md`).toBeDefined();
    const copy = mkdtempSync(join(tmpdir(), `fg-python-readme-${name}-`));
    try {
      cpSync(dir, copy, { recursive: true });
      writeFileSync(join(copy, "handler.py"), code!);
      const checks: [string, string[]][] = [
        ["ruff", ["format", "--isolated", "--no-cache", "--check", "--diff", "handler.py"]],
        ["ruff", ["check", "--isolated", "--no-cache", "handler.py"]],
        // The generated code's strict set, less the docstrings a few-line example goes without.
        ["ruff", ["check", "--isolated", "--no-cache", "--select", "ALL", "--ignore", [...RUFF_IGNORE, "D100", "D103"].join(","), "--target-version", TARGET_VERSION, "handler.py"]],
        ["mypy", ["--strict", "--config-file=", "--cache-dir=/dev/null", "handler.py"]],
      ];
      for (const [cmd, args] of checks) {
        const { code: status, output } = run(cmd, args, copy);
        expect(status, `${cmd} ${args.join(" ")}:\n${output}\n--- handler.py\n${code}`).toBe(0);
      }
      const sample = join(ROOT, "spec/samples", `${name}.json`);
      const call = spawnSync("python3", ["-S", "-c", CALL_WITH_SAMPLE, sample], { cwd: copy, encoding: "utf8" });
      const out = call.stdout;
      expect(call.status, `${out}${call.stderr}`).toBe(0);
      const result = JSON.parse(out) as unknown;
      if (name === "apig") {
        const response = spec.events.types[spec.events.apig.response]!;
        expect(Object.keys(result as object).sort()).toEqual(response.fields.map((f) => f.name).sort());
        const status = (result as Record<string, unknown>)[response.fields.find((f) => f.role === "status")!.name];
        expect(status, out).toBeLessThan(400);
      } else {
        // Every object's bucket and key are logged or returned.
        const event = JSON.parse(readFileSync(sample, "utf8")) as { Records: { s3: { bucket: { name: string }; object: { key: string } } }[] };
        expect(event.Records.length).toBeGreaterThan(0);
        for (const r of event.Records) {
          expect(`${out}${call.stderr}`).toContain(r.s3.bucket.name);
          expect(`${out}${call.stderr}`).toContain(r.s3.object.key);
        }
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
