import type { Target } from "../target.js";
import { go } from "./go.js";
import { node } from "./node.js";
import { python } from "./python.js";
import { rust } from "./rust.js";
import { shell } from "./shell.js";

export const TARGETS: Record<string, Target> = { shell, go, python, rust, node };
export const LANGS = Object.keys(TARGETS);
