// The build's second step, after tsc: writes dist/precompiled.generated.js with the embedded spec,
// validated, and every built-in template, precompiled (see src/precompiled.ts for how both are used).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { DEFAULT_SPEC_PATH, TEMPLATES_DIR } from "../dist/paths.js";
import { sha1 } from "../dist/precompiled.js";
import { parseSpec } from "../dist/spec.js";
import { COMPILE_OPTIONS } from "../dist/render.js";

const specText = readFileSync(DEFAULT_SPEC_PATH, "utf8");
const spec = parseSpec(specText, "(embedded spec)");
const entries = [];
for (const lang of readdirSync(TEMPLATES_DIR).sort()) {
  for (const file of readdirSync(`${TEMPLATES_DIR}${lang}`).sort()) {
    const source = readFileSync(`${TEMPLATES_DIR}${lang}/${file}`, "utf8");
    const compiled = Handlebars.precompile(source, COMPILE_OPTIONS);
    entries.push(`    ${JSON.stringify(`${lang}/${file}`)}: { sha1: ${JSON.stringify(sha1(source))}, spec: ${compiled} },`);
  }
}
const out = fileURLToPath(new URL("../dist/precompiled.generated.js", import.meta.url));
writeFileSync(
  out,
  `// Written by scripts/precompile.mjs; do not edit.\nexport const PRECOMPILED = {\n  spec: { sha1: ${JSON.stringify(sha1(specText))}, value: ${JSON.stringify(spec)} },\n  templates: {\n${entries.join("\n")}\n  },\n};\n`,
);
