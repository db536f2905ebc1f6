import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { RuntimeApi } from "../src/emulator/api.js";
import { loadSpec } from "../src/spec.js";
import { ROOT, SPECS, buildDir, startBootstrap, type RunningBootstrap, type SpecName } from "./support/outputs.js";
import { check } from "./support/tools.js";

describe.each(Object.keys(SPECS) as SpecName[])("go output, %s spec", (spec) => {
  const dir = buildDir(spec, "go");

  it("is gofmt-formatted", () => {
    const r = check("gofmt", ["-l", "."], dir);
    expect(r.status).toBe(0);
    expect(r.output, "files gofmt would change").toBe("");
  });

  it("passes go vet", () => {
    const r = check("go", ["vet", "./..."], dir);
    expect(r.status, r.output).toBe(0);
  });

  it("passes staticcheck with every check on", () => {
    const r = check("staticcheck", ["-checks", "all", "./..."], dir);
    expect(r.status, r.output).toBe(0);
  });

  it("passes staticcheck with its default checks, as a new user runs it", () => {
    const r = check("staticcheck", ["./..."], dir);
    expect(r.status, r.output).toBe(0);
  });

  it("marks every runtime file as generated in the form Go tools recognise", () => {
    for (const pkg of ["fgruntime", "fgruntime/events"]) {
      const files = readdirSync(join(dir, pkg)).filter((f) => f.endsWith(".go"));
      expect(files.length, pkg).toBeGreaterThan(0);
      for (const f of files) {
        expect(readFileSync(join(dir, pkg, f), "utf8"), `${pkg}/${f}`).toMatch(/^\/\/ Code generated .* DO NOT EDIT\.$/m);
      }
    }
  });
});

