/**
 * The `runs:` and `models:` model URI schemes (ts/ml/models/model-uri.ts), resolved against the
 * current tracking URI: `runs:/<run_id>/<path>` is that path under the run's artifact directory;
 * `models:/<name>/<version | stage | latest>` and `models:/<name>@<alias>` are the version's
 * source, itself resolved (a runs:/ or models:/ source, a file: URI, or — for a store copied from
 * another machine — the same path under the run's artifacts in this store).
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Errors } from '../../src/errors.js';
import { registerModelUriScheme, resolveModelUri } from '../models/model-uri.js';
import { STAGES, type ModelVersion } from '../registry/registry-store.js';
import { parseRunsUri } from './client.js';
import { getClient } from './fluent.js';

const API = 'resolveModelUri';

function notFoundAs(uri: string) {
  return (e: unknown): never => {
    if ((e as { code?: string }).code === 'ERR_KINDLING_NOT_FOUND') throw Errors.notFound(API, `${(e as Error).message.replace(/^\w+: /, '').replace(/ does not exist$/, '')} (named by ${uri})`);
    throw e;
  };
}

async function runArtifact(uri: string, runId: string, path: string): Promise<string> {
  const client = getClient();
  await client.getRun(runId).catch(notFoundAs(uri));
  const dir = join(await client.store.artifactDir(runId), path);
  if (!existsSync(dir)) throw Errors.notFound(API, `artifact path '${path}' of run '${runId}' (named by ${uri})`);
  return dir;
}

export async function resolveRunsUri(uri: string): Promise<string> {
  const runs = parseRunsUri(uri);
  if (!runs) throw Errors.invalidArg(API, 'uri', "'runs:/<run_id>/<artifact path>'", uri);
  return runArtifact(uri, runs.runId, runs.path);
}

async function versionOf(uri: string): Promise<ModelVersion> {
  const client = getClient();
  const alias = /^models:\/([^/@]+)@([^/]+)$/.exec(uri);
  if (alias) return client.getModelVersionByAlias(alias[1]!, alias[2]!).catch(notFoundAs(uri));
  const m = /^models:\/([^/@]+)\/([^/]+)$/.exec(uri);
  if (!m) throw Errors.invalidArg(API, 'uri', "'models:/<name>/<version|stage|latest>' or 'models:/<name>@<alias>'", uri);
  const [, name, which] = m as unknown as [string, string, string];
  if (/^\d+$/.test(which)) return client.getModelVersion(name, which).catch(notFoundAs(uri));
  const stage = STAGES.find((s) => s.toLowerCase() === which.toLowerCase());
  if (!stage && which.toLowerCase() !== 'latest') throw Errors.invalidArg(API, 'uri', `a version number, 'latest' or a stage among ${STAGES.join(', ')} after the model name`, uri);
  const versions = await client.getLatestVersions(name, stage ? [stage] : undefined).catch(notFoundAs(uri));
  if (!versions.length) throw Errors.notFound(API, `a version of registered model '${name}'${stage ? ` in stage '${stage}'` : ''} (named by ${uri})`);
  return versions.reduce((a, b) => (b.version > a.version ? b : a));
}

export async function resolveModelsUri(uri: string): Promise<string> {
  const v = await versionOf(uri);
  const source = v.storageLocation ?? v.source;
  if (/^(runs|models):/.test(source)) return resolveModelUri(source);
  const path = source.startsWith('file:') ? fileURLToPath(source) : source;
  if (existsSync(path)) return path;
  if (v.runId) {
    const run = await getClient().getRun(v.runId).catch(() => null);
    if (run && run.info.artifactUri.startsWith('file:')) {
      const rel = relative(fileURLToPath(run.info.artifactUri), path);
      if (!rel.startsWith('..')) return runArtifact(uri, v.runId, rel);
    }
  }
  throw Errors.notFound(API, `model directory ${path} (source of version ${v.version} of '${v.name}', named by ${uri})`);
}

registerModelUriScheme('runs', resolveRunsUri);
registerModelUriScheme('models', resolveModelsUri);
