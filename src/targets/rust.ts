import type { EnvModel, EventFieldModel, EventTypeModel, HeaderModel, Model } from "../model.js";
import { UserError } from "../errors.js";
import { snake, type Target } from "../target.js";

/** A Rust string literal: Rust has no \uXXXX escape, only \u{X}. */
export function rustLiteral(value: unknown): string {
  const body = [...String(value)]
    .map((c) => {
      if (c === '"' || c === "\\") return `\\${c}`;
      const code = c.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029 ? `\\u{${code.toString(16)}}` : c;
    })
    .join("");
  return `"${body}"`;
}

/**
 * rustfmt's defaults: lines up to `max_width`, a call's arguments on one line up to `fn_call_width`.
 * Generated lines with spec values that would pass either are emitted the way rustfmt breaks them.
 */
const MAX_WIDTH = 100;
const FN_CALL_WIDTH = 60;

/** Whether rustfmt puts the arguments of a call, indented by `indent`, one per line. */
function breaksCall(indent: number, head: string, args: string[], tail: string): boolean {
  const joined = args.join(", ");
  return width(joined) > FN_CALL_WIDTH || indent + width(`${head}(${joined})${tail}`) > MAX_WIDTH;
}

function width(line: string): number {
  return [...line].length;
}

/** Digits in groups of three (`6_291_456`), as clippy's `unreadable_literal` wants from five digits on. */
function groupDigits(digits: string, fromLeft = false): string {
  if (digits.length < 5) return digits;
  const groups: string[] = [];
  if (fromLeft) {
    for (let i = 0; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  } else {
    for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  }
  return groups.join("_");
}

/** A Rust integer literal from the model's text of a whole number. */
export function intLiteral(text: string): string {
  const match = /^(-?)(\d+)$/.exec(text);
  if (!match) throw new Error(`not a whole number for a Rust integer literal: ${text}`);
  return `${match[1]}${groupDigits(match[2]!)}`;
}

/** A Rust f64 literal from the model's text of a number (always with a point or an exponent). */
export function floatLiteral(text: string): string {
  const n = Number(text);
  if (Number.isNaN(n)) return "f64::NAN";
  if (!Number.isFinite(n)) return n > 0 ? "f64::INFINITY" : "f64::NEG_INFINITY";
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(n));
  if (!match) throw new Error(`not a number for a Rust float literal: ${text}`);
  const [, sign, whole, fraction, exponent] = match;
  const exp = exponent === undefined ? "" : `e${exponent.replace(/^\+/, "")}`;
  return `${sign}${groupDigits(whole!)}.${groupDigits(fraction ?? "0", true)}${exp}`;
}

function envField(e: EnvModel) {
  const [rustType, reader] = e.isString ? ["String", "env_string"] : e.isInteger ? ["i64", "env_integer"] : ["f64", "env_number"];
  const fallback = e.hasDefault ? e.default : e.isString ? "" : "0";
  const literal = e.isString ? rustLiteral(fallback) : e.isInteger ? intLiteral(fallback) : floatLiteral(fallback);
  // Function::from_env's struct literal is indented by 12 spaces.
  const wrap = breaksCall(12, `${e.id}: ${reader}`, [rustLiteral(e.name), literal], ",");
  return { ...e, rustType, reader, literal, wrap, doc: rustDocInline(e.description) };
}

function headerField(h: HeaderModel) {
  // Runtime::next's statements are indented by 8 spaces.
  const target = `context.${h.id}${h.secret ? ".0" : ""}`;
  const wrap = breaksCall(8, "replace", [`&mut ${target}`, `client.header(${rustLiteral(h.name)})`], ";");
  return { ...h, target, wrap, doc: rustDocInline(h.description) };
}

/** A `Duration` of whole milliseconds, in seconds when that is exact (clippy's `duration_suboptimal_units`). */
function duration(ms: number): string {
  return ms % 1000 === 0 ? `Duration::from_secs(${intLiteral(String(ms / 1000))})` : `Duration::from_millis(${intLiteral(String(ms))})`;
}

/** `const NAME: &str = "value";`, broken after `=` as rustfmt does when the line is too long. */
function strConst(name: unknown, value: unknown): string {
  const line = `const ${String(name)}: &str = ${rustLiteral(value)};`;
  return width(line) > MAX_WIDTH ? `const ${String(name)}: &str =\n    ${rustLiteral(value)};` : line;
}

// Strict and reserved keywords, which a field needs as a raw identifier (`r#type`).
const KEYWORDS = new Set(
  ("as break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref " +
    "return static struct super trait true type unsafe use where while async await dyn abstract become box do " +
    "final macro override priv typeof unsized virtual yield try gen").split(" "),
);

// Keywords that cannot be raw identifiers either: a field takes a trailing underscore instead.
const NOT_RAW = new Set(["self", "super", "crate"]);

