import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, ROOT, runCli } from "./support/outputs.js";

const scratch = mkdtempSync(join(tmpdir(), "fg-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(scratch, `case-${++n}`);

// any: the malformed-spec cases poke at arbitrary places of the spec, valid or not.
type Loose = Record<string, any>;
const embedded = parseYaml(readFileSync(join(ROOT, "spec/functiongraph.yaml"), "utf8")) as Loose;

/** Writes a copy of the embedded spec changed by `edit`, and returns its path. */
function specWith(edit: (spec: Loose) => void, ext = "yaml"): string {
  const spec = structuredClone(embedded);
  edit(spec);
  const file = join(scratch, `spec-${++n}.${ext}`);
  writeFileSync(file, ext === "json" ? JSON.stringify(spec) : toYaml(spec));
  return file;
}

describe("generating", () => {
  it("writes one language to --out and says where", () => {
    const out = freshDir();
    const r = runCli(["--lang", "go", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(out);
    expect(existsSync(join(out, "fgruntime/runtime.go"))).toBe(true);
  });

  it("stops quietly when the reader of its output goes away (`| head`), with the exit code it would have had", async () => {
    /** Runs the CLI with its stdout closed long before node has started: every line meets a broken pipe. */
    async function withClosedStdout(args: string[]) {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise((resolve) => child.on("close", resolve));
      return { code, stderr };
    }
    const out = freshDir();
    expect(await withClosedStdout(["--lang", "go", "--lang", "shell", "--out", out])).toEqual({ code: 0, stderr: "" });
    expect(existsSync(join(out, "go/fgruntime/runtime.go"))).toBe(true);
    // Out of date: --check still says so by its exit code.
    writeFileSync(join(out, "go/fgruntime/runtime.go"), "// edited\n");
    expect(await withClosedStdout(["--lang", "go", "--lang", "shell", "--out", out, "--check"])).toEqual({ code: 1, stderr: "" });
    // The commands that yargs reads, too.
    expect(await withClosedStdout(["spec"])).toEqual({ code: 0, stderr: "" });
  });

  it("without --out writes ./fg-<lang> in the working folder", () => {
    const cwd = freshDir();
    mkdirSync(cwd);
    const r = runCli(["--lang", "python"], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(cwd, "fg-python/fgruntime/__init__.py"))).toBe(true);
  });

  it("puts each of several languages in DIR/<lang>", () => {
    const out = freshDir();
    const r = runCli(["--lang", "go", "--lang", "shell", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["go", "shell"]);
  });

  it("never overwrites the user's handler unless --force", () => {
    const out = freshDir();
    expect(runCli(["--lang", "go", "--out", out]).code).toBe(0);
    writeFileSync(join(out, "main.go"), "// my handler\n");
    const again = runCli(["--lang", "go", "--out", out]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(out, "main.go"), "utf8")).toBe("// my handler\n");
    expect(runCli(["--lang", "go", "--out", out, "--force"]).code).toBe(0);
    expect(readFileSync(join(out, "main.go"), "utf8")).toContain("fgruntime.Start(handler)");
  });

  it("takes a spec in JSON as well as YAML", () => {
    const out = freshDir();
    const file = specWith((s) => (s.endpoints.next.path = "/v9/next"), "json");
    const r = runCli(["--lang", "go", "--out", out, "--spec", file]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, "fgruntime/runtime.go"), "utf8")).toContain('"/v9/next"');
  });

  it("`spec` prints the embedded spec", () => {
    const r = runCli(["spec"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, "spec/functiongraph.yaml"), "utf8"));
  });

  it("--version and --help answer", () => {
    expect(runCli(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--lang");
  });
});

describe("bad input: one clear line, exit 2, nothing written", () => {
  const expectRejected = (args: string[], message: RegExp, out: string) => {
    const r = runCli([...args, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  };

  it("an unknown language lists the valid ones", () => {
    expectRejected(["--lang", "cobol"], /^fg-bootgen: unknown language 'cobol': use --lang with one of shell, go, python, rust, node\n$/, freshDir());
  });

  it("an unknown language among good ones writes none of them", () => {
    expectRejected(["--lang", "go", "--lang", "java"], /unknown language 'java'/, freshDir());
  });

  it("no language at all", () => {
    const r = runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/choose a language with --lang/);
  });

  it("an unknown flag", () => {
    expectRejected(["--lang", "go", "--frobnicate"], /Unknown argument: frobnicate/, freshDir());
  });

  it("a spec file that does not exist", () => {
    expectRejected(["--lang", "go", "--spec", join(scratch, "nope.yaml")], /nope\.yaml: cannot read the spec \(ENOENT\); check the --spec path/, freshDir());
  });

  it("an output folder that cannot be written", () => {
    const file = join(scratch, "a-file");
    writeFileSync(file, "");
    const r = runCli(["--lang", "go", "--out", join(file, "sub")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^fg-bootgen: cannot write to .*a-file\/sub \(ENOTDIR\): choose another --out folder or fix its permissions; nothing was written\n$/);
  });

  // At least ten malformed specs, each with the message that names its place.
  const MALFORMED: [string, () => string, RegExp][] = [
    ["YAML that does not parse", () => writeRaw("endpoints: [unclosed\n"), /cannot parse/],
    ["JSON that does not parse", () => writeRaw("{ \"name\": ", "json"), /cannot parse: .*JSON/],
    ["a missing section", () => specWith((s) => delete s.endpoints), /endpoints: .*(expected object|Invalid input)/],
    ["an unknown key (a typo)", () => specWith((s) => (s.limts = {})), /\(top level\): Unrecognized key: "limts"/],
    ["an env variable with a bad name", () => specWith((s) => (s.env[3].name = "runtime-package")), /env\[3\]\.name: must be an environment variable name/],
    ["a header name that would inject code", () => specWith((s) => (s.headers[1].name = 'X-A"); os.Exit(1); ("')), /headers\[1\]\.name: must be an HTTP header name/],
    ["a path that would inject shell", () => specWith((s) => (s.endpoints.next.path = "/v1/$(reboot)")), /endpoints\.next\.path: must be an absolute path/],
    ["a result path without {requestId}", () => specWith((s) => (s.endpoints.error.path = "/v1/error")), /endpoints\.error\.path: must be an absolute path with exactly one \{requestId\}/],
    ["a description with a backtick", () => specWith((s) => (s.env[0].description = "see `id`")), /env\[0\]\.description: must be one line without control characters/],
    ["a field that is a keyword", () => specWith((s) => (s.env[0].field = "type")), /env\[0\]\.field: is a reserved word/],
    ["two headers with one name in different case", () => specWith((s) => (s.headers[2].name = "x-cff-access-key")), /headers\[2\]\.name: x-cff-access-key repeats headers\[1\]\.name/],
    ["no request-ID header", () => specWith((s) => (s.headers[0].requestId = false)), /headers: exactly one header needs requestId: true \(found 0\)/],
    ["a timeout that is not an integer", () => specWith((s) => (s.env[5].type = "string")), /env\[5\]\.type: the timeout variable must be an integer/],
    ["a negative response limit", () => specWith((s) => (s.limits.maxResponseBytes = -1)), /limits\.maxResponseBytes: must be positive/],
    ["a wrong type", () => specWith((s) => (s.headers[3].secret = "yes")), /headers\[3\]\.secret: .*boolean/],
    ["an unknown env type", () => specWith((s) => (s.env[1].type = "date")), /env\[1\]\.type: type must be string, integer or number/],
    ["two variables with one getter", () => specWith((s) => (s.env[1].getter = "getProjectID")), /env\[1\]\.getter: getProjectID is already the getter of env\[0\]/],
    ["an event field of an unknown type", () => specWith((s) => (s.events.types.ObsObject.fields[2].type = "Size")), /events\.types\.ObsObject\.fields\[2\]\.type: Size is not a type of events\.types/],
    ["an event key that would inject code", () => specWith((s) => (s.events.types.TimerEvent.fields[0].name = 'a"b')), /events\.types\.TimerEvent\.fields\[0\]\.name: must be a JSON key/],
    ["two event keys that spell alike", () => specWith((s) => (s.events.types.TimerEvent.fields[1].name = "Version")), /events\.types\.TimerEvent\.fields\[1\]\.name: Version and version spell the same/],
    ["an event type that holds itself", () => specWith((s) => (s.events.types.ObsBucket.fields[1].type = "ObsBucket")), /events\.types\.ObsBucket: contains itself \(ObsBucket > ObsBucket\)/],
    ["a decode helper on a number", () => specWith((s) => (s.events.types.ObsObject.fields[2].decode = { base64: true })), /ObsObject\.fields\[2\]\.decode: only a string field can be decoded/],
    ["base64When naming a string field", () => specWith((s) => (s.events.types.ApigRequest.fields[3].decode = { base64When: "path" })), /ApigRequest\.fields\[3\]\.decode\.base64When: path is not a boolean field of ApigRequest/],
    ["an APIG request without a method role", () => specWith((s) => delete s.events.types.ApigRequest.fields[1].role), /events\.types\.ApigRequest: needs exactly one field with role: method \(found 0\)/],
    ["an APIG role of the wrong type", () => specWith((s) => (s.events.types.ApigResponse.fields[0].type = "string")), /events\.types\.ApigResponse: the field with role status must be of type integer/],
    ["two triggers of one name", () => specWith((s) => (s.events.types.KafkaEvent.trigger = "obs")), /events\.types\.(KafkaEvent|ObsEvent)\.trigger: obs is already the trigger of/],
    ["an APIG body without its decode", () => specWith((s) => delete s.events.types.ApigRequest.fields[3].decode), /events\.types\.ApigRequest: the body field needs decode: \{ base64When: isBase64Encoded \}/],
    ["a request role outside the APIG types", () => specWith((s) => (s.events.types.TimerEvent.fields[0].role = "requestId")), /events\.types\.TimerEvent\.fields\[0\]\.role: roles belong to the events\.apig types \(and the request's context\) only/],
    ["a context role on a map", () => specWith((s) => (s.events.types.ApigRequest.fields[5].type = "map")), /events\.types\.ApigRequest: the field with role context must be of an event type/],
    ["an optional role twice", () => specWith((s) => (s.events.types.ApigRequest.fields[4].role = "headers")), /events\.types\.ApigRequest: needs at most one field with role: headers \(found 2\)/],
    ["an APIG type that does not exist", () => specWith((s) => (s.events.apig.response = "HttpAnswer")), /events\.apig\.response: HttpAnswer is not a type of events\.types/],
  ];

  function writeRaw(text: string, ext = "yaml"): string {
    const file = join(scratch, `raw-${++n}.${ext}`);
    writeFileSync(file, text);
    return file;
  }

  it.each(MALFORMED)("a malformed spec: %s", (_, make, message) => {
    const file = make();
    const r = runCli(["--lang", "go", "--lang", "rust", "--spec", file, "--out", freshDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(file);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("an event type whose Go name clashes with a helper of the events package: one line, exit 2, nothing written", () => {
    const file = specWith((s) => (s.events.types.ApigJson = { description: "clashes in Go", fields: [{ name: "a", type: "string", description: "a" }] }));
    const out = freshDir();
    const r = runCli(["--lang", "go", "--spec", file, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("fg-bootgen: --spec: event type ApigJson is APIGJSON in Go, which is already a helper of the events package: rename it\n");
    expect(existsSync(out)).toBe(false);
  });

  it("a spec with several problems lists each on its own line", () => {
    const file = specWith((s) => {
      s.env[0].name = "bad name";
      s.headers[1].field = "Bad";
    });
    const r = runCli(["--lang", "go", "--spec", file, "--out", freshDir()]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines.some((l) => /headers\[1\]\.field:/.test(l))).toBe(true);
    expect(lines.some((l) => /env\[0\]\.name:/.test(l))).toBe(true);
  });
});
