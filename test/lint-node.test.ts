import { spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { RuntimeApi } from "../src/emulator/api.js";
import { sha1 } from "../src/hash.js";
import { memoryVariable } from "../src/model.js";
import { loadSpec } from "../src/spec.js";
import { node } from "../src/targets/node.js";
import { LANGS, ROOT, SPECS, buildDir, startBootstrap, type RunningBootstrap, type SpecName } from "./support/outputs.js";
import { check } from "./support/tools.js";
import type * as GenerateModule from "../src/generate.js";
import type * as PrecompiledModule from "../src/precompiled.js";

const BIN = join(ROOT, "node_modules/.bin");
/** Every module of the output (the generated ones, preflight.cjs and the scaffold's handler.mjs). */
const MODULES = node.files.map((f) => f.path).filter((p) => p.endsWith(".mjs") || p.endsWith(".cjs"));
/** The declaration files that type the modules for a TypeScript handler. */
const DECLARATIONS = node.files.map((f) => f.path).filter((p) => p.endsWith(".d.mts"));
const FIXTURES = join(ROOT, "test/events/node");

// Outside the repository (tmpdir), so that no package.json, prettier config or .editorconfig of
// this repository applies: copies of the output here are what a user has.
const scratch = mkdtempSync(join(tmpdir(), "fg-lint-node-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh copy of an output in the scratch folder. */
function copyOf(spec: SpecName, name: string): string {
  const copy = join(scratch, `${spec}-${name}`);
  rmSync(copy, { recursive: true, force: true });
  cpSync(buildDir(spec, "node"), copy, { recursive: true });
  return copy;
}

/** The values (not the types) a declaration file says its module exports. */
function declaredValues(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022);
  const exported = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const names: string[] = [];
  for (const n of source.statements.filter(exported)) {
    if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) && n.name) names.push(n.name.text);
    if (ts.isVariableStatement(n)) for (const d of n.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
  }
  return names.sort();
}

/** tsc with the settings of a strict TypeScript project on Node (no --skipLibCheck: the .d.mts files are checked too). */
function tsc(files: string[], cwd: string, extra: string[] = []) {
  const args = ["--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext"];
  return check(join(BIN, "tsc"), [...args, "--typeRoots", join(ROOT, "node_modules/@types"), "--types", "node", ...extra, ...files], cwd);
}

/**
 * The README's code examples, by the name in the HTML comment right before each fence
 * (`<!-- example: apig -->`, then a ```js block). A marker without its fence is an error.
 */
function readmeExamples(readme: string): Map<string, string> {
  const examples = new Map<string, string>();
  for (const m of readme.matchAll(/^<!-- example: ([\w-]+) -->\n\n```js\n([\s\S]*?)^```$/gm)) examples.set(m[1]!, m[2]!);
  expect(readme.match(/<!-- example:/g)?.length ?? 0, "every `<!-- example: NAME -->` is followed by a ```js fence").toBe(examples.size);
  return examples;
}

/** Lines of code of an example: neither blank nor JSDoc. */
const codeLines = (code: string) => code.split("\n").filter((l) => l.trim() !== "" && !/^\s*(\/\*\*|\*)/.test(l)).length;

/** Runs an example module's `handler` on a sample event with a fresh Context, as runtime.mjs would. */
function runExample(dir: string, file: string, sample: string) {
  const script = [
    'import { readFileSync } from "node:fs";',
    'import { Context } from "./runtime.mjs";',
    `const { handler } = await import(${JSON.stringify(`./${file}`)});`,
    `const event = JSON.parse(readFileSync(${JSON.stringify(sample)}, "utf8"));`,
    'process.stdout.write(JSON.stringify(await handler(event, new Context({ requestId: "readme-run" }))));',
  ].join("\n");
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return { result: JSON.parse(r.stdout) as unknown, stderr: r.stderr };
}

describe.skipIf(!LANGS.includes("node")).each(Object.keys(SPECS) as SpecName[])("node output, %s spec", (spec) => {
  const dir = buildDir(spec, "node");

  it("is prettier-formatted (the defaults the generator formats with)", () => {
    // No config and no .editorconfig: a build folder inside this repository must not pick up
    // settings the generator does not use.
    const r = check(join(BIN, "prettier"), ["--check", "--no-config", "--no-editorconfig", ...MODULES, ...DECLARATIONS], dir);
    expect(r.status, r.output).toBe(0);
  });

  it("passes `prettier --check .` as a new user runs it (README, manifest and all)", () => {
    const r = check(join(BIN, "prettier"), ["--check", "."], copyOf(spec, "prettier"));
    expect(r.status, r.output).toBe(0);
  });

  it.each(MODULES)("node --check %s", (file) => {
    const r = check(process.execPath, ["--check", file], dir);
    expect(r.status, r.output).toBe(0);
  });

  it("type-checks: tsc --checkJs --strict with @types/node", () => {
    // The flags live here, not in the output: a user's project brings its own tsconfig.
    const r = tsc(MODULES, dir, ["--allowJs", "--checkJs", "--skipLibCheck"]);
    expect(r.status, r.output).toBe(0);
  });

  it("the declaration files type-check under tsc --strict", () => {
    const r = tsc(DECLARATIONS, dir);
    expect(r.status, r.output).toBe(0);
  });

  it.each(DECLARATIONS)("%s declares exactly what its module exports", (file) => {
    const module = file.replace(/\.d\.mts$/, ".mjs");
    // Importing runtime.mjs starts nothing: only bootstrap's `node runtime.mjs` does.
    const script = `const m = await import(${JSON.stringify(`./${module}`)}); console.log(JSON.stringify(Object.keys(m).sort()));`;
    const r = check(process.execPath, ["--input-type=module", "-e", script], dir);
    expect(r.status, r.output).toBe(0);
    expect(declaredValues(join(dir, file))).toEqual(JSON.parse(r.output) as string[]);
  });

  it("a user's TypeScript handler type-checks against the declaration files; a wrong one does not", () => {
    const copy = copyOf(spec, "ts-handler");
    copyFileSync(join(FIXTURES, "handler-good.mts"), join(copy, "handler.mts"));
    const good = tsc(["handler.mts"], copy);
    expect(good.status, good.output).toBe(0);

    copyFileSync(join(FIXTURES, "handler-bad.mts"), join(copy, "handler.mts"));
    const bad = tsc(["handler.mts"], copy);
    expect(bad.status, bad.output).not.toBe(0);
    // The misspelt field, and the status code of the wrong type.
    expect(bad.output).toMatch(/handler\.mts\(\d+,\d+\): error TS\d+: Property 'httpMethd' does not exist/);
    expect(bad.output).toMatch(/handler\.mts\(\d+,\d+\): error TS2322: /);
    expect(bad.output).toContain("Type 'string' is not assignable to type 'number'");
  });

  describe("the README's handler examples (<!-- example: NAME --> before each ```js block)", () => {
    const samples = join(ROOT, "spec/samples");
    let copy = "";
    /** Each example as a module of its own in a copy of the output, beside the declaration files. */
    const files = () => {
      copy = copyOf(spec, "readme");
      const examples = readmeExamples(readFileSync(join(dir, "README.md"), "utf8"));
      for (const [name, code] of examples) writeFileSync(join(copy, `example-${name}.mjs`), code);
      return examples;
    };

    it("are an APIG and an OBS handler, 5 to 15 lines of code each", () => {
      const examples = files();
      expect([...examples.keys()]).toEqual(["apig", "obs"]);
      for (const [name, code] of examples) {
        expect(codeLines(code), name).toBeGreaterThanOrEqual(5);
        expect(codeLines(code), name).toBeLessThanOrEqual(15);
      }
    });

    it("type-check against the declaration files: tsc --strict --checkJs", () => {
      const examples = files();
      // No --skipLibCheck: what the examples import is checked too, as in a user's strict project.
      const r = tsc([...examples.keys()].map((name) => `example-${name}.mjs`), copy, ["--allowJs", "--checkJs"]);
      expect(r.status, r.output).toBe(0);
    });

    it("run on the spec's sample events: the APIG one answers with the decoded body, the OBS one with each object", () => {
      files();
      const apigSample = readFileSync(join(samples, "apig.json"), "utf8");
      const body = Buffer.from((JSON.parse(apigSample) as { body: string }).body, "base64").toString("utf8");
      const apig = runExample(copy, "example-apig.mjs", join(samples, "apig.json"));
      expect(apig.result).toMatchObject({ statusCode: expect.any(Number), isBase64Encoded: false, headers: expect.any(Object), body: expect.any(String) });
      expect(JSON.stringify(JSON.parse((apig.result as { body: string }).body))).toContain(JSON.stringify(JSON.parse(body)).slice(1, -1));
      expect(apig.stderr).toMatch(/ readme-run INFO /);

      const obsSample = JSON.parse(readFileSync(join(samples, "obs.json"), "utf8")) as {
        Records: { s3: { bucket: { name: string }; object: { key: string; size: number } } }[];
      };
      const obs = runExample(copy, "example-obs.mjs", join(samples, "obs.json"));
      for (const { s3 } of obsSample.Records) {
        expect(JSON.stringify(obs.result)).toContain(JSON.stringify(s3.bucket.name));
        expect(JSON.stringify(obs.result)).toContain(JSON.stringify(s3.object.key));
        expect(JSON.stringify(obs.result)).toContain(String(s3.object.size));
        expect(obs.stderr).toContain(`${s3.bucket.name}/${s3.object.key}`);
      }
    });
  });

  it("bootstrap is valid sh and starts node without a subshell", () => {
    const r = check("sh", ["-n", "bootstrap"], dir);
    expect(r.status, r.output).toBe(0);
    // A fork before node costs cold-start time: only builtins (arithmetic expansion is one), then exec.
    const sh = readFileSync(join(dir, "bootstrap"), "utf8");
    expect(sh).not.toMatch(/\$\((?!\()|`/);
    expect(sh).toMatch(/^exec "\$node" .*--require "\$dir\/preflight\.cjs" "\$dir\/runtime\.mjs"$/m);
  });

  it("caps V8's heap at 3/4 of the memory below 512 MB, and gives no heap flags above", () => {
    // A stand-in node in the package's bin/ (bootstrap's first choice) that prints its arguments.
    const copy = copyOf(spec, "heap");
    const fake = join(copy, "bin/node");
    mkdirSync(join(copy, "bin"), { recursive: true });
    writeFileSync(fake, '#!/bin/sh\nprintf "%s\\n" "$@"\n', { mode: 0o755 });
    // The spec's variable of the function's memory (the built-in runtimes' getMemorySize); the alt
    // spec has none (its RUNTIME_MEMORY has no getter), and then no heap flags either.
    const memory = memoryVariable(loadSpec(SPECS[spec]).spec.env);
    const flags = (mb: string) => {
      const r = spawnSync("sh", ["bootstrap"], { cwd: copy, env: { PATH: process.env.PATH, [memory ?? "RUNTIME_MEMORY"]: mb }, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.split("\n").filter((a) => a.startsWith("--max-"));
    };
    if (memory === undefined) {
      expect(flags("128")).toEqual([]);
      return;
    }
    expect(flags("128")).toEqual(["--max-old-space-size=96", "--max-semi-space-size=1"]);
    expect(flags("511")).toEqual(["--max-old-space-size=383", "--max-semi-space-size=1"]);
    expect(flags("512")).toEqual([]);
    expect(flags("4096")).toEqual([]);
    expect(flags("")).toEqual([]);
  });

  it("preflight.cjs parses as the JavaScript of old Node.js versions (ES5: no let, arrows, templates, trailing commas)", () => {
    const source = readFileSync(join(dir, "preflight.cjs"), "utf8");
    const file = ts.createSourceFile("preflight.cjs", source, ts.ScriptTarget.ES5, true);
    const modern: string[] = [];
    const visit = (n: ts.Node) => {
      if (ts.isArrowFunction(n) || ts.isTemplateExpression(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isClassDeclaration(n)) modern.push(n.getText(file));
      if (ts.isVariableDeclarationList(n) && n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) modern.push(n.getText(file));
      if (ts.isCallExpression(n) && n.arguments.hasTrailingComma) modern.push(n.getText(file));
      ts.forEachChild(n, visit);
    };
    visit(file);
    expect(modern).toEqual([]);
  });

  it("make checks the files, and fails on a syntax error", () => {
    const copy = copyOf(spec, "make");
    const ok = check("make", ["-s"], copy);
    expect(ok.status, ok.output).toBe(0);
    appendFileSync(join(copy, "handler.mjs"), "export const = ;\n");
    const bad = check("make", ["-s"], copy);
    expect(bad.status, bad.output).not.toBe(0);
    expect(bad.output).toContain("SyntaxError");
  });
});

describe.skipIf(!LANGS.includes("node"))("node generator", () => {
  it("formats the embedded spec's modules and declarations from the build's table: a default run loads no prettier", async () => {
    // The build (scripts/precompile.mjs) stores only the files prettier changes: a template whose
    // output is already formatted would make every default run load prettier to find that out.
    const { generate } = (await import(join(ROOT, "dist/generate.js"))) as typeof GenerateModule;
    const { precompiled, loadSpecFast } = (await import(join(ROOT, "dist/precompiled.js"))) as typeof PrecompiledModule;
    const { files } = await generate(await loadSpecFast(), { ...node, format: undefined });
    const table = (await precompiled())?.formatted ?? {};
    const formatted = files.filter((f) => f.path.endsWith(".mjs") || f.path.endsWith(".d.mts"));
    expect(formatted.filter((f) => table[sha1(f.contents)] === undefined).map((f) => f.path)).toEqual([]);
  });
});

describe.skipIf(!LANGS.includes("node"))("node output: which handler runs (RUNTIME_HANDLER), JSON or raw", () => {
  let running: RunningBootstrap | undefined;
  let api: RuntimeApi | undefined;
  afterEach(async () => {
    await running?.stop();
    await api?.close();
    running = api = undefined;
  });

  async function start(dir: string, env: Record<string, string>) {
    api = new RuntimeApi(loadSpec().spec);
    running = startBootstrap(dir, await api.listen(), { RUNTIME_TIMEOUT: "30", ...env });
    return api;
  }

  it("index.handler: a CommonJS index.js's exports.handler, a JSON handler", async () => {
    const dir = copyOf("default", "cjs");
    writeFileSync(
      join(dir, "index.js"),
      [
        '"use strict";',
        "exports.handler = async (event, context) => {",
        '  if (event.op === "nothing") return undefined;',
        '  if (event.op === "bytes") return Buffer.from("raw bytes");',
        "  return { got: event, id: context.getRequestID(), cjs: typeof module };",
        "};",
        "",
      ].join("\n"),
    );
    const emu = await start(dir, { RUNTIME_HANDLER: "index.handler" });
    const r = await emu.invoke('{"a": [1, "ü"]}');
    expect(r.kind, running!.stderr()).toBe("response");
    expect(JSON.parse(r.body.toString("utf8"))).toEqual({ got: { a: [1, "ü"] }, id: r.requestId, cjs: "object" });
    const nothing = await emu.invoke('{"op":"nothing"}');
    expect(nothing.body.toString("utf8")).toBe("null");
    const bytes = await emu.invoke('{"op":"bytes"}');
    expect(bytes.body.toString("utf8")).toBe("raw bytes");
    const bad = await emu.invoke("{not json");
    expect(bad.kind).toBe("error");
    expect(JSON.parse(bad.body.toString("utf8"))).toEqual({ errorType: "Function.HandlerError", errorMessage: "the event is not valid JSON" });
  });

  it("main.run: an ES module's named export; module.exports of CommonJS; a missing file falls back to handler.mjs", async () => {
    const dir = copyOf("default", "esm");
    writeFileSync(join(dir, "main.mjs"), "export const run = (event) => ({ esm: event });\n");
    writeFileSync(join(dir, "lib.cjs"), "module.exports = { go: raw };\nfunction raw(event) { return event; }\n");
    let emu = await start(dir, { RUNTIME_HANDLER: "main.run" });
    expect((await emu.invoke("[true]")).body.toString("utf8")).toBe('{"esm":[true]}');
    await running?.stop();
    await api?.close();

    // A CommonJS module.exports object: its function gets the parsed event and returns it.
    emu = await start(dir, { RUNTIME_HANDLER: "lib.go" });
    expect((await emu.invoke(' {"x" : 1} ')).body.toString("utf8")).toBe('{"x":1}');
    await running?.stop();
    await api?.close();

    // index.js does not exist: the scaffold (a raw handler) answers.
    emu = await start(dir, { RUNTIME_HANDLER: "index.handler" });
    const r = await emu.invoke('{"a":1}');
    expect(JSON.parse(r.body.toString("utf8"))).toEqual({
      statusCode: 200,
      isBase64Encoded: false,
      headers: { "Content-Type": "application/json" },
      body: '{"a":1}',
    });
  });
});
