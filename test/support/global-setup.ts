import { execFileSync } from "node:child_process";
import { BUILD_ROOT, LANGS, ROOT, SPECS, generateAndBuild, type SpecName } from "./outputs.js";
import { mkdirSync } from "node:fs";

/**
 * Builds every (spec, language) output once, with its own Makefile, before any test runs: the
 * builds are the slow part, and every behaviour test reuses them. A missing toolchain fails here.
 */
export default function setup(): void {
  execFileSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: "inherit" });
  mkdirSync(BUILD_ROOT, { recursive: true });
  for (const spec of Object.keys(SPECS) as SpecName[]) {
    for (const lang of LANGS) generateAndBuild(spec, lang);
  }
}