/** A struct field from a JSON key: snake_case, a raw identifier where it is a keyword. */
export function rustField(key: string): string {
  const id = snake(key);
  if (NOT_RAW.has(id)) return `${id}_`;
  return KEYWORDS.has(id) ? `r#${id}` : id;
}

/**
 * Type names an event type cannot take in Rust: what events.rs and the scaffold import or
 * define beside the event types, and the prelude's types, which the fields use.
 */
const TAKEN_TYPE_NAMES = new Set([
  ..."Cow HashMap Deserialize Deserializer Serialize Value DecodeError".split(" "),
  ..."Context Error Echo".split(" "),
  ..."Self String Vec Option Result Box Default Clone Debug PartialEq".split(" "),
]);

function checkNames(model: Model): void {
  for (const t of model.events.types) {
    if (TAKEN_TYPE_NAMES.has(t.id)) throw new UserError(`--spec: event type ${t.name} would clash with Rust's ${t.id} in the generated code: rename it`);
  }
}

/** rustfmt's `attr_fn_like_width`: the arguments of an attribute on one line up to this width. */
const ATTR_WIDTH = 70;

/**
 * A spec description as rustdoc text: identifiers and CamelCase names in backticks, as clippy's
 * `doc_markdown` wants (`isBase64Encoded`, `ObjectCreated:Put`, `LtsData`).
 */
export function rustDoc(text: string): string {
  return rustDocInline(text.charAt(0).toUpperCase() + text.slice(1));
}

/** `rustDoc` for text inside a sentence: identifiers in backticks, the first letter as it is. */
export function rustDocInline(text: string): string {
  return text.replace(/`[^`]*`|[^\s`()]+/g, (token) => {
    if (token.startsWith("`")) return token;
    const [, word = "", tail = ""] = /^(.*?)([.,;!?]*)$/.exec(token) ?? [];
    const stem = word.replace(/s$/, "");
    const camel = /^[A-Z]/.test(stem) && (stem.match(/[A-Z]/g) ?? []).length > 1 && /[a-z]/.test(stem);
    return camel || /[a-z][A-Z]|_|::/.test(word) ? `\`${word}\`${tail}` : token;
  });
}

function scalarType(f: EventFieldModel): string {
  if (f.isRef) return f.ref;
  if (f.isString) return "String";
  if (f.isInteger) return "i64";
  if (f.isNumber) return "f64";
  if (f.isBoolean) return "bool";
  if (f.isMap) return "HashMap<String, String>";
  return "Value";
}

