import { UserError } from "../errors.js";
import type { EventFieldModel, EventTypeModel, GetterModel, Model } from "../model.js";
import { sha1 } from "../hash.js";
import { precompiled } from "../precompiled.js";
import { camelToPascal, jsonLiteral, words, type Target, type TargetFile } from "../target.js";

const files: TargetFile[] = [
  { template: "runtime.mjs.hbs", path: "runtime.mjs", owner: "generated" },
  { template: "runtime.d.mts.hbs", path: "runtime.d.mts", owner: "generated" },
  { template: "context.mjs.hbs", path: "context.mjs", owner: "generated" },
  { template: "errors.mjs.hbs", path: "errors.mjs", owner: "generated" },
  { template: "log.mjs.hbs", path: "log.mjs", owner: "generated" },
  { template: "events.mjs.hbs", path: "events.mjs", owner: "generated" },
  { template: "events.d.mts.hbs", path: "events.d.mts", owner: "generated" },
  { template: "preflight.cjs.hbs", path: "preflight.cjs", owner: "generated" },
  { template: "bootstrap.hbs", path: "bootstrap", owner: "generated", executable: true },
  { template: "handler.mjs.hbs", path: "handler.mjs", owner: "user" },
  { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
  { template: "README.md.hbs", path: "README.md", owner: "generated" },
];

/** The user-owned module that exports `handler`; runtime.mjs imports it relative to itself. */
const HANDLER_FILE = files.find((f) => f.owner === "user")!.path;
/** The modules the function runs (everything `make package` puts beside bootstrap). */
const MODULES = files.filter((f) => f.path.endsWith(".mjs") || f.path.endsWith(".cjs")).map((f) => f.path);
/** The generated modules alone. */
const RUNTIME_MODULES = MODULES.filter((p) => p !== HANDLER_FILE);
/** The oldest Node.js major version the runtime runs on (bootstrap and preflight.cjs check it). */
const NODE_MIN_MAJOR = 20;
/**
 * Where FunctionGraph's built-in Node.js runtimes may keep their interpreter (globs, newest last
 * when sorted): bootstrap's last resort after the package's bin/node and PATH. Unverified guesses.
 */
const NODE_RUNTIME_FOLDERS = ["/opt/function/runtime/nodejs2[0-9]*", "/opt/function/runtime/nodejs2[0-9]*/rtsp/nodejs", "/home/snuser/runtime/nodejs2[0-9]*"];
/** The declaration files (for a TypeScript handler; not packaged). */
const DECLARATIONS = files.filter((f) => f.path.endsWith(".d.mts")).map((f) => f.path);

/** A field's TypeScript type (docs/events-contract.md). */
function tsType(f: EventFieldModel): string {
  const base = f.isRef
    ? f.ref
    : f.isString
      ? "string"
      : f.isInteger || f.isNumber
        ? "number"
        : f.isBoolean
          ? "boolean"
          : f.isMap
            ? "Record<string, string>"
            : "unknown";
  return f.list ? `${base}[]` : base;
}

const pascal = (key: string) => words(key).map(camelToPascal).join("");

/** One decode helper: `decode<Type><Field>(value)`. */
function decoder(t: EventTypeModel, f: EventFieldModel) {
  const d = f.decode!;
  const parsed = d.json ? (d.jsonList ? `${d.json}[]` : d.json) : "";
  const what = jsonLiteral(`${t.id}.${f.key}`);
  const field = `text(value.${f.id})`;
  const base64 = `fromBase64(${field}, ${what})`;
  const utf8 = `Buffer.from(${field}, "utf8")`;
  const bytes = d.base64 ? base64 : d.base64When ? `value.${d.base64When.id} === true ? ${base64} : ${utf8}` : utf8;
  // The helper's statements: the bytes, or the JSON parsed from the (decoded) text.
  const body = !d.json
    ? [`return ${bytes};`]
    : d.base64 || d.base64When
      ? [`const bytes = ${bytes};`, `return /** @type {${parsed}} */ (parse(bytes.toString("utf8"), ${what}));`]
      : [`return /** @type {${parsed}} */ (parse(${field}, ${what}));`];
  return {
    name: `decode${t.id}${pascal(f.key)}`,
    body,
    jsdocParam: `{${t.id}}`,
    jsdocReturns: `{${parsed || "Buffer"}}`,
    type: t.id,
    key: f.key,
    id: f.id,
    description: f.description,
    base64: d.base64,
    base64When: d.base64When,
    json: d.json !== "",
    jsonType: parsed,
    returns: parsed || "Buffer",
  };
}

function getter(g: GetterModel) {
  return {
    ...g,
    tsType: g.isString ? "string" : "number",
    jsdocType: g.isString ? "{string}" : "{number}",
    // Header values are fields of the context (secrets behind private fields), settings of its `function`.
    expr: g.fromHeader ? `this.${g.id}` : `this.function.${g.id}`,
  };
}

function decorate(model: Model) {
  const types = model.events.types.map((t) => ({
    ...t,
    fields: t.fields.map((f) => ({ ...f, tsType: tsType(f), mark: f.optional ? "?" : "" })),
  }));
  const decoders = model.events.types.flatMap((t) => t.decoders.map((f) => decoder(t, f)));
  const seen = new Set<string>();
  for (const d of decoders) {
    if (seen.has(d.name)) throw new UserError(`--spec: two Node decode helpers would be named ${d.name}: rename one of their types or fields`);
    seen.add(d.name);
  }
  const apig = model.events.apig;
  const bodyDecoder = decoders.find((d) => d.type === apig.request.id && d.key === apig.body.key);
  // validateSpec requires the decode of the APIG body, which the scaffold calls.
  if (!bodyDecoder) throw new Error(`the APIG request's body (${apig.request.name}.${apig.body.key}) has no decode helper`);
  const handlerEnv = model.entryPoint;
  return {
    handlerFile: HANDLER_FILE,
    handlerModule: `./${HANDLER_FILE}`,
    modules: MODULES,
    runtimeModules: RUNTIME_MODULES,
    declarations: DECLARATIONS,
    handlerSetting: handlerEnv ? { id: handlerEnv.id, name: handlerEnv.name } : null,
    nodeTypes: types,
    decoders,
    hasDecoders: decoders.length > 0,
    apigBodyDecoder: bodyDecoder.name,
    nodeGetters: model.getters.map(getter),
    jsdocResponse: `{${apig.response.id}}`,
    jsdocIsRequest: `{event is ${apig.request.id}}`,
    // The types events.mjs names in its JSDoc, from events.d.mts.
    jsdocImports: [...new Set([...decoders.flatMap((d) => [d.type, d.jsonType.replace("[]", "")]), apig.request.id, apig.response.id])]
      .filter(Boolean)
      .join(", "),
    hasGetters: model.getters.length > 0,
    nodeMinMajor: NODE_MIN_MAJOR,
    nodeRuntimeFolders: NODE_RUNTIME_FOLDERS,
  };
}

/** prettier's standalone build with the plugins the target formats with, loaded once. */
const loadPrettier = () => Promise.all([import("prettier/standalone"), import("prettier/plugins/babel"), import("prettier/plugins/estree")]);
let prettierModules: ReturnType<typeof loadPrettier> | undefined;

export const node: Target = {
  lang: "node",
  // The spec's fields are lowerCamelCase already, which is JavaScript's convention; events are
  // plain parsed JSON, so their fields keep their JSON keys.
  naming: { field: (camel) => camel, type: (name) => name, eventField: (key) => key },
  helpers: { str: jsonLiteral },
  files,
  decorate,
  async format(path, text) {
    const declaration = path.endsWith(".d.mts");
    if (!path.endsWith(".mjs") && !path.endsWith(".cjs") && !declaration) return text;
    const cached = (await precompiled())?.formatted?.[sha1(text)];
    if (cached !== undefined) return cached;
    // Loaded on first use only: prettier is the heaviest import and only this target needs it.
    // The standalone build with just the JavaScript plugins loads in half the time of the full one
    // and formats the same (no config file is consulted either way); its babel-ts parser formats
    // the declaration files as prettier's typescript parser does, without loading that plugin.
    const [prettier, babel, estree] = await (prettierModules ??= loadPrettier());
    return prettier.format(text, { parser: declaration ? "babel-ts" : "babel", plugins: [babel.default, estree.default] });
  },
};
