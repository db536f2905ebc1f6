import { snake, type Target } from "../target.js";

/** A single-quoted shell word: nothing inside expands. */
export function shellQuote(value: unknown): string {
  return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

/** A case pattern matching a header name in any letter case: X-Id -> [Xx]-[Ii][Dd]. */
export function caseGlob(value: unknown): string {
  return String(value).replace(/[A-Za-z]/g, (c) => `[${c.toUpperCase()}${c.toLowerCase()}]`);
}

export const shell: Target = {
  lang: "shell",
  // The handler sees the context as exported variables: FG_REQUEST_ID, FG_ACCESS_KEY, ...
  naming: { field: (camel) => `FG_${snake(camel).toUpperCase()}`, type: snake, eventField: (key) => key },
  helpers: { str: shellQuote, caseGlob },
  files: [
    { template: "bootstrap.hbs", path: "bootstrap", owner: "generated", executable: true },
    { template: "fgevents.sh.hbs", path: "fgevents.sh", owner: "generated" },
    { template: "handler.sh.hbs", path: "handler.sh", owner: "user" },
    { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
    { template: "README.md.hbs", path: "README.md", owner: "generated" },
  ],
};
