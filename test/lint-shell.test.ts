import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATED_NOTICE } from "../src/model.js";
import { CLI, LANGS, ROOT, SPECS, buildDir, type SpecName } from "./support/outputs.js";
import { check } from "./support/tools.js";

/** The generated runtime, its helpers and the user's scaffold: each must pass every check as generated. */
const FILES = ["bootstrap", "fgevents.sh", "handler.sh"];

/** The shells bootstrap must run under unchanged: Debian's /bin/sh, bash, and busybox's. */
const SHELLS: [name: string, cmd: string, args: string[]][] = [
  ["dash", "dash", ["-n"]],
  ["bash", "bash", ["-n"]],
  ["busybox ash", "busybox", ["ash", "-n"]],
];

describe.runIf(LANGS.includes("shell")).each(Object.keys(SPECS) as SpecName[])("shell lint, %s spec", (specName) => {
  const dir = buildDir(specName, "shell");

  it("is shfmt-formatted (pinned shfmt, default style)", () => {
    const r = check("shfmt", ["-d", ...FILES], dir);
    expect(r.output, "shfmt -d: the diff to the formatted files").toBe("");
    expect(r.status, r.output).toBe(0);
  });

  it("passes shellcheck (pinned, every default check, no rc file)", () => {
    const r = check("shellcheck", ["--norc", "--severity=style", ...FILES], dir);
    expect(r.status, r.output).toBe(0);
  });

  // As a new user runs them: no options at all (shellcheck's default severity, shfmt's default style).
  it("passes shellcheck with no options", () => {
    const r = check("shellcheck", FILES, dir);
    expect(r.output, "shellcheck").toBe("");
    expect(r.status, r.output).toBe(0);
  });

  it("passes shfmt with no options (prints nothing to format)", () => {
    const r = check("shfmt", ["-l", ...FILES], dir);
    expect(r.output, "shfmt -l: the files it would change").toBe("");
    expect(r.status, r.output).toBe(0);
  });

  it("disables no shellcheck check without a comment saying why", () => {
    for (const file of FILES) {
      const lines = readFileSync(join(dir, file), "utf8").split("\n");
      for (const [i, line] of lines.entries()) {
        if (!/#\s*shellcheck\s+(disable|source)=/.test(line)) continue;
        // The reason: a comment after the directive, or on the line above.
        const reason = /#\s*shellcheck\s+\S+(\s+#\s*\S.*)$/.test(line) || /^\s*#\s*(?!shellcheck)\S/.test(lines[i - 1] ?? "");
        expect(reason, `${file}:${i + 1}: ${line.trim()} has no reason`).toBe(true);
      }
    }
  });

  it.each(SHELLS)("parses under %s (sh -n)", (_name, cmd, args) => {
    for (const file of FILES) {
      const r = check(cmd, [...args, file], dir);
      expect(r.status, `${cmd} ${args.join(" ")} ${file}: ${r.output}`).toBe(0);
      expect(r.output, `${file}`).toBe("");
    }
  });

  it("starts bootstrap with #!/bin/sh and the generated notice, and makes it executable", () => {
    const text = readFileSync(join(dir, "bootstrap"), "utf8");
    const [shebang, notice] = text.split("\n");
    expect(shebang).toBe("#!/bin/sh");
    expect(notice).toBe(`# ${GENERATED_NOTICE}`);
    const mode = check("stat", ["-c", "%a", "bootstrap"], dir);
    expect(mode.output.trim()).toBe("755");
  });
});

/** The shell test code (the conformance test handler, the event probe) is held to the same checks. */
describe.runIf(LANGS.includes("shell"))("shell lint, test scripts", () => {
  const files = ["test/conformance/handlers/shell/handler.sh", "test/events/shell/probe.sh"];

  it("is shfmt-formatted and passes shellcheck (every check)", () => {
    const fmt = check("shfmt", ["-d", ...files], ROOT);
    expect(fmt.output, "shfmt -d").toBe("");
    const lint = check("shellcheck", ["--norc", "--severity=style", ...files], ROOT);
    expect(lint.status, lint.output).toBe(0);
  });
});

/**
 * fgevents.sh under every awk a FunctionGraph instance may have (the conformance suite runs the
 * default one): its JSON reading and writing against Node's, through an `awk` first on PATH.
 */
const AWKS: [name: string, argv: string[]][] = [
  ["mawk", ["mawk"]],
  ["gawk", ["gawk"]],
  ["busybox awk", ["busybox", "awk"]],
];
// A missing awk skips its tests locally and fails them in CI (scripts/install-tools.sh installs gawk).
const hasAwk = (argv: string[]) => Boolean(process.env.CI) || spawnSync(argv[0]!, [...argv.slice(1), "BEGIN { exit 0 }"]).status === 0;

describe.runIf(LANGS.includes("shell")).each(AWKS)("fgevents.sh under %s", (_name, argv) => {
  const dir = buildDir("default", "shell");
  const work = mkdtempSync(join(tmpdir(), "fg-awk-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const shim = join(work, "bin");
  mkdirSync(shim);
  writeFileSync(join(shim, "awk"), `#!/bin/sh\nexec ${argv.join(" ")} "$@"\n`, { mode: 0o755 });
  /** Runs a script after sourcing fgevents.sh, with `awk` being this awk. */
  const run = (script: string, input: Buffer | string = "") => {
    const r = spawnSync("sh", ["-c", `. "$1/fgevents.sh"; ${script}`, "sh", dir], {
      input,
      env: { ...process.env, PATH: `${shim}:${process.env.PATH}`, fg_tmp: work },
    });
    return { status: r.status, out: r.stdout.toString("utf8"), err: r.stderr.toString("utf8") };
  };

  it.runIf(hasAwk(argv))("writes any bytes as the JSON string of their UTF-8 text (U+FFFD for bad sequences), in a pipe or a file", () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pieces = ["ü", "日本", "😀", "a\"b\\c", "\t\u0001\u001f\r", "x", "\n"].map((s) => Buffer.from(s));
    for (const bytes of [[0xe2, 0x82], [0xf0, 0x9f], [0x80], [0xff], [0xed, 0xa0, 0x80], [0xc3], [0xf4, 0x90, 0x80, 0x80]]) pieces.push(Buffer.from(bytes));
    const parts: Buffer[] = [];
    for (let i = 0; i < 40000; i++) parts.push(pieces[Math.floor(rnd() * (pieces.length - (i % 9 ? 1 : 0)))]!);
    const data = Buffer.concat(parts);
    writeFileSync(join(work, "data"), data);
    const want = data.toString("utf8");
    expect(JSON.parse(run("fg_json_string", data).out), "from a pipe").toBe(want);
    expect(JSON.parse(run(`fg_json_string <"${join(work, "data")}"`).out), "from a file").toBe(want);
    for (const text of ["", "a", "a\n", "\n\n", "x\r\n"]) {
      writeFileSync(join(work, "t"), text);
      expect(JSON.parse(run(`fg_json_string <"${join(work, "t")}"`).out), JSON.stringify(text)).toBe(text);
      expect(JSON.parse(run("fg_json_string", text).out), JSON.stringify(text)).toBe(text);
    }
  });

  it.runIf(hasAwk(argv))("reads APIG requests, and tells JSON from anything else as JSON.parse does", () => {
    const event = JSON.stringify({ isBase64Encoded: true, httpMethod: "POST", path: "/wörter", body: Buffer.from("grüße \0 ✓").toString("base64"), queryStringParameters: { q: "a \"b\"", n: "1" } });
    writeFileSync(join(work, "event"), event);
    const r = run(`fg_apig_read <"${join(work, "event")}" && printf '%s\\n%s\\n%s\\n' "$FG_APIG_METHOD" "$FG_APIG_PATH" "$FG_APIG_QUERY" && cat "$FG_APIG_BODY"`);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toBe('POST\n/wörter\n{"q":"a \\"b\\"","n":"1"}\ngrüße \0 ✓');
    const docs = ['{"a":[1,2.5e3,-0,true,null,{"b":"\\u00fc\\""}]}', '"just a string"', " 42 ", "[]", "{}", '{"a":1,}', "[1,]", '{"a" 1}', "01", '"\\x"', '{"a":"b"}"', '"abc', "tru", '[1 2]', '{"a":"\t"}', "", "   ", '{"httpMethod":5}'];
    for (const doc of docs) {
      let valid = true;
      try {
        JSON.parse(doc);
      } catch {
        valid = false;
      }
      writeFileSync(join(work, "doc"), doc);
      const status = run(`fg_apig_read <"${join(work, "doc")}"`).status;
      expect(status === 1 ? "invalid" : "valid", doc).toBe(valid ? "valid" : "invalid");
    }
  });

  it.runIf(hasAwk(argv))("looks user data up and builds APIG responses", () => {
    const ud = run(`RUNTIME_USERDATA='{"msg":"gr\\u00fc\\u00dfe \\"q\\"","n":[1, {"x" : null}]}'; fg_user_data msg; echo; fg_user_data n; echo; fg_user_data nope || echo absent`);
    expect(ud.out).toBe('grüße "q"\n[1,{"x":null}]\nabsent\n');
    const text = JSON.parse(run("printf 'grüße ✓\\n' | fg_apig_text 404 'X-A: 1'").out) as Record<string, unknown>;
    expect(text).toEqual({ statusCode: 404, isBase64Encoded: false, headers: { "Content-Type": "text/plain; charset=utf-8", "X-A": "1" }, body: "grüße ✓\n" });
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const binary = JSON.parse(run("fg_apig_binary 200 image/png", bytes).out) as Record<string, unknown>;
    expect(binary).toEqual({ statusCode: 200, isBase64Encoded: true, headers: { "Content-Type": "image/png" }, body: bytes.toString("base64") });
  });
});

/**
 * The README's two examples, an APIG handler and an OBS handler, each marked by an HTML comment
 * `<!-- example: NAME -->` on the line before its ```sh fence: taken out of the generated README,
 * put in handler.sh as a user would (a copy of the generated output), then linted as the scaffold
 * is and run on the samples: sourced after fgevents.sh under each shell and awk, and under the
 * real bootstrap (fg-bootgen emulate).
 */
const EXAMPLES = ["apig", "obs"] as const;
type Example = (typeof EXAMPLES)[number];

/** The code of the one ```sh block marked `<!-- example: NAME -->` in a README. */
function readmeExample(readme: string, name: string): string {
  const marked = [...readme.matchAll(new RegExp(`^<!-- example: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)^\`\`\`$`, "gm"))];
  if (marked.length !== 1) throw new Error(`README.md has ${marked.length} sh blocks marked <!-- example: ${name} -->, not 1`);
  return marked[0]![1]!;
}

/** A copy of the generated output whose handler.sh is the generated one's header comment and the example. */
function exampleDir(dir: string, code: string): string {
  const work = mkdtempSync(join(tmpdir(), "fg-readme-"));
  for (const file of ["bootstrap", "fgevents.sh", "Makefile"]) copyFileSync(join(dir, file), join(work, file));
  chmodSync(join(work, "bootstrap"), 0o755);
  const scaffold = readFileSync(join(dir, "handler.sh"), "utf8");
  writeFileSync(join(work, "handler.sh"), `${scaffold.slice(0, scaffold.indexOf("\n\n") + 2)}${code}`);
  return work;
}

const sample = (trigger: string) => readFileSync(join(ROOT, "spec/samples", `${trigger}.json`));

describe.runIf(LANGS.includes("shell"))("shell README examples, default spec", () => {
  const dir = buildDir("default", "shell");
  const works: string[] = [];
  let readme = "";
  const work = {} as Record<Example, string>;
  // In hooks, not while collecting: the output is built by then (and need not be when shell is left out).
  beforeAll(() => {
    readme = readFileSync(join(dir, "README.md"), "utf8");
    for (const name of EXAMPLES) works.push((work[name] = exampleDir(dir, readmeExample(readme, name))));
  });
  afterAll(() => works.forEach((w) => rmSync(w, { recursive: true, force: true })));

  /** Runs `handler` as bootstrap does (a subshell under set -eu, the event on stdin and in FG_EVENT_FILE). */
  const invoke = (name: Example, event: Buffer, shell: string[] = ["sh"], shim?: string) => {
    const w = work[name];
    const eventFile = join(w, "event.json");
    writeFileSync(eventFile, event);
    const r = spawnSync(shell[0]!, [...shell.slice(1), "-c", '. ./fgevents.sh; . ./handler.sh; (set -eu; handler) <"$FG_EVENT_FILE"'], {
      cwd: w,
      env: { ...process.env, PATH: shim ? `${shim}:${process.env.PATH}` : process.env.PATH, fg_tmp: w, FG_EVENT_FILE: eventFile, FG_REQUEST_ID: "readme-example" },
    });
    return { status: r.status, out: r.stdout.toString("utf8"), err: r.stderr.toString("utf8") };
  };

  it.each(EXAMPLES)("marks the %s example once, 5 to 15 lines of code", (name) => {
    const lines = readmeExample(readme, name).trimEnd().split("\n").length;
    expect(lines).toBeGreaterThanOrEqual(5);
    expect(lines).toBeLessThanOrEqual(15);
  });

  it.each(EXAMPLES)("%s: handler.sh passes shfmt, shellcheck (every check, and no options) and sh -n", (name) => {
    const fmt = check("shfmt", ["-d", "handler.sh"], work[name]);
    expect(fmt.output, "shfmt -d").toBe("");
    const strict = check("shellcheck", ["--norc", "--severity=style", "handler.sh"], work[name]);
    expect(strict.status, strict.output).toBe(0);
    const plain = check("shellcheck", ["handler.sh"], work[name]);
    expect(plain.output, "shellcheck").toBe("");
    for (const [, cmd, args] of SHELLS) {
      const r = check(cmd, [...args, "handler.sh"], work[name]);
      expect(r.status, `${cmd} ${args.join(" ")}: ${r.output}`).toBe(0);
    }
  });

  it.each(EXAMPLES)("%s: calls only helpers that fgevents.sh or bootstrap defines", (name) => {
    const defined = new Set(["fgevents.sh", "bootstrap"].flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/^(fg_\w+)\(\) \{/gm)].map((m) => m[1]!)));
    const called = [...readmeExample(readme, name).matchAll(/\bfg_[a-z_]+\b/g)].map((m) => m[0]);
    expect(called.length).toBeGreaterThan(0);
    for (const f of called) expect(defined.has(f), `${f} is not a generated helper`).toBe(true);
  });

  // The APIG sample's request, as Node reads it: what the example must answer with.
  const apig = JSON.parse(sample("apig").toString("utf8")) as { httpMethod: string; path: string; queryStringParameters: Record<string, string>; body: string; isBase64Encoded: boolean };
  const apigWant = {
    method: apig.httpMethod,
    path: apig.path,
    lang: apig.queryStringParameters.lang,
    query: apig.queryStringParameters,
    body: Buffer.from(apig.body, apig.isBase64Encoded ? "base64" : "utf8").toString("utf8"),
  };
  const checkApig = (r: { status: number | null; out: string; err: string }, id = "readme-example") => {
    expect(r.status, r.err).toBe(0);
    const res = JSON.parse(r.out) as { statusCode: number; isBase64Encoded: boolean; headers: Record<string, string>; body: string };
    expect(res).toEqual({ statusCode: 200, isBase64Encoded: false, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" }, body: expect.any(String) });
    expect(JSON.parse(res.body)).toEqual(apigWant);
    expect(r.err).toMatch(new RegExp(`Z ${id} INFO ${apig.httpMethod} ${apig.path} \\(lang ${apigWant.lang}\\)$`, "m"));
  };

  // The OBS sample, and a compact event of three records, the second with its object before its bucket.
  type ObsRecord = { s3: { bucket: { name: string }; object: { key: string; size: number } } };
  const obs = JSON.parse(sample("obs").toString("utf8")) as { Records: ObsRecord[] };
  const other = JSON.parse(JSON.stringify(obs.Records[0])) as ObsRecord & Record<string, unknown>;
  other.s3 = { object: { size: 7, key: "a+b%22c d.txt" }, bucket: { name: "other-bucket" } } as ObsRecord["s3"];
  const obsEvents: [name: string, event: Buffer, records: ObsRecord[]][] = [
    ["the sample", sample("obs"), obs.Records],
    ["three compact records", Buffer.from(JSON.stringify({ Records: [obs.Records[0], other, obs.Records[0]] })), [obs.Records[0]!, other, obs.Records[0]!]],
  ];
  const checkObs = (r: { status: number | null; out: string; err: string }, records: ObsRecord[]) => {
    expect(r.status, r.err).toBe(0);
    expect(r.out).toBe(records.map((x) => `${x.s3.bucket.name}/${x.s3.object.key}\n`).join(""));
    const logged = r.err.split("\n").filter(Boolean).map((l) => l.replace(/^\S+Z readme-example INFO /, ""));
    expect(logged).toEqual(records.map((x) => `obs://${x.s3.bucket.name}/${x.s3.object.key}: ${x.s3.object.size} bytes`));
  };

  /** A folder whose `awk` is that awk, for PATH. */
  const awkShim = (argv: string[]) => {
    const bin = join(work.apig, "awk", argv.join("-"));
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "awk"), `#!/bin/sh\nexec ${argv.join(" ")} "$@"\n`, { mode: 0o755 });
    return bin;
  };
  const matrix = SHELLS.flatMap(([shellName, cmd]) =>
    AWKS.filter(([, argv]) => hasAwk(argv)).map(([awkName, argv]) => [`${shellName}, ${awkName}`, cmd === "busybox" ? ["busybox", "ash"] : [cmd], argv] as const),
  );

  it.each(matrix)("apig: answers the APIG sample with its method, path, query and decoded body (%s)", (_name, shell, awk) => {
    checkApig(invoke("apig", sample("apig"), [...shell], awkShim(awk)));
  });

  it.each(matrix)("obs: logs and returns each record's bucket, key and size (%s)", (_name, shell, awk) => {
    for (const [what, event, records] of obsEvents) {
      const r = invoke("obs", event, [...shell], awkShim(awk));
      expect(r.status, `${what}: ${r.err}`).toBe(0);
      checkObs(r, records);
    }
  });

  // End to end: the copy's bootstrap, with the example as its handler.sh, under the emulated runtime API.
  it.each(EXAMPLES)("%s: runs under bootstrap (fg-bootgen emulate) on its sample", (name) => {
    const r = spawnSync(process.execPath, [CLI, "emulate", "--dir", work[name], "--event", join(ROOT, "spec/samples", `${name}.json`)], { encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const [head, ...rest] = r.stdout.split("\n");
    expect(head, r.stdout).toMatch(/: response, /);
    const body = rest.join("\n").replace(/\n$/, "");
    if (name === "apig") checkApig({ status: 0, out: body, err: r.stderr }, "\\S+");
    else expect(body).toBe(obs.Records.map((x) => `${x.s3.bucket.name}/${x.s3.object.key}\n`).join(""));
  });
});
