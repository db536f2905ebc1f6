import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GENERATED_NOTICE } from "../src/model.js";
import { LANGS, ROOT, SPECS, buildDir, type SpecName } from "./support/outputs.js";
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
