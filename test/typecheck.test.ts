import { expect, it } from "vitest";
import { ROOT } from "./support/outputs.js";
import { check } from "./support/tools.js";

// vitest runs TypeScript without checking its types; the build checks src/ only. This checks
// the tests too (tsconfig.test.json), so that a test cannot drift from the code it drives.
it("the sources and the tests type-check under the strict settings", () => {
  const r = check(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.test.json"], ROOT);
  expect(r.output).toBe("");
  expect(r.status).toBe(0);
}, 120_000);
