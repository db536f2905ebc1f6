// The build's second step, after tsc: writes dist/precompiled.generated.js with the embedded spec,
// validated, every built-in template, precompiled, and the formatted files of the embedded spec,
// and dist/rendered.generated.bin with the embedded spec and every file it generates, as the
// bundle serves them (see src/precompiled.ts for how they are used).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { DEFAULT_SPEC_PATH, TEMPLATES_DIR } from "../dist/paths.js";
import { sha1, sha256 } from "../dist/hash.js";
import { parseSpec } from "../dist/spec.js";
import { COMPILE_OPTIONS } from "../dist/render.js";
import { generate } from "../dist/generate.js";
import { TARGETS } from "../dist/targets/index.js";

const specText = readFileSync(DEFAULT_SPEC_PATH, "utf8");
const spec = parseSpec(specText, "(embedded spec)");
const entries = [];
/** What the build read of each template, by `<lang>/<template>` (src/precompiled.ts's BuildInput). */
const read = {};
for (const lang of readdirSync(TEMPLATES_DIR).sort()) {
  for (const file of readdirSync(`${TEMPLATES_DIR}${lang}`).sort()) {
    const key = `${lang}/${file}`;
    const source = readFileSync(`${TEMPLATES_DIR}${key}`, "utf8");
    read[key] = { sha1: sha1(source), size: Buffer.byteLength(source) };
    const compiled = Handlebars.precompile(source, COMPILE_OPTIONS);
    entries.push(`    ${JSON.stringify(key)}: { sha1: ${JSON.stringify(read[key].sha1)}, spec: ${compiled} },`);
  }
}
// Formatter output for the embedded spec, so that a default run needs no formatter at all.
const formatted = {};
for (const target of Object.values(TARGETS).filter((t) => t.format)) {
  const { files } = await generate(spec, { ...target, format: undefined });
  for (const f of files) {
    // Kept even when the formatter changes nothing: that too is an answer a default run needs.
    const pretty = await target.format(f.path, f.contents);
    formatted[sha1(f.contents)] = pretty;
  }
}
const out = fileURLToPath(new URL("../dist/precompiled.generated.js", import.meta.url));
writeFileSync(
  out,
  `// Written by scripts/precompile.mjs; do not edit.\nexport const PRECOMPILED = {\n  spec: { sha1: ${JSON.stringify(sha1(specText))}, value: ${JSON.stringify(spec)} },\n  templates: {\n${entries.join("\n")}\n  },\n  formatted: ${JSON.stringify(formatted)},\n};\n`,
);

// Every built-in template's output for the embedded spec, rendered and formatted by this build's
// code from the spec as the table holds it. Only the bundle built next (scripts/bundle.mjs) serves
// it: it carries the same build id, as no other code can be trusted to render the same.
const tableSpec = JSON.parse(JSON.stringify(spec));
const files = {};
for (const target of Object.values(TARGETS)) {
  const { files: generated } = await generate(tableSpec, target);
  target.files.forEach((file, i) => {
    const key = `${target.lang}/${file.template}`;
    const { contents } = generated[i];
    files[key] = { ...read[key], contents, sha256: sha256(contents) };
  });
}
const spec256 = sha256(JSON.stringify(tableSpec));
const body = { spec: { sha1: sha1(specText), size: Buffer.byteLength(specText), value: tableSpec, sha256: spec256 }, files };
const build = createHash("sha1").update(JSON.stringify(body)).update(readFileSync(out)).digest("hex");
// As src/precompiled.ts reads it: a line of JSON in ASCII (other characters as escapes), where each
// file's contents are replaced by where their UTF-8 bytes lie after that line; then those bytes.
const bytes = [];
let at = 0;
const index = {};
for (const [key, { contents, ...rest }] of Object.entries(files)) {
  const b = Buffer.from(contents, "utf8");
  index[key] = { ...rest, at, bytes: b.length, ascii: b.length === contents.length };
  bytes.push(b);
  at += b.length;
}
const head = JSON.stringify({ build, spec: body.spec, files: index }).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
writeFileSync(fileURLToPath(new URL("../dist/rendered.generated.bin", import.meta.url)), Buffer.concat([Buffer.from(`${head}\n`), ...bytes]));
