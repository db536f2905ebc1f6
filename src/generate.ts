import { buildModel } from "./model.js";
import { createRenderer } from "./render.js";
import type { Spec } from "./spec.js";
import type { Owner, Target } from "./target.js";

export interface GeneratedFile {
  path: string;
  contents: string;
  owner: Owner;
  executable: boolean;
}

/** Renders every file of one target in memory; nothing touches the disk here. */
export async function generate(
  spec: Spec,
  target: Target,
  templatesDir?: string,
): Promise<{ files: GeneratedFile[]; overridden: string[] }> {
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
