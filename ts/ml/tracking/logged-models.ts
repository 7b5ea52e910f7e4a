/**
 * MLflow 3's LoggedModels in a file store (../shared/formats/MLFLOW.md §1.6): each
 * `<experiment>/models/m-<id>/` holds a meta.yaml, tags, artifacts (the MLmodel directory) and
 * metric files whose lines carry a fourth field, the run id.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { metaInt, metaString, parseMetricFile, readKeyFiles, readMeta } from './store-files.js';
import type { LoggedModel, Metric } from './store.js';

/** The logged models under an experiment's `models/` directory, by id. */
export async function readLoggedModels(base: string): Promise<LoggedModel[]> {
  const names = existsSync(base) ? (await readdir(base)).filter((n) => n.startsWith('m-')).sort() : [];
  const out: LoggedModel[] = [];
  for (const n of names) {
    const file = join(base, n, 'meta.yaml');
    const meta = await readMeta(file);
    const metrics: Metric[] = [];
    for (const [key, text] of Object.entries(await readKeyFiles(join(base, n, 'metrics')))) metrics.push(...parseMetricFile(join(base, n, 'metrics', key), key, text, true));
    out.push({
      modelId: await metaString(file, meta, 'model_id'), name: await metaString(file, meta, 'name'), experimentId: await metaString(file, meta, 'experiment_id'),
      sourceRunId: meta.source_run_id == null ? null : String(meta.source_run_id), artifactLocation: await metaString(file, meta, 'artifact_location'),
      creationTimestamp: await metaInt(file, meta, 'creation_timestamp'), lastUpdatedTimestamp: await metaInt(file, meta, 'last_updated_timestamp'),
      modelType: meta.model_type == null ? null : String(meta.model_type), status: await metaInt(file, meta, 'status'), metrics, tags: await readKeyFiles(join(base, n, 'tags')),
    });
  }
  return out;
}
