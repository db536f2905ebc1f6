import type { EnvModel, EventFieldModel, EventTypeModel, GetterModel, Model } from "../model.js";
import { snake, type Target } from "../target.js";

/**
 * A Python string literal, quoted the way `ruff format` quotes it (double quotes, unless the value
 * holds more double quotes than single ones), so that the output is already formatted.
 */
export function pyString(value: unknown): string {
  const s = String(value);
  const quote = (s.match(/"/g) ?? []).length > (s.match(/'/g) ?? []).length ? "'" : '"';
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16)}`;
    else out += ch;
  }
  return out + quote;
}

/** A Python float literal for a number's text ("3" becomes "3.0"; "1e+21" stays as it is). */
function pyFloat(text: string): string {
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** How the context module declares and reads one environment variable. */
function pyEnv(e: EnvModel) {
  if (e.isInteger) return { ...e, pyType: "int", reader: "_env_int", pyDefault: e.hasDefault ? e.default : "0" };
  if (e.isNumber) return { ...e, pyType: "float", reader: "_env_float", pyDefault: e.hasDefault ? pyFloat(e.default) : "0.0" };
  return { ...e, pyType: "str", reader: "_env_str", pyDefault: pyString(e.default) };
}

/** A TypedDict value type for an event field (`dict[str, str]`, `list[ObsRecord]`, ...). */
function pyFieldType(f: EventFieldModel): string {
  let t = "object";
  if (f.isString) t = "str";
  else if (f.isInteger) t = "int";
  else if (f.isNumber) t = "float";
  else if (f.isBoolean) t = "bool";
  else if (f.isMap) t = "dict[str, str]";
  else if (f.isRef) t = f.ref;
  return f.list ? `list[${t}]` : t;
}

/**
 * An event type as a TypedDict: its required keys in the class, its optional ones in a
 * `total=False` base class (NotRequired is Python 3.11+; this works from 3.8 on).
 */
function pyEventType(t: EventTypeModel) {
  const fields = t.fields.map((f) => ({ ...f, pyType: pyFieldType(f) }));
  const optional = fields.filter((f) => f.optional);
  return {
    ...t,
    sentence: sentence(t.description),
    required: fields.filter((f) => !f.optional),
    optional,
    hasOptional: optional.length > 0,
    optionalBase: `_${t.id}Optional`,
    decoders: t.decoders.map((f) => pyDecoder(t, f)),
  };
}

/** A description as a docstring's sentence: "an HTTP request" becomes "An HTTP request". */
function sentence(text: string): string {
  return /^[a-z]+\b/.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** One decode helper of the decode module: `dis_record_data(record) -> bytes`. */
function pyDecoder(t: EventTypeModel, f: EventFieldModel) {
  const d = f.decode!;
  const returns = d.json ? (d.jsonList ? `list[${d.json}]` : d.json) : "bytes";
  return {
    ...f,
    fn: `${snake(t.id)}_${snake(f.key)}`,
    param: snake(t.id).split("_").pop()!,
    owner: t.id,
    returns,
    // The function that turns the decoded bytes into the result ("" for bytes).
    parser: d.json !== "",
    base64When: d.base64When,
    base64: d.base64,
    // Everything the helper's docstring says.
    what: d.json ? (d.jsonList ? `a list of ${d.json}` : d.json) : "bytes",
  };
}

/** A context getter: its Python type, what answers it and a description from its source. */
function pyGetter(g: GetterModel, model: Model) {
  const from = g.fromHeader
    ? [model.requestId, ...model.headers].find((h) => h.id === g.id)!
    : model.env.find((e) => e.id === g.id)!;
  return {
    ...g,
    pyType: g.isInteger ? "int" : g.isNumber ? "float" : "str",
    expr: g.fromEnv ? `self.function.${g.id}` : `self.${g.id}`,
    source: g.fromHeader ? `header ${from.name}` : `${from.name}`,
    description: from.description,
  };
}

const FILES: Target["files"] = [
  { template: "fgruntime-init.py.hbs", path: "fgruntime/__init__.py", owner: "generated" },
  { template: "fgruntime-main.py.hbs", path: "fgruntime/__main__.py", owner: "generated" },
  { template: "fgruntime-startup.py.hbs", path: "fgruntime/_startup.py", owner: "generated" },
  { template: "fgruntime-errors.py.hbs", path: "fgruntime/errors.py", owner: "generated" },
  { template: "fgruntime-context.py.hbs", path: "fgruntime/context.py", owner: "generated" },
  { template: "fgruntime-log.py.hbs", path: "fgruntime/log.py", owner: "generated" },
  { template: "fgruntime-runtime.py.hbs", path: "fgruntime/runtime.py", owner: "generated" },
  { template: "fgruntime-events.py.hbs", path: "fgruntime/events.py", owner: "generated" },
  { template: "fgruntime-apig.py.hbs", path: "fgruntime/apig.py", owner: "generated" },
  { template: "fgruntime-decode.py.hbs", path: "fgruntime/decode.py", owner: "generated" },
  { template: "bootstrap.hbs", path: "bootstrap", owner: "generated", executable: true },
  { template: "handler.py.hbs", path: "handler.py", owner: "user" },
  { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
  { template: "README.md.hbs", path: "README.md", owner: "generated" },
];

export const python: Target = {
  lang: "python",
  // Events are TypedDicts over the parsed JSON: their keys are the JSON keys.
  naming: { field: snake, type: (name) => name, eventField: (key) => key },
  helpers: { str: pyString },
  files: FILES,
  decorate(model: Model) {
    const types = model.events.types.map(pyEventType);
    // The spec's entryPoint variable (RUNTIME_HANDLER, "index.handler") picks the handler's
    // module, as the built-in runtimes do.
    const handlerEnv = model.entryPoint;
    const apig = model.events.apig;
    const apigBody = types.find((t) => t.name === apig.request.name)!.decoders.find((d) => d.key === apig.body.key);
    return {
      env: model.env.map(pyEnv),
      // The runtime package's modules, for the Makefile.
      pyRuntimeFiles: FILES.filter((f) => f.path.startsWith("fgruntime/")).map((f) => f.path),
      // The decode helper of the APIG request's body, which the scaffold calls.
      apigBodyDecoder: apigBody?.fn ?? "",
      getters: model.getters.map((g) => pyGetter(g, model)),
      handlerEnv,
      events: {
        ...model.events,
        types,
        decoders: types.flatMap((t) => t.decoders),
        decodeTypes: [...new Set(types.flatMap((t) => t.decoders.flatMap((d) => [d.owner, ...(d.decode!.json ? [d.decode!.json] : [])])))].sort(),
        hasJsonDecoders: types.some((t) => t.decoders.some((d) => d.parser)),
        hasBase64Decoders: types.some((t) => t.decoders.some((d) => d.base64 || d.base64When !== null)),
      },
    };
  },
};
