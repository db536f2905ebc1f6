import { precompiled, sha1 } from "../precompiled.js";
import { jsonLiteral, type Target, type TargetFile } from "../target.js";

const files: TargetFile[] = [
  { template: "runtime.mjs.hbs", path: "runtime.mjs", owner: "generated" },
  { template: "bootstrap.hbs", path: "bootstrap", owner: "generated", executable: true },
  { template: "handler.mjs.hbs", path: "handler.mjs", owner: "user" },
  { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
  { template: "README.md.hbs", path: "README.md", owner: "generated" },
];

/** The user-owned module that exports `handler`; runtime.mjs imports it relative to itself. */
const HANDLER_FILE = files.find((f) => f.owner === "user")!.path;

export const node: Target = {
  lang: "node",
  // The spec's fields are lowerCamelCase already, which is JavaScript's convention; events are
  // plain parsed JSON, so their fields keep their JSON keys.
  naming: { field: (camel) => camel, type: (name) => name, eventField: (key) => key },
  helpers: { str: jsonLiteral },
  files,
  decorate: () => ({ handlerFile: HANDLER_FILE, handlerModule: `./${HANDLER_FILE}` }),
  async format(path, text) {
    if (!path.endsWith(".mjs")) return text;
    const cached = (await precompiled())?.formatted?.[sha1(text)];
    if (cached !== undefined) return cached;
    // Loaded on first use only: prettier is the heaviest import and only this target needs it.
    // The standalone build with just the JavaScript plugins loads in half the time of the full one
    // and formats the same (no config file is consulted either way).
    const [prettier, babel, estree] = await Promise.all([
      import("prettier/standalone"),
      import("prettier/plugins/babel"),
      import("prettier/plugins/estree"),
    ]);
    return prettier.format(text, { parser: "babel", plugins: [babel.default, estree.default] });
  },
};
