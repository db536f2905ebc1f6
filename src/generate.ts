import { join } from "node:path";
import { TEMPLATES_DIR } from "./paths.js";
import { renderedFiles, unchangedSinceBuild } from "./precompiled.js";
import type { Spec } from "./spec.js";
import type { Owner, Target } from "./target.js";

// The id of the build that bundled this code (scripts/bundle.mjs); absent from tsc's dist/.
declare const __FG_BUILD__: string | undefined;

export interface GeneratedFile {
  path: string;
  contents: string;
  owner: Owner;
  executable: boolean;
  /** The SHA-256 of the contents, when the build computed it (the manifest records it). */
  sha256?: string;
}

/** Renders every file of one target in memory; nothing touches the disk here. */
export async function generate(
  spec: Spec,
  target: Target,
  templatesDir?: string,
): Promise<{ files: GeneratedFile[]; overridden: string[] }> {
  const built = templatesDir === undefined ? builtFiles(spec, target) : undefined;
  if (built) return { files: built, overridden: [] };
  // Rendering loads the model and Handlebars only when the build's files do not answer.
  const [{ buildModel }, { createRenderer }] = await Promise.all([import("./model.js"), import("./render.js")]);
  const model = buildModel(spec, target.naming);
  const context = { ...model, ...target.decorate?.(model) };
  const renderer = createRenderer(target, templatesDir);
  const files: GeneratedFile[] = [];
  for (const file of target.files) {
    const text = await renderer.render(file.template, context);
    files.push({
      path: file.path,
      contents: target.format ? await target.format(file.path, text) : text,
      owner: file.owner,
      executable: file.executable ?? false,
    });
  }
  return { files, overridden: renderer.overridden };
}

/**
 * The files the build rendered for the embedded spec, when they are surely what rendering would
 * give: the spec is the build's own (the very object loadSpecFast returned from its table), every
 * template's source is unchanged (src/precompiled.ts), and the code running is the code that rendered
 * them (the bundle of the same build). Otherwise undefined, and generate renders.
 */
function builtFiles(spec: Spec, target: Target): GeneratedFile[] | undefined {
  const table = renderedFiles();
  if (typeof __FG_BUILD__ !== "string" || !table || table.build !== __FG_BUILD__ || spec !== table.spec.value) return undefined;
  const files: GeneratedFile[] = [];
  for (const file of target.files) {
    const entry = table.files[`${target.lang}/${file.template}`];
    if (!entry || !unchangedSinceBuild(join(TEMPLATES_DIR, target.lang, file.template), entry)) return undefined;
    files.push({ path: file.path, contents: entry.contents, owner: file.owner, executable: file.executable ?? false, sha256: entry.sha256 });
  }
  return files;
}