/** The field's name without the raw-identifier prefix: serde's name for it, and a method suffix. */
const bare = (id: string) => id.replace(/^r#/, "");

/** A decode helper: its method, what it returns, and the base64 argument of `bytes(text, base64)`. */
function decoder(f: EventFieldModel) {
  const d = f.decode!;
  const json = d.json ? (d.jsonList ? `Vec<${d.json}>` : d.json) : "";
  const base64 = d.base64 ? "true" : d.base64When ? `self.${d.base64When.id}` : "false";
  const decoded = d.base64 ? " base64-decoded" : d.base64When ? ` base64-decoded when \`${d.base64When.key}\` is true` : "";
  const summary = json
    ? `\`${f.key}\`${decoded ? `,${decoded},` : ""} parsed as ${d.jsonList ? "a list of " : ""}[\`${d.json}\`].`
    : `The bytes of \`${f.key}\`,${decoded}${d.base64When ? " (else its UTF-8 bytes)" : ""}.`;
  const errors = json ? `When the text is not ${base64 !== "false" ? "base64 of " : ""}JSON of that type.` : "When the text is not base64.";
  // The method's body: the text's bytes (`decoded`), then those bytes or the JSON they hold.
  const args = [`&self.${f.id}`, base64];
  const call = breaksCall(8, "let decoded = bytes", args, "?;")
    ? `let decoded = bytes(\n            ${args.join(",\n            ")},\n        )?;`
    : `let decoded = bytes(${args.join(", ")})?;`;
  const body = !json
    ? [call, "Ok(decoded.into_owned())"]
    : base64 === "false"
      ? [`Ok(serde_json::from_str(&self.${f.id})?)`]
      : [call, "Ok(serde_json::from_slice(&decoded)?)"];
  return { ...f, method: `decode_${bare(f.id).replace(/_$/, "")}`, returns: json || "Vec<u8>", base64, summary, errors, body };
}

function eventField(f: EventFieldModel) {
  const scalar = scalarType(f);
  const rustType = f.list ? `Vec<${scalar}>` : scalar;
  const args: string[] = [];
  if (bare(f.id) !== f.key) args.push(`rename = ${rustLiteral(f.key)}`);
  // serde_json::Value takes null as Value::Null, its default; everything else needs the mapping.
  if (!(f.isJson && !f.list)) args.push('deserialize_with = "null_default"');
  const joined = args.join(", ");
  const attr =
    args.length === 0
      ? ""
      : width(joined) > ATTR_WIDTH || 4 + width(`#[serde(${joined})]`) > MAX_WIDTH
        ? `#[serde(\n        ${args.join(",\n        ")}\n    )]`
        : `#[serde(${joined})]`;
  return { ...f, rustType, attr, hasAttr: attr !== "", doc: rustDoc(f.description) };
}

function eventType(t: EventTypeModel, model: Model) {
  const decoders = t.decoders.map(decoder);
  const apig = model.events.apig;
  // The APIG request's body always has a helper (base64 when the base64 role says so): the scaffold uses it.
  if (t.name === apig.request.name && !decoders.some((d) => d.key === apig.body.key)) {
    decoders.push(decoder({ ...apig.body, decode: { base64: false, base64When: { key: apig.base64.key, id: apig.base64.id }, json: "", jsonList: false } }));
  }
  return {
    ...t,
    doc: rustDoc(t.description),
    fields: t.fields.map(eventField),
    decoders,
    hasDecoders: decoders.length > 0,
  };
}

export const rust: Target = {
  lang: "rust",
  naming: { field: snake, type: (name) => name, eventField: rustField },
  helpers: { str: rustLiteral, strConst },
  files: [
    { template: "fgruntime-mod.rs.hbs", path: "src/fgruntime/mod.rs", owner: "generated" },
    { template: "fgruntime-runtime.rs.hbs", path: "src/fgruntime/runtime.rs", owner: "generated" },
    { template: "fgruntime-http.rs.hbs", path: "src/fgruntime/http.rs", owner: "generated" },
    { template: "fgruntime-context.rs.hbs", path: "src/fgruntime/context.rs", owner: "generated" },
    { template: "fgruntime-error.rs.hbs", path: "src/fgruntime/error.rs", owner: "generated" },
    { template: "fgruntime-log.rs.hbs", path: "src/fgruntime/log.rs", owner: "generated" },
    { template: "fgruntime-json.rs.hbs", path: "src/fgruntime/json.rs", owner: "generated" },
    { template: "fgruntime-events.rs.hbs", path: "src/fgruntime/events.rs", owner: "generated" },
    { template: "fgruntime-base64.rs.hbs", path: "src/fgruntime/base64.rs", owner: "generated" },
    { template: "fgruntime-panic.rs.hbs", path: "src/fgruntime/panic.rs", owner: "generated" },
    { template: "fgruntime-shutdown.rs.hbs", path: "src/fgruntime/shutdown.rs", owner: "generated" },
    { template: "main.rs.hbs", path: "src/main.rs", owner: "user" },
    { template: "Cargo.toml.hbs", path: "Cargo.toml", owner: "user" },
    { template: "Cargo.lock.hbs", path: "Cargo.lock", owner: "user" },
    { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
    { template: "README.md.hbs", path: "README.md", owner: "generated" },
  ],
  decorate(model: Model) {
    checkNames(model);
    const types = model.events.types.map((t) => eventType(t, model));
    const fields = model.events.types.flatMap((t) => t.fields);
    const apig = model.events.apig;
    const requestType = types.find((t) => t.name === apig.request.name)!;
    const roles = new Set([apig.status.key, apig.responseHeaders.key, apig.responseBody.key, apig.responseBase64.key]);
    return {
      env: model.env.map(envField),
      headers: model.headers.map(headerField),
      hasInteger: model.env.some((e) => e.isInteger),
      hasNumber: model.env.some((e) => e.isNumber),
      backoffInitial: duration(model.backoff.initialMs),
      backoffMax: duration(model.backoff.maxMs),
      maxResponseBytesLiteral: intLiteral(String(model.maxResponseBytes)),
      maxLogLineBytesLiteral: intLiteral(String(model.maxLogLineBytes)),
      shutdownGrace: duration(model.shutdownGraceMs),
      maxStackFramesLiteral: intLiteral(String(model.maxStackFrames)),
      eventTypes: types,
      eventsUseJson: fields.some((f) => f.isJson),
      // The event type the docs' examples parse: a trigger's other than API Gateway's, when there is one.
      exampleEvent: (model.events.triggers.find((t) => t.name !== apig.request.name) ?? apig.request).id,
      apigBodyMethod: requestType.decoders.find((d) => d.key === apig.body.key)!.method,
      // Fields of the response type beyond the four roles take their defaults in the builders.
      apigResponseHasOthers: apig.response.fields.some((f) => !roles.has(f.key)),
      apigMaxBytesLiteral: intLiteral(String(apig.maxBytes)),
      // The builders' struct literal: `field: value`, or the shorthand where the two are spelled alike.
      apigInits: [
        [apig.status.id, "200"],
        [apig.responseHeaders.id, "headers"],
        [apig.responseBody.id, "body"],
        [apig.responseBase64.id, "base64"],
      ].map(([id, value]) => (id === value ? id : `${id}: ${value}`)),
    };
  },
};
