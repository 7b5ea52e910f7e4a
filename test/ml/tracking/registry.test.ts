// The model registry in MLflow's file-store layout: versions numbered max + 1 (a deleted version's
// number is not reused), meta.yaml keys and order as MLflow 2.16 wrote them, stages (any case in,
// anything else an error listing the four), archiving existing versions, latest versions per
// stage, aliases (stored in the model's meta.yaml), tags, descriptions, rename, delete, searches,
// and models:/ URIs by version, stage, latest and alias.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { tracking } from '../../../ts/ml/index.js';
import { resolveModelUri } from '../../../ts/ml/models/model-uri.js';

const FIX = fileURLToPath(new URL('../../../../shared/fixtures/mlflow/filestore-mlflow-2.16-with-registry/mlruns/models/SVMClassifier/', import.meta.url));

function keys(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => /^\w/.test(l)).map((l) => l.slice(0, l.indexOf(':')));
}

t.test('register, stage, alias, tag, rename, delete', async (t) => {
  const root = join(t.testdir(), 'mlruns');
  tracking._resetFluentState();
  tracking.setTrackingUri(root);
  const run = await tracking.withRun({}, async (r) => {
    await tracking.logText('flavors: {}\n', 'model/MLmodel');
    return r;
  });
  const uri = `runs:/${run.info.runId}/model`;
  const v1 = await tracking.registerModel(uri, 'M');
  const v2 = await tracking.registerModel(uri, 'M', { description: 'second' });
  t.same([v1.version, v2.version, v2.description, v1.runId], [1, 2, 'second', run.info.runId]);
  t.equal(v1.source, `${run.info.artifactUri}/model`, 'runs:/ sources are stored as the run artifact URI, as MLflow does');
  const mdir = join(root, 'models', 'M');
  t.same(keys(join(mdir, 'meta.yaml')), keys(join(FIX, 'meta.yaml')), 'registered model meta.yaml keys as MLflow 2.16');
  t.same(keys(join(mdir, 'version-1', 'meta.yaml')), keys(join(FIX, 'version-1', 'meta.yaml')), 'version meta.yaml keys as MLflow 2.16');
  t.match(parse(readFileSync(join(mdir, 'version-1', 'meta.yaml'), 'utf8')), { aliases: [], current_stage: 'None', status: 'READY', status_message: null, user_id: null, version: 1, run_link: '' });
  t.match(readFileSync(join(mdir, 'version-1', 'meta.yaml'), 'utf8'), /^version: 1$/m, 'version is an integer in the file');

  await t.rejects(tracking.transitionModelVersionStage('M', 1, 'prod'), { code: 'ERR_KINDLING_INVALID_ARG', message: 'transitionModelVersionStage: expected one of None, Staging, Production, Archived (any case) for stage, got "prod" (string)' });
  t.equal((await tracking.transitionModelVersionStage('M', 1, 'production')).currentStage, 'Production');
  t.equal((await tracking.transitionModelVersionStage('M', '2', 'PRODUCTION', { archiveExistingVersions: true })).currentStage, 'Production');
  t.equal((await tracking.getModelVersion('M', 1)).currentStage, 'Archived', 'the other Production version was archived');
  await t.rejects(tracking.transitionModelVersionStage('M', 1, 'Archived', { archiveExistingVersions: true }), { code: 'ERR_KINDLING_INVALID_ARG', message: /only Staging and Production archive other versions/ });
  t.same((await tracking.getLatestVersions('M')).map((v) => [v.version, v.currentStage]), [[2, 'Production'], [1, 'Archived']]);
  t.same((await tracking.getLatestVersions('M', ['staging'])), []);
  const modelDir = join(root, '0', run.info.runId, 'artifacts', 'model');
  t.equal(await resolveModelUri('models:/M/Production'), modelDir);
  t.equal(await resolveModelUri('models:/M/2'), modelDir);
  await t.rejects(resolveModelUri('models:/M/Staging'), { code: 'ERR_KINDLING_NOT_FOUND', message: "resolveModelUri: a version of registered model 'M' in stage 'Staging' (named by models:/M/Staging) does not exist" });

  await tracking.setRegisteredModelAlias('M', 'champion', 2);
  t.match(readFileSync(join(mdir, 'meta.yaml'), 'utf8'), /^aliases:\n {2}champion: 2$/m);
  t.same((await tracking.getModelVersionByAlias('M', 'champion')).version, 2);
  t.same((await tracking.getModelVersion('M', 2)).aliases, ['champion']);
  t.same((await tracking.getRegisteredModel('M')).aliases, { champion: 2 });
  t.equal(await resolveModelUri('models:/M@champion'), modelDir);
  await t.rejects(tracking.setRegisteredModelAlias('M', 'latest', 1), { code: 'ERR_KINDLING_INVALID_ARG', message: /for alias, got "latest"/ });
  await t.rejects(tracking.setRegisteredModelAlias('M', 'x', 9), { code: 'ERR_KINDLING_NOT_FOUND', message: "setRegisteredModelAlias: version 9 of registered model 'M' does not exist" });

  await tracking.setRegisteredModelTag('M', 'team', 'ml');
  await tracking.setModelVersionTag('M', 2, 'validated', 'yes');
  await tracking.updateRegisteredModel('M', 'the model');
  await tracking.updateModelVersion('M', 1, 'first');
  const m = await tracking.getRegisteredModel('M');
  t.same([m.tags, m.description, (await tracking.getModelVersion('M', 2)).tags, (await tracking.getModelVersion('M', 1)).description], [{ team: 'ml' }, 'the model', { validated: 'yes' }, 'first']);
  await tracking.deleteModelVersionTag('M', 2, 'validated');
  await tracking.deleteRegisteredModelTag('M', 'team');
  t.same([(await tracking.getRegisteredModel('M')).tags, (await tracking.getModelVersion('M', 2)).tags], [{}, {}]);

  t.same((await tracking.searchModelVersions({ filter: "name = 'M' and version_number > 1" })).map((v) => v.version), [2]);
  t.same((await tracking.searchModelVersions({ filter: `run_id IN ('${run.info.runId}', 'x')` })).map((v) => v.version), [2, 1]);
  t.same((await tracking.searchModelVersions({ filter: "source_path LIKE '%/artifacts/model'" })).length, 2);
  await t.rejects(tracking.searchModelVersions({ filter: "stage = 'x'" }), { code: 'ERR_KINDLING_INVALID_ARG', message: /^searchModelVersions: expected a key among name, run_id, source_path, version_number, tags.<key> at position 0 \(found "stage"\)/ });
  await t.rejects(tracking.searchRegisteredModels({ filter: 'name = 1' }), { code: 'ERR_KINDLING_INVALID_ARG', message: /^searchRegisteredModels: expected a quoted string value for name at position 0/ });

  await tracking.renameRegisteredModel('M', 'N');
  t.notOk(existsSync(mdir));
  t.same((await tracking.getModelVersion('N', 1)).name, 'N');
  t.equal(await resolveModelUri('models:/N@champion'), modelDir);
  await t.rejects(tracking.getRegisteredModel('M'), { code: 'ERR_KINDLING_NOT_FOUND', message: "getRegisteredModel: registered model 'M' does not exist" });

  await tracking.deleteModelVersion('N', 2);
  await t.rejects(tracking.getModelVersion('N', 2), { code: 'ERR_KINDLING_NOT_FOUND', message: "getModelVersion: version 2 of registered model 'N' does not exist" });
  t.equal(parse(readFileSync(join(root, 'models', 'N', 'version-2', 'meta.yaml'), 'utf8')).current_stage, 'Deleted_Internal');
  t.same((await tracking.getRegisteredModel('N')).aliases, {}, 'the alias of the deleted version went with it');
  t.equal((await tracking.registerModel(uri, 'N')).version, 3, 'a deleted number is not reused');
  t.same((await tracking.searchRegisteredModels()).map((x) => x.name), ['N']);

  await t.rejects(tracking.createRegisteredModel('N'), { code: 'ERR_KINDLING_ALREADY_EXISTS', message: "createRegisteredModel: registered model 'N' already exists" });
  await t.rejects(tracking.createRegisteredModel('a/b'), { code: 'ERR_KINDLING_INVALID_ARG', message: `createRegisteredModel: expected a non-empty name without '/', '\\' or '%' for name, got "a/b" (string)` });
  await t.rejects(tracking.getModelVersion('N', 'x'), { code: 'ERR_KINDLING_INVALID_ARG', message: 'getModelVersion: expected a positive integer (or its decimal string) for version, got "x" (string)' });
  await t.rejects(tracking.registerModel('runs:/0123456789abcdef0123456789abcdef/model', 'N'), { code: 'ERR_KINDLING_NOT_FOUND', message: /^getRun: run '0123456789abcdef0123456789abcdef'/ });
  await tracking.deleteRegisteredModel('N');
  t.same(await tracking.searchRegisteredModels(), []);
});
