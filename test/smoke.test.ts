import { afterEach, describe, expect, it } from "vitest";
import { RuntimeApi } from "../src/emulator/api.js";
import { loadSpec } from "../src/spec.js";
import { LANGS, SPECS, buildDir, startBootstrap, type RunningBootstrap, type SpecName } from "./support/outputs.js";


let running: RunningBootstrap | undefined;
let api: RuntimeApi | undefined;
afterEach(async () => {
  await running?.stop();
  await api?.close();
  running = api = undefined;
});

describe.each(Object.keys(SPECS) as SpecName[])("smoke, %s spec", (specName) => {
  it.each(LANGS)("%s: answers a JSON event and reports an invalid one as an error", async (lang) => {
    const { spec } = loadSpec(SPECS[specName]);
    api = new RuntimeApi(spec);
    const addr = await api.listen();
    running = startBootstrap(buildDir(specName, lang), addr, { RUNTIME_TIMEOUT: "30" });

    const event = '{"hello": "wörld", "n": [1, 2.5, null]}';
    const ok = await api.invoke(event);
    expect(ok.kind, running.stderr()).toBe("response");
    // The scaffold's APIG envelope around a JSON event that is not an APIG request: its text as the body.
    expect(JSON.parse(ok.body.toString("utf8"))).toEqual({
      statusCode: 200,
      isBase64Encoded: false,
      headers: { "Content-Type": "application/json" },
      body: event,
    });

    const bad = await api.invoke("{not json");
    expect(bad.kind).toBe("error");
    const error = JSON.parse(bad.body.toString("utf8")) as Record<string, unknown>;
    // The stack trace is optional (docs/runtime-contract.md): where a language knows one.
    const keys = [spec.errors.typeField, spec.errors.messageField];
    expect(Object.keys(error).slice(0, 2)).toEqual(keys);
    expect(Object.keys(error).slice(2)).toEqual(spec.errors.stackTraceField && Object.keys(error).length > 2 ? [spec.errors.stackTraceField] : []);
    expect(error[spec.errors.typeField]).toBe(spec.errors.types.handler);
    expect(String(error[spec.errors.messageField])).not.toBe("");
  });
});
