// Rewrites golden/ from the current templates, on purpose: read `git diff golden/` afterwards.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// `npm run golden -- go rust` rewrites only those languages.
const all = ["shell", "go", "python", "rust", "node"];
const asked = process.argv.slice(2);
for (const l of asked) if (!all.includes(l)) throw new Error(`unknown language ${l}: one of ${all.join(", ")}`);
const langs = asked.length ? asked : all;
const sets = [
  { dir: "golden", spec: [] },
  { dir: "golden/alt-spec", spec: ["--spec", "test/fixtures/alt-spec.yaml"] },
];
for (const { dir, spec } of sets) {
  for (const lang of langs) {
    const out = `${root}${dir}/${lang}`;
    rmSync(out, { recursive: true, force: true });
    // tsc's dist/cli.js, which always renders: the golden test then holds the bundle (which the
    // tests run, and which serves the build's rendered files) to what rendering gives.
    execFileSync(process.execPath, ["dist/cli.js", "--lang", lang, "--out", out, ...spec], { cwd: root, stdio: "inherit" });
  }
}
console.log("golden/ rewritten: review it with `git diff golden/` before committing");
