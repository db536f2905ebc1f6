// Injected into the CommonJS bundle (scripts/bundle.mjs) for `import.meta.url`, which CommonJS
// lacks: the bundle's own URL, in dist/ as tsc's modules are.
export const importMetaUrl = require("node:url").pathToFileURL(__filename).href;
