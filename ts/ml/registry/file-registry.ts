/**
 * MLflow's file-store model registry (../shared/formats/MLFLOW.md §2) under `<root>/models/`:
 * `<name>/meta.yaml` (aliases as a mapping alias → version, creation_timestamp, description,
 * last_updated_timestamp, name), `<name>/tags/<key>`, `<name>/version-<N>/meta.yaml` with the
 * keys of MLflow 2.16's fixture and `version-<N>/tags/<key>`. Versions are numbered max + 1 (a
 * version directory is claimed with an exclusive mkdir, so two processes never share a number);
 * a deleted version keeps its directory with stage Deleted_Internal and is hidden.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Errors } from '../../src/errors.js';
import { token } from '../../src/io/atomic-files.js';
import { checkKey, checkName, checkValue } from '../tracking/names.js';
import { isMissing, malformed, metaInt, metaString, metaYaml, readKeyFiles, readMeta, skipMalformed } from '../tracking/store-files.js';
import { writeAtomic } from '../../src/io/atomic-files.js';
import { filterModels, filterVersions } from './registry-search.js';
import {
  DELETED_STAGE, normalizeStage, STAGES, type CreateModelVersionOptions, type ModelVersion, type RegisteredModel, type RegistrySearchOptions,
  type RegistryStore, type Stage,
} from './registry-store.js';

function versionNumber(api: string, version: number | string): number {
  const n = typeof version === 'string' && /^\d+$/.test(version) ? Number(version) : version;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw Errors.invalidArg(api, 'version', 'a positive integer (or its decimal string)', version);
  return n;
}

export class FileRegistry implements RegistryStore {
  readonly dir: string;

  /** `root` is the tracking store's root: the registry lives in its `models/`. */
  constructor(root: string) {
    this.dir = join(root, 'models');
  }

  private modelDir(api: string, name: string): string {
    const dir = join(this.dir, checkName(api, 'name', name));
    if (!existsSync(join(dir, 'meta.yaml'))) throw Errors.notFound(api, `registered model '${name}'`);
    return dir;
  }

  private async versionDirs(modelDir: string): Promise<Array<[number, string]>> {
    const names = await readdir(modelDir).catch((e) => (isMissing(e) ? [] : Promise.reject(e)));
    return names.filter((n) => /^version-\d+$/.test(n)).map((n) => [Number(n.slice(8)), join(modelDir, n)] as [number, string]).sort((a, b) => a[0] - b[0]);
  }

  private async readVersion(dir: string, aliases: Record<string, number>): Promise<ModelVersion & { deleted: boolean }> {
    const file = join(dir, 'meta.yaml');
    const meta = await readMeta(file);
    const version = await metaInt(file, meta, 'version');
    const stage = String(meta.current_stage ?? 'None');
    const str = (k: string): string | null => (meta[k] == null ? null : String(meta[k]));
    return {
      name: await metaString(file, meta, 'name'), version: version ?? Number(dir.slice(dir.lastIndexOf('version-') + 8)),
      creationTimestamp: await metaInt(file, meta, 'creation_timestamp'), lastUpdatedTimestamp: await metaInt(file, meta, 'last_updated_timestamp'),
      currentStage: stage === DELETED_STAGE ? 'None' : await fileStage(file, stage), deleted: stage === DELETED_STAGE,
      description: str('description') ?? '', source: str('source') ?? '', runId: str('run_id'), runLink: str('run_link') ?? '', status: str('status') ?? 'READY',
      statusMessage: str('status_message'), storageLocation: str('storage_location'), userId: str('user_id'), tags: await readKeyFiles(join(dir, 'tags')),
      aliases: Object.entries(aliases).filter(([, v]) => v === version).map(([a]) => a).sort(),
    };
  }

  private async readAliases(modelDir: string): Promise<Record<string, number>> {
    const meta = await readMeta(join(modelDir, 'meta.yaml'));
    const raw = meta.aliases;
    const out: Record<string, number> = {};
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) for (const [k, v] of Object.entries(raw)) out[k] = Number(v);
    return out;
  }

  private async versions(modelDir: string): Promise<ModelVersion[]> {
    const aliases = await this.readAliases(modelDir);
    const out: ModelVersion[] = [];
    for (const [, dir] of await this.versionDirs(modelDir)) {
      if (!existsSync(join(dir, 'meta.yaml'))) continue; // a version another process is creating
      const { deleted, ...v } = await this.readVersion(dir, aliases);
      if (!deleted) out.push(v);
    }
    return out;
  }

  private async readModel(dir: string): Promise<RegisteredModel> {
    const file = join(dir, 'meta.yaml');
    const meta = await readMeta(file);
    const versions = await this.versions(dir);
    return {
      name: await metaString(file, meta, 'name'), creationTimestamp: await metaInt(file, meta, 'creation_timestamp'), lastUpdatedTimestamp: await metaInt(file, meta, 'last_updated_timestamp'),
      description: meta.description == null ? '' : String(meta.description), latestVersions: latestPerStage(versions, STAGES), tags: await readKeyFiles(join(dir, 'tags')),
      aliases: await this.readAliases(dir),
    };
  }

  private async touchModel(dir: string, change: (m: Record<string, unknown>) => Record<string, unknown> = (m) => m): Promise<void> {
    const file = join(dir, 'meta.yaml');
    await writeAtomic(file, metaYaml({ ...change(await readMeta(file)), last_updated_timestamp: Date.now() }));
  }

  async createRegisteredModel(name: string, opts: { tags?: Record<string, string>; description?: string } = {}): Promise<RegisteredModel> {
    const dir = join(this.dir, checkName('createRegisteredModel', 'name', name));
    // The model directory appears complete (meta.yaml inside) in one rename, so a concurrent
    // registerModel never sees a model without its meta.yaml.
    const staged = join(this.dir, `.${name}.kindling-tmp-${token()}`);
    await mkdir(staged, { recursive: true });
    const now = Date.now();
    await writeAtomic(join(staged, 'meta.yaml'), metaYaml({ aliases: {}, creation_timestamp: now, description: opts.description ?? '', last_updated_timestamp: now, name }));
    try {
      if (existsSync(dir)) throw Errors.alreadyExists('createRegisteredModel', `registered model '${name}'`);
      await rename(staged, dir);
    } catch (e) {
      await rm(staged, { recursive: true, force: true });
      const code = (e as { code?: string }).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY') throw Errors.alreadyExists('createRegisteredModel', `registered model '${name}'`);
      throw e;
    }
    for (const [k, v] of Object.entries(opts.tags ?? {})) await this.setRegisteredModelTag(name, k, v);
    return this.readModel(dir);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.readModel(this.modelDir('getRegisteredModel', name));
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    const dir = this.modelDir('renameRegisteredModel', name);
    const target = join(this.dir, checkName('renameRegisteredModel', 'newName', newName));
    if (existsSync(target)) throw Errors.alreadyExists('renameRegisteredModel', `registered model '${newName}'`);
    await this.touchModel(dir, (m) => ({ ...m, name: newName }));
    for (const [, vdir] of await this.versionDirs(dir)) {
      const file = join(vdir, 'meta.yaml');
      await writeAtomic(file, metaYaml({ ...(await readMeta(file)), name: newName }));
    }
    await rename(dir, target);
    return this.readModel(target);
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    const dir = this.modelDir('updateRegisteredModel', name);
    await this.touchModel(dir, (m) => ({ ...m, description: String(description ?? '') }));
    return this.readModel(dir);
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await rm(this.modelDir('deleteRegisteredModel', name), { recursive: true, force: true });
  }

  async searchRegisteredModels(opts: RegistrySearchOptions = {}): Promise<RegisteredModel[]> {
    const names = existsSync(this.dir) ? (await readdir(this.dir)).filter((n) => !n.startsWith('.') && existsSync(join(this.dir, n, 'meta.yaml'))) : [];
    const models: RegisteredModel[] = [];
    for (const n of names) {
      const m = await this.readModel(join(this.dir, n)).catch(skipMalformed);
      if (m) models.push(m);
    }
    return filterModels(models, opts);
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    const dir = this.modelDir('setRegisteredModelTag', name);
    await writeAtomic(join(dir, 'tags', checkKey('setRegisteredModelTag', 'tag', key)), checkValue('setRegisteredModelTag', 'tag', key, value));
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await rm(join(this.modelDir('deleteRegisteredModelTag', name), 'tags', checkKey('deleteRegisteredModelTag', 'tag', key)), { force: true });
  }

  async createModelVersion(name: string, source: string, opts: CreateModelVersionOptions = {}): Promise<ModelVersion> {
    const dir = this.modelDir('createModelVersion', name);
    if (typeof source !== 'string' || source === '') throw Errors.invalidArg('createModelVersion', 'source', 'a model URI or path', source);
    for (;;) {
      const all = await this.versionDirs(dir);
      const n = (all.length ? all[all.length - 1]![0] : 0) + 1;
      const vdir = join(dir, `version-${n}`);
      try {
        await mkdir(vdir);
      } catch (e) {
        if ((e as { code?: string }).code === 'EEXIST') continue;
        throw e;
      }
      const now = Date.now();
      await writeAtomic(join(vdir, 'meta.yaml'), metaYaml({
        aliases: [], creation_timestamp: now, current_stage: 'None', description: opts.description ?? '', last_updated_timestamp: now, name, run_id: opts.runId ?? null,
        run_link: opts.runLink ?? '', source, status: 'READY', status_message: null, storage_location: opts.storageLocation ?? source, user_id: null, version: n,
      }));
      for (const [k, v] of Object.entries(opts.tags ?? {})) await this.setModelVersionTag(name, n, k, v);
      await this.touchModel(dir);
      return this.getModelVersion(name, n);
    }
  }

  private async versionDir(api: string, name: string, version: number | string): Promise<string> {
    const n = versionNumber(api, version);
    const vdir = join(this.modelDir(api, name), `version-${n}`);
    if (!existsSync(join(vdir, 'meta.yaml')) || (await readMeta(join(vdir, 'meta.yaml'))).current_stage === DELETED_STAGE) {
      throw Errors.notFound(api, `version ${n} of registered model '${name}'`);
    }
    return vdir;
  }

  async getModelVersion(name: string, version: number | string): Promise<ModelVersion> {
    const vdir = await this.versionDir('getModelVersion', name, version);
    const { deleted: _d, ...v } = await this.readVersion(vdir, await this.readAliases(this.modelDir('getModelVersion', name)));
    return v;
  }

  private async rewriteVersion(api: string, name: string, version: number | string, change: (m: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
    const file = join(await this.versionDir(api, name, version), 'meta.yaml');
    await writeAtomic(file, metaYaml({ ...change(await readMeta(file)), last_updated_timestamp: Date.now() }));
  }

  async updateModelVersion(name: string, version: number | string, description: string): Promise<ModelVersion> {
    await this.rewriteVersion('updateModelVersion', name, version, (m) => ({ ...m, description: String(description ?? '') }));
    return this.getModelVersion(name, version);
  }

  async deleteModelVersion(name: string, version: number | string): Promise<void> {
    const n = versionNumber('deleteModelVersion', version);
    await this.rewriteVersion('deleteModelVersion', name, n, (m) => ({ ...m, current_stage: DELETED_STAGE, description: null, source: null, run_id: null, run_link: null, status_message: null, user_id: null }));
    const dir = this.modelDir('deleteModelVersion', name);
    await this.touchModel(dir, (m) => ({ ...m, aliases: Object.fromEntries(Object.entries((m.aliases ?? {}) as Record<string, unknown>).filter(([, v]) => Number(v) !== n)) }));
  }

  async transitionModelVersionStage(name: string, version: number | string, stage: string, archiveExistingVersions = false): Promise<ModelVersion> {
    const api = 'transitionModelVersionStage';
    const to = normalizeStage(api, stage);
    const n = versionNumber(api, version);
    if (archiveExistingVersions && to !== 'Staging' && to !== 'Production') {
      throw Errors.invalidArg(api, 'archiveExistingVersions', `false when the target stage is ${to} (only Staging and Production archive other versions)`, archiveExistingVersions);
    }
    await this.rewriteVersion(api, name, n, (m) => ({ ...m, current_stage: to }));
    if (archiveExistingVersions) {
      for (const v of await this.versions(this.modelDir(api, name))) {
        if (v.version !== n && v.currentStage === to) await this.rewriteVersion(api, name, v.version, (m) => ({ ...m, current_stage: 'Archived' }));
      }
    }
    await this.touchModel(this.modelDir(api, name));
    return this.getModelVersion(name, n);
  }

  async getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    const wanted = stages && stages.length ? stages.map((s) => normalizeStage('getLatestVersions', s)) : STAGES;
    return latestPerStage(await this.versions(this.modelDir('getLatestVersions', name)), wanted);
  }

  async searchModelVersions(opts: RegistrySearchOptions = {}): Promise<ModelVersion[]> {
    const names = existsSync(this.dir) ? (await readdir(this.dir)).filter((n) => !n.startsWith('.') && existsSync(join(this.dir, n, 'meta.yaml'))) : [];
    const all: ModelVersion[] = [];
    for (const n of names) all.push(...((await this.versions(join(this.dir, n)).catch(skipMalformed)) ?? []));
    return filterVersions(all, opts);
  }

  async setModelVersionTag(name: string, version: number | string, key: string, value: string): Promise<void> {
    const vdir = await this.versionDir('setModelVersionTag', name, version);
    await writeAtomic(join(vdir, 'tags', checkKey('setModelVersionTag', 'tag', key)), checkValue('setModelVersionTag', 'tag', key, value));
  }

  async deleteModelVersionTag(name: string, version: number | string, key: string): Promise<void> {
    const vdir = await this.versionDir('deleteModelVersionTag', name, version);
    await rm(join(vdir, 'tags', checkKey('deleteModelVersionTag', 'tag', key)), { force: true });
  }

  async setRegisteredModelAlias(name: string, alias: string, version: number | string): Promise<void> {
    const api = 'setRegisteredModelAlias';
    if (typeof alias !== 'string' || !/^[\w-]+$/.test(alias) || /^(v\d+|latest)$/i.test(alias)) throw Errors.invalidArg(api, 'alias', "a name of letters, digits, '_' and '-' (not 'latest' or v<number>)", alias);
    const n = versionNumber(api, version);
    await this.versionDir(api, name, n);
    await this.touchModel(this.modelDir(api, name), (m) => ({ ...m, aliases: { ...((m.aliases ?? {}) as object), [alias]: n } }));
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    await this.touchModel(this.modelDir('deleteRegisteredModelAlias', name), (m) => {
      const { [alias]: _drop, ...rest } = (m.aliases ?? {}) as Record<string, unknown>;
      return { ...m, aliases: rest };
    });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const aliases = await this.readAliases(this.modelDir('getModelVersionByAlias', name));
    if (!Object.hasOwn(aliases, alias)) throw Errors.notFound('getModelVersionByAlias', `alias '${alias}' of registered model '${name}'`);
    return this.getModelVersion(name, aliases[alias]!);
  }
}

/** A stage read from a version's meta.yaml: exactly one of the four (else the file is malformed). */
async function fileStage(file: string, stage: string): Promise<Stage> {
  const found = STAGES.find((s) => s === stage);
  if (found) return found;
  const line = (await readFile(file, 'utf8')).split('\n').findIndex((l) => l.startsWith('current_stage:')) + 1;
  throw malformed(file, line || 1, `current_stage ${JSON.stringify(stage)} is not one of ${STAGES.join(', ')}`);
}

/** Per stage, the highest version in it (MLflow's get_latest_versions), in the order of `stages`. */
function latestPerStage(versions: ModelVersion[], stages: readonly Stage[]): ModelVersion[] {
  const out: ModelVersion[] = [];
  for (const s of stages) {
    const inStage = versions.filter((v) => v.currentStage === s);
    if (inStage.length) out.push(inStage.reduce((a, b) => (b.version > a.version ? b : a)));
  }
  return out;
}
