import { fileURLToPath } from "node:url";

/** What ships with the package, beside dist/: the embedded spec and the built-in templates. */
export const DEFAULT_SPEC_PATH = fileURLToPath(new URL("../spec/functiongraph.yaml", import.meta.url));
export const TEMPLATES_DIR = fileURLToPath(new URL("../templates/", import.meta.url));
