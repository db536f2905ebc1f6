import { UserError } from "../errors.js";
import type { EventFieldModel, EventTypeModel, Model } from "../model.js";
import { camelToPascal, jsonLiteral, words, type Target } from "../target.js";

// Go spells initialisms in one case (golint's list, the ones a runtime spec is likely to use,
// and the names of the Huawei Cloud services whose events the spec describes).
const INITIALISMS = new Set([
  "Api", "Cpu", "Id", "Ip", "Http", "Json", "Mb", "Url", "Uri", "Ttl", "Iam", "Sdk", "Arn", "Urn",
  "Apig", "Obs", "Smn", "Dis", "Lts", "Cts", "Dds", "Dms", "Mq",
]);

export function goName(camel: string): string {
  return camelToPascal(camel)
    .split(/(?=[A-Z])/)
    .map((word) => (INITIALISMS.has(word) ? word.toUpperCase() : word))
    .join("");
}

/** An exported Go name from any of the spec's spellings: `event_subscription_urn` -> EventSubscriptionURN. */
export function goWords(name: string): string {
  return words(name)
    .map((w) => camelToPascal(w))
    .map((w) => (INITIALISMS.has(w) ? w.toUpperCase() : w))
    .join("");
}

/** The Go type of an event field (docs/events-contract.md). */
function goFieldType(f: EventFieldModel): string {
  const scalar = f.isRef
    ? f.ref
    : f.isString
      ? "string"
      : f.isInteger
        ? "int64"
        : f.isNumber
          ? "float64"
          : f.isBoolean
            ? "bool"
            : f.isMap
              ? "map[string]string"
              : "json.RawMessage";
  return f.list ? `[]${scalar}` : scalar;
}

/** A receiver name: the first letter of the type's last word (APIGRequest -> r, LTSBody -> b). */
function receiver(specName: string): string {
  const last = specName.split(/(?=[A-Z])/).pop() ?? specName;
  return last.charAt(0).toLowerCase();
}

/** A decode helper's values: the method, its result and the steps the template writes out. */
function goDecoder(t: EventTypeModel, f: EventFieldModel) {
  const d = f.decode!;
  const result = d.json ? (d.jsonList ? `[]${d.json}` : d.json) : "[]byte";
  return {
    ...f,
    method: `Decode${f.id}`,
    recv: receiver(t.name),
    result,
    /** The zero value to return beside an error. */
    zero: d.json && !d.jsonList ? `${d.json}{}` : "nil",
    always: d.base64,
    when: d.base64When,
    plain: !d.base64 && !d.base64When,
    toJson: d.json !== "",
  };
}

/** Package-level names of the events package besides its types (templates/go/apig.go.hbs, decode.go.hbs). */
const EVENTS_PACKAGE_NAMES = [
  "APIGMaxBytes", "APIGJSON", "APIGText", "APIGBinary", "apigResponse", "appendJSONString", "appendJSONMap", "mayHoldKey", "isASCII", "decodeBase64", "decodeJSON",
];

/**
 * The APIG response's fields as its generated AppendJSON writes them (templates/go/apig.go.hbs):
 * each with the JSON text before its value and its kind. Undefined when a field is of a type it
 * does not write, or a key would need escaping: the type then has no AppendJSON, and the scaffold
 * encodes its answers with json.Marshal.
 */
function appendJsonFields(t: EventTypeModel) {
  const fields = t.fields.map((f, i) => ({
    id: f.id,
    prefix: `${i === 0 ? "{" : ","}${JSON.stringify(f.key)}:`,
    isString: f.isString && !f.list && !f.isRef,
    isInteger: f.isInteger && !f.list && !f.isRef,
    isBoolean: f.isBoolean && !f.list && !f.isRef,
    isMap: f.isMap && !f.list && !f.isRef,
    plainKey: /^[A-Za-z0-9_.-]+$/.test(f.key),
  }));
  const written = fields.every((f) => f.plainKey && (f.isString || f.isInteger || f.isBoolean || f.isMap));
  return written && fields.length > 0 ? fields : undefined;
}

