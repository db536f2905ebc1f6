import { camelToPascal, jsonLiteral, type Target } from "../target.js";

// Go spells initialisms in one case (golint's list, the ones a runtime spec is likely to use).
const INITIALISMS = new Set(["Api", "Cpu", "Id", "Ip", "Http", "Json", "Mb", "Url", "Uri", "Ttl", "Iam", "Sdk"]);

export function goName(camel: string): string {
  return camelToPascal(camel)
    .split(/(?=[A-Z])/)
    .map((word) => (INITIALISMS.has(word) ? word.toUpperCase() : word))
    .join("");
}

export const go: Target = {
  lang: "go",
  naming: { field: goName },
  helpers: { str: jsonLiteral },
  files: [
    { template: "runtime.go.hbs", path: "fgruntime/runtime.go", owner: "generated" },
    { template: "main.go.hbs", path: "main.go", owner: "user" },
    { template: "go.mod.hbs", path: "go.mod", owner: "user" },
    { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
    { template: "README.md.hbs", path: "README.md", owner: "generated" },
  ],
};
