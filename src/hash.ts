import { createRequire } from "node:module";

// node:crypto is not in node's start-up snapshot: loading it costs a run of fg-bootgen several
// milliseconds (a tenth of generating five languages), so it loads only when a hash is needed.
// The default run needs none: the build computed the hashes of what it serves (src/precompiled.ts).
const require = createRequire(import.meta.url);
let crypto: typeof import("node:crypto") | undefined;

function hex(algorithm: "sha1" | "sha256", text: string): string {
  crypto ??= require("node:crypto") as typeof import("node:crypto");
  return crypto.createHash(algorithm).update(text).digest("hex");
}

export const sha1 = (text: string): string => hex("sha1", text);
export const sha256 = (text: string): string => hex("sha256", text);
