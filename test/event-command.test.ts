import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { base64Problem, checkEvent } from "../src/eventcheck.js";
import { eventText, SAMPLES_DIR, sampleEvent, triggers, zeroValue } from "../src/events.js";
import { UserError } from "../src/errors.js";
import { loadSpec } from "../src/spec.js";
import { ROOT, runCli } from "./support/outputs.js";

/** `fg-bootgen event`, and the checker of JSON values against the spec's event types it relies on. */
const { spec } = loadSpec();
const types = spec.events.types;
const all = triggers(spec);
const WORK = mkdtempSync(join(tmpdir(), "fg-event-test-"));
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

const event = (opts: Omit<Parameters<typeof eventText>[0], "spec">) => JSON.parse(eventText({ spec, ...opts })) as Record<string, any>;
const fails = (opts: Omit<Parameters<typeof eventText>[0], "spec">) => {
  try {
    eventText({ spec, ...opts });
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error("expected a UserError");
};

describe("every trigger's events fit the schema", () => {
  it("has a trigger for every sample file and a sample for every trigger of the embedded spec", () => {
    expect(all.map((t) => t.trigger).sort()).toEqual(["apig", "async-failure", "cts", "dds", "dis", "kafka", "lts", "obs", "rocketmq", "smn", "timer"]);
    for (const t of all) {
      expect(existsSync(join(SAMPLES_DIR, `${t.trigger}.json`)), t.trigger).toBe(true);
      expect(t.sample, `${t.trigger}: spec/samples/${t.trigger}.json does not fit ${t.type}`).toBe(true);
    }
  });

  it.each(all.map((t) => [t.trigger, t.type]))("%s: the sample, the event built from the schema and the printed event are valid", (trigger, type) => {
    const sample = JSON.parse(readFileSync(join(SAMPLES_DIR, `${trigger}.json`), "utf8"));
    expect(checkEvent(types, type, sample)).toEqual([]);
    expect(checkEvent(types, type, zeroValue(types, type))).toEqual([]);
    expect(checkEvent(types, type, event({ trigger }))).toEqual([]);
    expect(event({ trigger })).toEqual(sample);
  });
});

describe("the checker", () => {
  it("names the place and the problem: type, missing, null, unknown keys, lists, maps", () => {
    const obs = structuredClone(sampleEvent(spec, "obs")) as any;
    obs.Records[0].s3.object.size = "12";
    delete obs.Records[0].eventName;
    obs.Records[0].userIdentity = null;
    obs.Records[0].requestParameters = { a: 1 };
    obs.Records[0].extra = true;
    expect(checkEvent(types, "ObsEvent", obs)).toEqual([
      "Records[0].eventName: is missing (ObsRecord.eventName is a string)",
      "Records[0].userIdentity: is null (ObsRecord.userIdentity is a ObsUserIdentity)",
      "Records[0].requestParameters.a: must be a string, got the integer 1",
      'Records[0].s3.object.size: must be an integer, got a string ("12")',
      "Records[0].extra: ObsRecord has no field extra (its fields: eventVersion, eventSource, awsRegion, eventTime, eventName, userIdentity, requestParameters, responseElements, s3)",
    ]);
    expect(checkEvent(types, "ObsEvent", { Records: {} })).toEqual(["Records: must be a list of ObsRecord, got an object"]);
    expect(checkEvent(types, "ObsEvent", [])).toEqual(["(top level): must be an object (ObsEvent), got an array"]);
  });

  it("decodes what the schema says is encoded: base64, base64When, JSON inside", () => {
    const lts = structuredClone(sampleEvent(spec, "lts")) as any;
    lts.lts.data = "not base64!";
    expect(checkEvent(types, "LtsEvent", lts)).toEqual(['lts.data: is not valid base64: " " at offset 3 is not a base64 character']);
    const inner = JSON.parse(Buffer.from((sampleEvent(spec, "lts") as any).lts.data, "base64").toString());
    inner.logs = JSON.stringify([{ message: 1 }]);
    lts.lts.data = Buffer.from(JSON.stringify(inner)).toString("base64");
    const problems = checkEvent(types, "LtsEvent", lts);
    expect(problems[0]).toBe("lts.data(decoded).logs(decoded)[0].message: must be a string, got the integer 1");
    const apig = { ...sampleEvent(spec, "apig"), body: "{}", isBase64Encoded: true };
    expect(checkEvent(types, "ApigRequest", apig)).toEqual(['body: is not valid base64: "{" at offset 0 is not a base64 character']);
    expect(checkEvent(types, "ApigRequest", { ...apig, isBase64Encoded: false })).toEqual([]);
  });

  it("lenient mode reads as the decoders do: missing and null are zero values, unknown keys ignored", () => {
    expect(checkEvent(types, "ApigResponse", { statusCode: 200, extra: 1, headers: null }, { mode: "lenient" })).toEqual([]);
    expect(checkEvent(types, "ApigResponse", { statusCode: 200, body: 5 }, { mode: "lenient" })).toEqual(["body: must be a string, got the integer 5"]);
  });

  it("takes base64 with and without padding, nothing else", () => {
    for (const ok of ["", "aGk=", "aGk", "aGVsbG8=", "aGVsbG8", "YQ==", "YQ", "+/+/"]) expect(base64Problem(ok), ok).toBeUndefined();
    for (const bad of ["a", "aGk==", "aG=k", "a b=", "aGk*", "YQ="]) expect(base64Problem(bad), bad).toBeDefined();
  });
});

describe("fg-bootgen event: flags", () => {
  it("apig: --method --path --body --query --header, the body base64 as API Gateway sends it", () => {
    const e = event({ trigger: "apig", method: "post", path: "/orders", body: '{"id":1}', query: ["verbose=1", "flag"], header: ["Content-Type=application/json"] });
    expect(e.httpMethod).toBe("POST");
    expect(e.path).toBe("/orders");
    expect(e.isBase64Encoded).toBe(true);
    expect(Buffer.from(e.body, "base64").toString()).toBe('{"id":1}');
    expect(e.queryStringParameters).toEqual({ verbose: "1", flag: "" });
    expect(e.headers).toEqual({ "content-type": "application/json" });
    expect(e.pathParameters).toEqual({});
    expect(checkEvent(types, "ApigRequest", e)).toEqual([]);
  });

  it("apig: --body @FILE reads bytes; a body over the APIG limit is refused", () => {
    const file = join(WORK, "bin");
    writeFileSync(file, Buffer.from([0, 255, 1]));
    expect(Buffer.from(event({ trigger: "apig", body: `@${file}` }).body, "base64")).toEqual(Buffer.from([0, 255, 1]));
    writeFileSync(file, Buffer.alloc(spec.events.apig.maxBytes + 1));
    expect(fails({ trigger: "apig", body: `@${file}` })).toBe(`--body: ${spec.events.apig.maxBytes + 1} bytes is over API Gateway's limit of 4194304 bytes (events.apig.maxBytes)`);
  });

  it("obs: --bucket --key; timer: --trigger-name --user-event --time", () => {
    const o = event({ trigger: "obs", bucket: "b", key: "k/1.txt" });
    expect(o.Records[0].s3.bucket.name).toBe("b");
    expect(o.Records[0].s3.bucket.arn).toBe("arn:aws:s3:::b");
    expect(o.Records[0].s3.object.key).toBe("k/1.txt");
    const t = event({ trigger: "timer", triggerName: "hourly", userEvent: "go", time: "2026-12-01T00:00:00Z" });
    expect(t).toMatchObject({ trigger_name: "hourly", user_event: "go", time: "2026-12-01T00:00:00Z", trigger_type: "TIMER" });
  });

  it("--set types values by the schema: integers, booleans, map keys, list items, whole objects", () => {
    const o = event({ trigger: "obs", set: ["Records.0.s3.object.size=42", "Records.0.requestParameters.x.y=z", "Records.1.eventName=ObjectRemoved:Delete"] });
    expect(o.Records[0].s3.object.size).toBe(42);
    expect(o.Records[0].requestParameters).toEqual({ sourceIPAddress: "198.51.100.23", "x.y": "z" });
    expect(o.Records).toHaveLength(2);
    expect(o.Records[1].eventName).toBe("ObjectRemoved:Delete");
    expect(checkEvent(types, "ObsEvent", o)).toEqual([]);
    const a = event({ trigger: "apig", set: ["isBase64Encoded=false", "body=plain", 'pathParameters={"id":"7"}'] });
    expect(a).toMatchObject({ isBase64Encoded: false, body: "plain", pathParameters: { id: "7" } });
    const k = event({ trigger: "kafka", set: ["records.0.messages.0=hello", "event_time=1700000000"] });
    expect(k.records[0].messages[0]).toBe("hello");
    expect(k.event_time).toBe(1700000000);
  });

  it("errors: unknown trigger, unknown field (naming the known ones), wrong type, a flag of another trigger", () => {
    expect(fails({ trigger: "nope" })).toMatch(/^unknown trigger nope: pick one of apig, timer, obs, .* \(fg-bootgen event --list describes them\)$/);
    expect(fails({ trigger: "obs", set: ["Records.0.s3.buckett.name=b"] })).toBe(
      "--set Records.0.s3.buckett.name: ObsEntity has no field buckett (at Records.0.s3); its fields: s3SchemaVersion, configurationId, bucket, object",
    );
    expect(fails({ trigger: "obs", set: ["Records.0.s3.object.size=big"] })).toBe('--set Records.0.s3.object.size: Records.0.s3.object.size is an integer; "big" is not one');
    expect(fails({ trigger: "apig", set: ["isBase64Encoded=yes"] })).toBe('--set isBase64Encoded: isBase64Encoded is a boolean; "yes" is not one');
    expect(fails({ trigger: "obs", set: ["Records.5.eventName=x"] })).toMatch(/^--set Records\.5\.eventName: Records is a list of 1 item\(s\): 5 is not an index of it/);
    expect(fails({ trigger: "timer", bucket: "b" })).toMatch(/^--bucket is for the obs trigger, not timer; use --set FIELD=VALUE for TimerEvent's fields \(version, time/);
    expect(fails({ trigger: "apig", path: "orders" })).toMatch(/^--path orders: a request path starts with \//);
  });

  it("--list lists every trigger with its type", () => {
    const lines = eventText({ spec, list: true }).trimEnd().split("\n");
    expect(lines).toHaveLength(all.length);
    expect(lines[0]).toMatch(/^apig +ApigRequest +an HTTP request that API Gateway passes to the function$/);
  });
});

describe("fg-bootgen event, the real CLI", () => {
  it("prints JSON, exit 0; bad input is one line, exit 2", () => {
    const ok = runCli(["event", "apig", "--method", "POST", "--path", "/orders", "--body", '{"id":1}']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ httpMethod: "POST", path: "/orders", body: "eyJpZCI6MX0=" });
    for (const args of [["event", "nope"], ["event", "obs", "--set", "nope=1"], ["event"]]) {
      const r = runCli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
    }
    const list = runCli(["event", "--list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("async-failure");
  });

  it("a user's --spec adds a trigger, built from its schema", () => {
    const file = join(WORK, "spec.yaml");
    const own = readFileSync(join(ROOT, "spec/functiongraph.yaml"), "utf8").replace(
      "  types:\n    ApigRequest:\n",
      "  types:\n    WebhookEvent:\n      trigger: webhook\n      description: a webhook\n      fields:\n        - { name: id, type: integer, description: the ID }\n        - { name: tags, type: string, list: true, description: tags }\n        - { name: payload, type: string, decode: { base64: true, json: WebhookPayload }, description: the payload }\n    WebhookPayload:\n      description: the payload\n      fields:\n        - { name: ok, type: boolean, description: ok }\n    ApigRequest:\n",
    );
    writeFileSync(file, own);
    const r = runCli(["event", "webhook", "--spec", file, "--set", "id=7", "--set", "tags.0=a"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: 7, tags: ["a"], payload: Buffer.from('{"ok":false}').toString("base64") });
    expect(runCli(["event", "--list", "--spec", file]).stdout).toMatch(/^webhook +WebhookEvent +a webhook \(built from the schema\)$/m);
  });

  it("pipes into fg-bootgen emulate --event=-", () => {
    const dir = join(WORK, "fn");
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(ROOT, "test/conformance/fake-bootstrap.mjs"), join(dir, "fake.mjs"));
    writeFileSync(join(dir, "bootstrap"), '#!/bin/sh\nexec node "$(dirname "$0")/fake.mjs"\n');
    chmodSync(join(dir, "bootstrap"), 0o755);
    const printed = runCli(["event", "timer", "--user-event", "piped"]).stdout;
    const r = runCli(["emulate", "--dir", dir, "--event=-"], { input: printed });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"user_event": "piped"');
  });
});
