import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as GenerateModule from "../src/generate.js";
import { sha1 } from "../src/hash.js";
import type * as PrecompiledModule from "../src/precompiled.js";
import { DEFAULT_SPEC_PATH, parseSpec } from "../src/spec.js";
import { TARGETS } from "../src/targets/index.js";
import { ROOT } from "./support/outputs.js";

// The built modules, as the CLI runs them: only dist/ sits beside precompiled.generated.js.
const { generate } = (await import(join(ROOT, "dist/generate.js"))) as typeof GenerateModule;
const { precompiled } = (await import(join(ROOT, "dist/precompiled.js"))) as typeof PrecompiledModule;
const TEMPLATES_DIR = join(ROOT, "templates");

// The build's table of precompiled templates and the validated embedded spec (scripts/precompile.mjs)
// must give exactly what compiling and validating afresh gives.
describe("the build's precompiled table", () => {
  it("holds the embedded spec, validated, keyed by the hash of its text", async () => {
    const table = await precompiled();
    const text = readFileSync(DEFAULT_SPEC_PATH, "utf8");
    expect(table?.spec.sha1).toBe(sha1(text));
    expect(table?.spec.value).toEqual(parseSpec(text, "embedded"));
    expect(Object.keys(table?.templates ?? {}).length).toBe(Object.values(TARGETS).reduce((n, t) => n + t.files.length, 0));
  });

  it.each(Object.keys(TARGETS))("%s: precompiled templates render exactly what the compiler renders", async (lang) => {
    const spec = parseSpec(readFileSync(DEFAULT_SPEC_PATH, "utf8"), "embedded");
    const { TARGETS: builtTargets } = (await import(join(ROOT, "dist/targets/index.js"))) as { TARGETS: typeof TARGETS };
    const target = builtTargets[lang]!;
    const fast = await generate(spec, target);
    // Pointing --templates at the built-in folder compiles every template afresh.
    const compiled = await generate(spec, target, TEMPLATES_DIR);
    expect(compiled.overridden.length).toBe(target.files.length);
    expect(fast.files).toEqual(compiled.files);
  });
});
