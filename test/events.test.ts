import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SPEC_PATH, REQUEST_ROLES, loadSpec } from "../src/spec.js";
import type { BuildProbe, Probe, ProbeResult } from "./events/probe.js";
import { LANGS, ROOT, buildDir, runCli, type Lang } from "./support/outputs.js";

/**
 * The generated event types of every language, against the sample event of every trigger
 * (spec/samples/<trigger>.json): each language's probe decodes the sample with the generated
 * type and decode helpers, and what it holds must be the sample, field for field, and the
 * helpers' results what the sample encodes. A field renamed in the schema breaks it in every
 * language (the mutation test at the end).
 */
const SAMPLES_DIR = join(ROOT, "spec/samples");
const spec = loadSpec().spec;
const samples: Record<string, string> = Object.fromEntries(
  readdirSync(SAMPLES_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => [f.slice(0, -".json".length), readFileSync(join(SAMPLES_DIR, f), "utf8")]),
);
const work = mkdtempSync(join(tmpdir(), "fg-events-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const probes = new Map<Lang, BuildProbe>();
async function probeBuilder(lang: Lang): Promise<BuildProbe> {
  let build = probes.get(lang);
  if (!build) {
    // Vite resolves a dynamic import with a variable only for .js names it can list; the probes are .ts.
    build = ((await import(/* @vite-ignore */ `./events/${lang}.ts`)) as { buildProbe: BuildProbe }).buildProbe;
    probes.set(lang, build);
  }
  return build;
}

const apigRequest = spec.events.types[spec.events.apig.request]!;
// The roles every language reads (the shell's probe reports just these).
const roleKeys = apigRequest.fields.filter((f) => (REQUEST_ROLES as readonly string[]).includes(f.role ?? "")).map((f) => f.name);

/** What a probe must report for a sample: the sample itself (shell: its APIG role fields) and the decoded parts. */
function expected(trigger: string, sampleText: string, partial: boolean): ProbeResult {
  const sample = JSON.parse(sampleText) as Record<string, unknown>;
  const text = (b64: unknown) => Buffer.from(String(b64), "base64").toString("utf8");
  const decoded: Record<string, unknown> = {};
  if (trigger === "apig") {
    const body = String(sample.body ?? "");
    decoded.body = sample.isBase64Encoded ? text(body) : body;
  } else if (trigger === "dis") {
    decoded.data = (sample.Message as { records: { data: string }[] }).records.map((r) => text(r.data));
  } else if (trigger === "lts") {
    const data = JSON.parse(text((sample.lts as { data: string }).data)) as { logs: string };
    decoded.data = data;
    decoded.logs = JSON.parse(data.logs);
  }
  const event = partial ? Object.fromEntries(roleKeys.filter((k) => k in sample).map((k) => [k, sample[k]])) : sample;
  return { event, decoded };
}

it("every trigger of the embedded spec has a sample event, and every sample a trigger", () => {
  const triggers = Object.values(spec.events.types)
    .map((t) => t.trigger)
    .filter((t): t is string => t !== undefined)
    .sort();
  expect(Object.keys(samples).sort()).toEqual(triggers);
});

describe.each(LANGS)("events: %s", (lang) => {
  let probe: Probe;
  beforeAll(async () => {
    probe = (await probeBuilder(lang))(buildDir("default", lang), mkdtempSync(join(work, `${lang}-`)));
  }, 600_000);

  it("covers every trigger (shell: the APIG request)", () => {
    expect([...probe.triggers].sort()).toEqual(lang === "shell" ? ["apig"] : Object.keys(samples).sort());
  });

  it.each(lang === "shell" ? ["apig"] : Object.keys(samples).sort())("decodes the %s sample field for field", (trigger) => {
    const got = probe.decode(trigger, samples[trigger]!);
    const want = expected(trigger, samples[trigger]!, lang === "shell");
    expect(got.event, `${lang}: the ${trigger} sample as the generated type holds it`).toEqual(want.event);
    expect(got.decoded, `${lang}: the decode helpers on the ${trigger} sample`).toEqual(want.decoded);
  });

  it.skipIf(lang === "shell" || lang === "go" || lang === "rust")("type-checks every sample as a literal of its type", () => {
    expect(probe.typecheck, `${lang} has a static checker for its event types`).toBeDefined();
    probe.typecheck!(samples);
  });
});

describe("a field renamed in the schema breaks every language's event test", () => {
  // httpMethod is read by every language, the shell included; a user's spec replaces the type.
  const source = readFileSync(DEFAULT_SPEC_PATH, "utf8");
  const mutated = source.replace("{ name: httpMethod,", "{ name: httpMethd,");
  const specFile = join(work, "mutated-spec.yaml");

  it("the mutation is a real change of the schema", () => {
    expect(mutated).not.toBe(source);
    writeFileSync(specFile, mutated);
    expect(loadSpec(specFile).spec.events.types.ApigRequest!.fields.some((f) => f.name === "httpMethd")).toBe(true);
  });

  it.each(LANGS)("%s", async (lang) => {
    writeFileSync(specFile, mutated);
    const out = join(work, `mutated-${lang}`);
    const gen = runCli(["--lang", lang, "--out", out, "--spec", specFile]);
    expect(gen.code, gen.stderr).toBe(0);
    const failure = await (async () => {
      try {
        const probe = (await probeBuilder(lang))(out, mkdtempSync(join(work, `mutated-${lang}-`)));
        if (probe.typecheck) {
          try {
            probe.typecheck(samples);
          } catch (err) {
            return `typecheck: ${String(err).slice(0, 200)}`;
          }
        }
        const got = probe.decode("apig", samples.apig!);
        const want = expected("apig", samples.apig!, lang === "shell");
        return isDeepStrictEqual(got.event, want.event) ? undefined : "decoded event differs";
      } catch (err) {
        return `build or decode: ${String(err).slice(0, 200)}`;
      }
    })();
    expect(failure, `${lang}: the renamed field went unnoticed`).toBeDefined();
  }, 600_000);
});
