import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
