import { join, resolve } from "node:path";
import type { Config } from "./config.js";
import { EXIT_OK, EXIT_OUT_OF_DATE, UserError } from "./errors.js";
import { generate } from "./generate.js";
import { MANIFEST, buildManifest, manifestChanged, readManifest, serializeManifest } from "./manifest.js";
import { changes, conflicts, planFolder, type Step } from "./plan.js";
import { useColour, write } from "./output.js";
import { planLines, summary, toJson, unifiedDiff } from "./report.js";
import { loadSpecFast, specSha256 } from "./precompiled.js";
import type { Spec } from "./spec.js";
import { LANGS, TARGETS } from "./targets/index.js";
import type { Target } from "./target.js";
import { VERSION } from "./version.js";
import { applyPlan } from "./write.js";

/** One output folder to bring in line with a spec. */
export interface Job {
  lang: string;
  dir: string;
  spec?: string;
  templates?: string;
}

export interface JobPlan extends Job {
  /** Every file's step, the manifest's last. */
  steps: Step[];
}

/** Loads each spec once even when several targets share it. */
function specLoader() {
  const cache = new Map<string, { spec: Spec; hash: string }>();
  return async (file: string | undefined) => {
    const key = file ?? "";
    let hit = cache.get(key);
    if (!hit) {
      const spec = await loadSpecFast(file);
      hit = { spec, hash: specSha256(spec) };
      cache.set(key, hit);
    }
    return hit;
  };
}

/** Works out, without writing anything, what each job's folder needs. */
export async function planJobs(jobs: Job[], force: boolean): Promise<JobPlan[]> {
  const load = specLoader();
  const plans: JobPlan[] = [];
  for (const job of jobs) {
    const target: Target = TARGETS[job.lang]!;
    const { spec, hash } = await load(job.spec);
    const { files, overridden } = await generate(spec, target, job.templates);
    const old = await readManifest(job.dir);
    const steps = await planFolder(job.dir, files, old, force);
    const manifest = buildManifest({ version: VERSION, lang: job.lang, specSha256: hash, templateOverrides: overridden, files });
    const changed = manifestChanged(old, manifest);
    steps.push({
      path: MANIFEST,
      owner: "generated",
      executable: false,
      action: old ? (changed ? "update" : "keep") : "create",
      current: old ? serializeManifest(old) : undefined,
      next: serializeManifest(manifest),
    });
    plans.push({ ...job, steps });
  }
  return plans;
}

export interface RegenerateOptions {
  langs?: string[];
  out?: string;
  spec?: string;
  templates?: string;
  check: boolean;
  dryRun: boolean;
  force: boolean;
  json: boolean;
  findConfig: () => Promise<Config | undefined>;
}

/** Turns flags, or else the nearest config file, into the list of folders to regenerate. */
export async function resolveJobs(opts: RegenerateOptions): Promise<Job[]> {
  if (opts.langs && opts.langs.length > 0) {
    const unknown = opts.langs.filter((l) => !(l in TARGETS));
    if (unknown.length > 0) {
      throw new UserError(`unknown language ${unknown.map((l) => `'${l}'`).join(", ")}: use --lang with one of ${LANGS.join(", ")}`);
    }
    const langs = [...new Set(opts.langs)];
    return langs.map((lang) => ({
      lang,
      // One language: --out itself; several: --out/<lang>. Without --out: ./fg-<lang>.
      dir: opts.out === undefined ? resolve(`fg-${lang}`) : langs.length === 1 ? opts.out : join(opts.out, lang),
      spec: opts.spec,
      templates: opts.templates,
    }));
  }
  const config = await opts.findConfig();
  if (!config) {
    throw new UserError(`choose a language with --lang (${LANGS.join(", ")}), or list targets in fg-bootgen.config.json`);
  }
  return config.targets.map((t, i) => {
    if (!(t.lang in TARGETS)) throw new UserError(`${config.file}: targets[${i}].lang: unknown language '${t.lang}': use one of ${LANGS.join(", ")}`);
    return { lang: t.lang, dir: t.out, spec: t.spec ?? opts.spec, templates: t.templates ?? opts.templates };
  });
}

/** The whole command: plan every folder first, then check, print the plan, or write. Returns the exit code. */
export async function regenerate(opts: RegenerateOptions): Promise<number> {
  const plans = await planJobs(await resolveJobs(opts), opts.force);
  const colour = !opts.json && useColour(1);
  const out = (text: string) => write(1, text);
  const reports = plans.map((p) => ({ lang: p.lang, dir: p.dir, steps: p.steps }));

  if (opts.check) {
    const stale = plans.filter((p) => changes(p.steps).length > 0 || conflicts(p.steps).length > 0);
    if (opts.json) out(toJson("check", stale.length === 0, reports));
    else {
      for (const p of plans) {
        const todo = p.steps.filter((s) => s.action !== "keep" && s.action !== "skip");
        if (todo.length === 0) {
          out(`${p.lang}: ${p.dir} is up to date\n`);
          continue;
        }
        out(`${p.lang}: ${p.dir} is out of date:\n`);
        for (const s of todo) {
          const what = s.action === "create" ? "missing" : s.action === "delete" ? "stale" : "changed";
          out(`  ${what} ${s.path}${s.reason ? ` (${s.reason})` : ""}\n`);
        }
        for (const s of todo) out(`${await unifiedDiff(s, colour)}\n`);
      }
      if (stale.length > 0) out("Regenerate with: npx fg-bootgen (same flags, without --check)\n");
    }
    return stale.length === 0 ? EXIT_OK : EXIT_OUT_OF_DATE;
  }

  if (opts.dryRun) {
    if (opts.json) out(toJson("dry-run", conflicts(plans.flatMap((p) => p.steps)).length === 0, reports));
    else for (const r of reports) out(`${r.lang}: ${r.dir} (dry run, nothing written)\n${planLines(r, colour, true).join("\n")}\n`);
    return EXIT_OK;
  }

  const blocked = plans.flatMap((p) => conflicts(p.steps).map((s) => ({ p, s })));
  if (blocked.length > 0) {
    if (opts.json) out(toJson("generate", false, reports));
    else for (const { s } of blocked) write(2, `${await unifiedDiff(s, useColour(2))}\n`);
    const names = blocked.map(({ p, s }) => `${join(p.dir, s.path)} ${s.reason ?? ""}`.trim());
    throw new UserError(`stopped before writing anything: ${names.join("; ")}. Move your change into your own files (diff above), or rerun with --force to overwrite`);
  }
  for (const p of plans) await applyPlan(p.dir, p.steps);
  if (opts.json) out(toJson("generate", true, reports));
  else {
    for (const r of reports) {
      const done = changes(r.steps).length > 0;
      out(`${r.lang}: ${done ? "wrote" : "up to date:"} ${r.dir} (${summary(r.steps)})\n`);
      if (done) out(`${planLines(r, colour, false).join("\n")}\n`);
    }
  }
  return EXIT_OK;
}
