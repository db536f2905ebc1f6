import { snake } from "../spec.js";
import type { Target } from "../target.js";

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

export const rust: Target = {
  lang: "rust",
  naming: { field: snake },
  helpers: { str: rustLiteral },
  files: [
    { template: "fgruntime.rs.hbs", path: "src/fgruntime.rs", owner: "generated" },
    { template: "main.rs.hbs", path: "src/main.rs", owner: "user" },
    { template: "Cargo.toml.hbs", path: "Cargo.toml", owner: "user" },
    { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
    { template: "README.md.hbs", path: "README.md", owner: "generated" },
  ],
};
