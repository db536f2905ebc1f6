import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkGolden } from "./golden.js";
import { CI, Session, VARIANTS, missingTool, removeWork, testBuild, type SessionOptions, type Variant } from "./harness.js";
import { HANDLER_SCENARIOS } from "./handler-scenarios.js";
import { HARDENING_SCENARIOS } from "./hardening-scenarios.js";
import { ALT_SCENARIOS, SCENARIOS, type Scenario } from "./scenarios.js";

/**
 * The conformance matrix: every scenario against the built output of every language (the shell
 * output under dash, bash and busybox ash), over real loopback HTTP through the emulator. A
 * missing shell skips its variant locally and fails it in CI.
 */
afterEach(async () => {
  await Session.stopAll();
});
afterAll(removeWork);

describe.each(VARIANTS)("conformance: $id", (variant: Variant) => {
  const missing = missingTool(variant);
  const sessions: Session[] = [];

  beforeAll(() => {
    if (!missing) testBuild(variant.lang);
  }, 600_000);

  const start = async (opts: SessionOptions) => {
    const s = new Session(variant, opts);
    sessions.push(s);
    return s.start();
  };

  const register = (scenario: Scenario) => {
    const applies = scenario.applies?.(variant) ?? true;
    const name = applies ? scenario.name : `${scenario.name} (n/a for ${variant.id})`;
    it.skipIf(!applies || (missing !== undefined && !CI))(
      name,
      async () => {
        if (missing) throw new Error(`${variant.id}: ${missing} (required in CI)`);
        sessions.length = 0;
        const outcome = await scenario.run(variant, start);
        const { group, transcript } = Array.isArray(outcome) ? { group: scenario.group?.(variant) ?? "all", transcript: outcome } : outcome;
        for (const s of sessions) {
          await s.stop();
          expect([...s.leaks], `${variant.id}: a secret header value reached stdout or stderr\n${s.tail()}`).toEqual([]);
          if (!scenario.kills) expect(s.tmpLeft, `${variant.id}: files left in TMPDIR`).toEqual([]);
        }
        checkGolden(scenario.name, group, variant.id, transcript);
      },
      scenario.timeoutMs ?? 60_000,
    );
  };

  for (const scenario of SCENARIOS) register(scenario);
  for (const scenario of HANDLER_SCENARIOS) register(scenario);
  for (const scenario of HARDENING_SCENARIOS) register(scenario);
  for (const scenario of ALT_SCENARIOS) register(scenario);
});
