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

export const go: Target = {
  lang: "go",
  naming: { field: goName, type: goWords, eventField: goWords },
  helpers: { str: jsonLiteral },
  files: [
    { template: "runtime.go.hbs", path: "fgruntime/runtime.go", owner: "generated" },
    { template: "main.go.hbs", path: "main.go", owner: "user" },
    { template: "go.mod.hbs", path: "go.mod", owner: "user" },
    { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
    { template: "README.md.hbs", path: "README.md", owner: "generated" },
  ],
};