describe("go test code against the default spec's output", () => {
  it("the conformance test handler and the event probe pass gofmt, go vet and staticcheck -checks all", () => {
    const dir = mkdtempSync(join(tmpdir(), "fg-lint-go-"));
    try {
      cpSync(buildDir("default", "go"), dir, { recursive: true });
      copyFileSync(join(ROOT, "test/conformance/handlers/go/main.go"), join(dir, "main.go"));
      mkdirSync(join(dir, "cmd/probe"), { recursive: true });
      copyFileSync(join(ROOT, "test/events/go/probe.go"), join(dir, "cmd/probe/main.go"));
      for (const [cmd, args] of [
        ["gofmt", ["-l", "main.go", "cmd"]],
        ["go", ["vet", "./..."]],
        ["staticcheck", ["-checks", "all", "./..."]],
      ] as const) {
        const r = check(cmd, [...args], dir);
        expect(r.status, `${cmd}: ${r.output}`).toBe(0);
        expect(r.output, cmd).toBe("");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The README's examples, each a go fence after `<!-- example: NAME -->`: made into the main package
// of a copy of the default spec's output, formatted, vetted, linted, built and run on the sample
// event of its trigger.
describe("go README examples, default spec", () => {
  const readme = () => readFileSync(join(buildDir("default", "go"), "README.md"), "utf8");
  const scratch = mkdtempSync(join(tmpdir(), "fg-readme-go-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let running: RunningBootstrap | undefined;
  let api: RuntimeApi | undefined;
  afterEach(async () => {
    await running?.stop();
    await api?.close();
    running = api = undefined;
  });

  /** The example's code: the one go block right after its marker. */
  function example(name: string): string {
    const blocks = [...readme().matchAll(new RegExp(`^<!-- example: ${name} -->\n\`\`\`go\n([^]*?)^\`\`\`$`, "gm"))];
    expect(blocks.length, `go blocks after <!-- example: ${name} --> in the README`).toBe(1);
    return blocks[0]![1]!;
  }

  /** The packages an example may use, by the name it calls them with; it leaves its imports out. */
  const PACKAGES: Record<string, string> = {
    context: "context",
    errors: "errors",
    fmt: "fmt",
    http: "net/http",
    json: "encoding/json",
    slog: "log/slog",
    strings: "strings",
    fgruntime: "function/fgruntime",
    events: "function/fgruntime/events",
  };

  /** A copy of the output whose main.go is the example, with the imports it uses; lint failures as text. */
  function program(name: string, code: string): { dir: string; failures: string[] } {
    const dir = join(scratch, name);
    rmSync(dir, { recursive: true, force: true });
    cpSync(buildDir("default", "go"), dir, { recursive: true });
    const used = Object.entries(PACKAGES)
      .filter(([id]) => new RegExp(`(?<![\\w.])${id}\\.`).test(code))
      .map(([, path]) => path);
    // gofmt's layout: the standard library's group, then the module's.
    const imports = [used.filter((p) => !p.startsWith("function/")), used.filter((p) => p.startsWith("function/"))]
      .filter((group) => group.length > 0)
      .map((group) => group.sort().map((p) => `\t"${p}"\n`).join(""))
      .join("\n");
    writeFileSync(join(dir, "main.go"), `// Command ${name} is the README's ${name} example.\npackage main\n\nimport (\n${imports})\n\n${code}`);
    const failures: string[] = [];
    for (const [cmd, args] of [
      ["gofmt", ["-l", "main.go"]],
      ["go", ["vet", "./..."]],
      ["staticcheck", ["-checks", "all", "./..."]],
    ] as const) {
      const r = check(cmd, [...args], dir);
      if (r.status !== 0 || r.output !== "") failures.push(`${cmd} ${args.join(" ")}: ${r.output || `status ${r.status}`}`);
    }
    return { dir, failures };
  }

  /** Builds the example and gives it the sample event of its trigger. */
  async function run(dir: string, trigger: string) {
    const built = check("go", ["build", "-o", "bootstrap", "."], dir);
    expect(built.status, built.output).toBe(0);
    api = new RuntimeApi(loadSpec().spec);
    running = startBootstrap(dir, await api.listen(), { RUNTIME_TIMEOUT: "30" });
    const sample = JSON.parse(readFileSync(join(ROOT, "spec/samples", `${trigger}.json`), "utf8"));
    const r = await api.invoke(JSON.stringify(sample));
    expect(r.kind, running.stderr()).toBe("response");
    return { sample, r, answer: JSON.parse(r.body.toString("utf8")) };
  }

  it("apig: compiles, passes gofmt, go vet and staticcheck, and answers the sample request with JSON", async () => {
    const { dir, failures } = program("apig", example("apig"));
    expect(failures, "the README's apig example").toEqual([]);
    const { sample, answer } = await run(dir, "apig");
    expect(answer).toMatchObject({ statusCode: 200, isBase64Encoded: false, headers: { "Content-Type": "application/json" } });
    expect(JSON.parse(answer.body)).toEqual({
      method: sample.httpMethod,
      path: sample.path,
      lang: sample.queryStringParameters.lang,
      body: Buffer.from(sample.body, "base64").toString("utf8"),
    });
  });

  it("obs: compiles, passes gofmt, go vet and staticcheck, logs every object and returns its bucket and key", async () => {
    const { dir, failures } = program("obs", example("obs"));
    expect(failures, "the README's obs example").toEqual([]);
    const { sample, r, answer } = await run(dir, "obs");
    type ObsRecord = { eventName: string; s3: { bucket: { name: string }; object: { key: string; size: number } } };
    const records = sample.Records as ObsRecord[];
    expect(records.length).toBeGreaterThan(0);
    expect(answer).toEqual(records.map((rec) => `${rec.s3.bucket.name}/${rec.s3.object.key}`));
    for (const rec of records) {
      const line = ` ${r.requestId} INFO ${rec.eventName} bucket=${rec.s3.bucket.name} key=${rec.s3.object.key} size=${rec.s3.object.size}\n`;
      // The answer can arrive before the log line's bytes have been read from the pipe.
      await vi.waitFor(() => expect(running!.stderr()).toContain(line), { timeout: 5000 });
    }
  });

  it("the check fails for a broken example (a method the request type does not have)", () => {
    const broken = example("apig").replace(/\breq\.(\w+)/, "req.$1Typo");
    expect(broken).not.toBe(example("apig"));
    const { failures } = program("broken", broken);
    expect(failures.join("\n")).toMatch(/Typo/);
  });
});
