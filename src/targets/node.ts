import { jsonLiteral, type Target } from "../target.js";

export const node: Target = {
  lang: "node",
  naming: { field: (camel) => camel },
  helpers: { str: jsonLiteral },
  files: [
    { template: "runtime.mjs.hbs", path: "runtime.mjs", owner: "generated" },
    { template: "bootstrap.hbs", path: "bootstrap", owner: "generated", executable: true },
    { template: "handler.mjs.hbs", path: "handler.mjs", owner: "user" },
    { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
    { template: "README.md.hbs", path: "README.md", owner: "generated" },
  ],
  async format(path, text) {
    if (!path.endsWith(".mjs")) return text;
    // Loaded on first use only: prettier is the heaviest import and only this target needs it.
    const prettier = await import("prettier");
    return prettier.format(text, { parser: "babel", filepath: path });
  },
};