/** Names a spec could make clash in Go, which would not compile: said as the user's error. */
function checkNames(types: EventTypeModel[], request: EventTypeModel, response: string): void {
  const taken = new Map([...EVENTS_PACKAGE_NAMES, `Is${request.id}`].map((n) => [n, "a helper of the events package"]));
  for (const t of types) {
    const other = taken.get(t.id);
    if (other) throw new UserError(`--spec: event type ${t.name} is ${t.id} in Go, which is already ${other}: rename it`);
    taken.set(t.id, `type ${t.name}`);
    const members = new Set(t.fields.map((f) => f.id));
    if (t.name === response && members.has("AppendJSON")) throw new UserError(`--spec: ${t.name} has a field that Go spells AppendJSON, the name of a method of the APIG response: rename it`);
    for (const f of t.decoders) {
      const method = `Decode${f.id}`;
      if (members.has(method)) throw new UserError(`--spec: ${t.name} has a field that Go spells ${method}, the name of ${f.key}'s decode helper: rename it`);
    }
  }
}

function decorate(model: Model) {
  const apig = model.events.apig;
  checkNames(model.events.types, apig.request, apig.response.name);
  const types = model.events.types.map((t) => ({
    ...t,
    fields: t.fields.map((f) => ({ ...f, goType: goFieldType(f) })),
    decoders: t.decoders.map((f) => goDecoder(t, f)),
  }));
  const decoders = types.flatMap((t) => t.decoders);
  const request = types.find((t) => t.name === apig.request.name)!;
  const body = request.decoders.find((f) => f.key === apig.body.key)!;
  return {
    events: { ...model.events, types },
    goEvents: {
      /** events.go needs encoding/json for json.RawMessage fields. */
      hasJsonFields: types.some((t) => t.fields.some((f) => f.isJson)),
      /** decode.go needs its JSON helper (and encoding/json) for json decoders. */
      hasJsonDecoders: decoders.some((d) => d.toJson),
      hasBase64Decoders: decoders.some((d) => d.always || d.when),
      /** The APIG request body's helper, for the scaffold. */
      bodyDecoder: body.method,
      /** The APIG request's method key in lower case, for IsAPIGRequest's look at the event's text. */
      methodKeyLower: apig.method.key.toLowerCase(),
      /** The APIG response's fields for its AppendJSON, when it has one. */
      appendJson: appendJsonFields(types.find((t) => t.name === apig.response.name)!),
    },
  };
}

export const go: Target = {
  lang: "go",
  naming: { field: goName, type: goWords, eventField: goWords },
  helpers: { str: jsonLiteral },
  files: [
    { template: "runtime.go.hbs", path: "fgruntime/runtime.go", owner: "generated" },
    { template: "conn.go.hbs", path: "fgruntime/conn.go", owner: "generated" },
    { template: "context.go.hbs", path: "fgruntime/context.go", owner: "generated" },
    { template: "env.go.hbs", path: "fgruntime/env.go", owner: "generated" },
    { template: "errors.go.hbs", path: "fgruntime/errors.go", owner: "generated" },
    { template: "log.go.hbs", path: "fgruntime/log.go", owner: "generated" },
    { template: "json.go.hbs", path: "fgruntime/json.go", owner: "generated" },
    { template: "events.go.hbs", path: "fgruntime/events/events.go", owner: "generated" },
    { template: "decode.go.hbs", path: "fgruntime/events/decode.go", owner: "generated" },
    { template: "apig.go.hbs", path: "fgruntime/events/apig.go", owner: "generated" },
    { template: "main.go.hbs", path: "main.go", owner: "user" },
    { template: "go.mod.hbs", path: "go.mod", owner: "user" },
    { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
    { template: "README.md.hbs", path: "README.md", owner: "generated" },
  ],
  decorate,
};
