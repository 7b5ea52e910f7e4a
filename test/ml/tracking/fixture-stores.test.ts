// Every MLflow store in ../shared/fixtures/mlflow read by kindling's file store with exact values:
// MLflow 2.16 (experiments, 13 runs, metrics, tags, the registry's SVMClassifier v1 and its
// models:/ and runs:/ URIs resolved to this copy of the store), 2.22 (params, RUNNING runs with a
// null end_time), 3.4 (logged models with four-field metric lines, a run metric file holding two
// identical lines); and damaged copies: a malformed meta.yaml or metric line is an error naming
// the file and line, while searchRuns skips that run (with a warning) and reads the rest.
import t from 'tap';
import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tracking } from '../../../ts/ml/index.js';
import { resolveModelUri } from '../../../ts/ml/models/model-uri.js';

const FIX = fileURLToPath(new URL('../../../../shared/fixtures/mlflow/', import.meta.url));

/** A private copy of a fixture store (nothing is ever written into the shared fixtures). */
function store(t: { testdir(): string }, name: string): string {
  const dir = join(t.testdir(), 'mlruns');
  cpSync(join(FIX, name, 'mlruns'), dir, { recursive: true });
  tracking.setTrackingUri(dir);
  return dir;
}

const E216 = '853099972095872099';

t.test('MLflow 2.16: experiments, runs, metrics and tags', async (t) => {
  store(t, 'filestore-mlflow-2.16-with-registry');
  const exps = await tracking.getClient().searchExperiments();
  t.same(exps.map((e) => [e.experimentId, e.name, e.artifactLocation, e.creationTime, e.lifecycleStage]), [
    [E216, 'MLOps_CA_2', `file:///Users/muskaanjain/Downloads/Data_ML_Ops/MLOps_CA2_Iris/mlruns/${E216}`, 1731482031581, 'active'],
    ['0', 'Default', 'mlflow-artifacts:/0', 1731481171161, 'active'],
  ], 'newest first');
  t.equal((await tracking.getExperimentByName('MLOps_CA_2'))!.experimentId, E216);
  const runs = await tracking.searchRuns({ experimentIds: [E216] });
  t.same(runs.map((r) => [r.info.runId, r.info.runName, r.info.startTime]), [
    ['8595f7931d3943f4a7ee038c1728c2c3', 'SVM_kernel', 1731484585579],
    ['ffc67f33d4c24c9caa8b7a885a6e9921', 'SVM', 1731484555413],
    ['7a97fbf008634b9387cc16401d2ea2fc', 'LogRegression', 1731484514826],
    ['1c00447556424067ae62fe39e167bb34', 'DT', 1731484475675],
    ['425b6205924e4d7ebf10791f8edd827d', 'RF', 1731484378090],
    ['4ef5854252b74eaead2df1501e3dd622', 'RF', 1731484365897],
    ['41d73abfbc414cbb924ec53fc919a7e6', 'SVM_Kernel', 1731483625942],
    ['2716248c013e4337a1607c68d104bfe7', 'SVM', 1731483569921],
    ['2f0ac455913942d886ee0eaf316a0027', 'DecisionTree', 1731483083867],
    ['da1c1fa6135c4c2096024c05c6536368', 'LogisticRegression', 1731483001193],
    ['c837a1514c13473da8c719089e41ef18', 'RandomForest', 1731482300223],
    ['af5cbe12c577490fa7b5525fea17ee4e', 'suave-boar-183', 1731482103894],
    ['c744924b2a244bed8d2a5f8dfdabb807', 'righteous-zebra-248', 1731482032654],
  ]);
  const run = await tracking.getRun('4ef5854252b74eaead2df1501e3dd622');
  t.same(run.info, {
    runId: '4ef5854252b74eaead2df1501e3dd622', runName: 'RF', experimentId: E216, userId: 'muskaanjain', status: 'FINISHED', startTime: 1731484365897, endTime: 1731484374241,
    artifactUri: `file:///Users/muskaanjain/Downloads/Data_ML_Ops/MLOps_CA2_Iris/mlruns/${E216}/4ef5854252b74eaead2df1501e3dd622/artifacts`, lifecycleStage: 'active',
  });
  t.same(run.data.metrics, { metric_0: 0.975, metric_1: 0.9666666666666667, metric_2: 0.9629629629629629, metric_3: 0.9583333333333334, metric_4: 0.4286799430847168 });
  t.same(run.data.params, {});
  const { 'mlflow.log-model.history': history, ...tags } = run.data.tags;
  t.same(tags, {
    'mlflow.runName': 'RF', 'mlflow.source.git.commit': '4ef3874fc02b1fbd4acf5315fb491172b904d53c',
    'mlflow.source.name': '/Users/muskaanjain/Downloads/Data_ML_Ops/MLOps_CA2_Iris/venv/lib/python3.11/site-packages/ipykernel_launcher.py',
    'mlflow.source.type': 'LOCAL', 'mlflow.user': 'muskaanjain', tag1: 'SVM', tag2: 'Randomized Search CV', tag3: 'Production',
  });
  t.equal(JSON.parse(history!)[0].model_uuid, '4afbc57354f1491fa6cc8d88aaaee94b');
  t.same(await tracking.getMetricHistory('4ef5854252b74eaead2df1501e3dd622', 'metric_4'), [{ key: 'metric_4', value: 0.4286799430847168, timestamp: 1731484365933, step: 0 }]);
  t.same(await tracking.getMetricHistory('4ef5854252b74eaead2df1501e3dd622', 'absent'), []);
  t.same((await tracking.listArtifacts('8595f7931d3943f4a7ee038c1728c2c3', 'model')).map((f) => f.path), [
    'model/MLmodel', 'model/conda.yaml', 'model/python_env.yaml', 'model/registered_model_meta', 'model/requirements.txt',
  ]);
});

t.test('MLflow 2.16: the registry, and models:/ and runs:/ URIs resolved into this copy of the store', async (t) => {
  const dir = store(t, 'filestore-mlflow-2.16-with-registry');
  const rm = await tracking.getRegisteredModel('SVMClassifier');
  t.same([rm.name, rm.creationTimestamp, rm.lastUpdatedTimestamp, rm.description, rm.tags, rm.aliases], ['SVMClassifier', 1731484679780, 1731484679925, '', {}, {}]);
  const src = `file:///Users/muskaanjain/Downloads/Data_ML_Ops/MLOps_CA2_Iris/mlruns/${E216}/8595f7931d3943f4a7ee038c1728c2c3/artifacts/model`;
  t.same(rm.latestVersions, [{
    name: 'SVMClassifier', version: 1, creationTimestamp: 1731484679925, lastUpdatedTimestamp: 1731484679925, currentStage: 'None', description: '', source: src,
    runId: '8595f7931d3943f4a7ee038c1728c2c3', runLink: '', status: 'READY', statusMessage: null, storageLocation: src, userId: null, tags: {}, aliases: [],
  }]);
  t.same((await tracking.getLatestVersions('SVMClassifier', ['none'])).map((v) => v.version), [1]);
  t.same(await tracking.getLatestVersions('SVMClassifier', ['Production']), []);
  t.same((await tracking.searchModelVersions({ filter: "run_id = '8595f7931d3943f4a7ee038c1728c2c3'" })).map((v) => [v.name, v.version]), [['SVMClassifier', 1]]);
  t.same((await tracking.searchRegisteredModels({ filter: "name LIKE 'SVM%'" })).map((m) => m.name), ['SVMClassifier']);
  const runDir = join(dir, E216, '8595f7931d3943f4a7ee038c1728c2c3', 'artifacts', 'model');
  t.equal(await resolveModelUri('models:/SVMClassifier/1'), runDir);
  t.equal(await resolveModelUri('models:/SVMClassifier/latest'), runDir);
  t.equal(await resolveModelUri('models:/SVMClassifier/None'), runDir);
  t.equal(await resolveModelUri('runs:/8595f7931d3943f4a7ee038c1728c2c3/model'), runDir);
  await t.rejects(resolveModelUri('models:/SVMClassifier/Production'), { code: 'ERR_KINDLING_NOT_FOUND', message: "resolveModelUri: a version of registered model 'SVMClassifier' in stage 'Production' (named by models:/SVMClassifier/Production) does not exist" });
  await t.rejects(resolveModelUri('models:/SVMClassifier/7'), { code: 'ERR_KINDLING_NOT_FOUND', message: /version 7 of registered model 'SVMClassifier' \(named by models:\/SVMClassifier\/7\) does not exist/ });
  await t.rejects(resolveModelUri('models:/Nope/1'), { code: 'ERR_KINDLING_NOT_FOUND', message: /registered model 'Nope'/ });
  await t.rejects(resolveModelUri('models:/SVMClassifier@champion'), { code: 'ERR_KINDLING_NOT_FOUND', message: /alias 'champion' of registered model 'SVMClassifier'/ });
  await t.rejects(resolveModelUri('models:/SVMClassifier/Prod'), { code: 'ERR_KINDLING_INVALID_ARG', message: /a version number, 'latest' or a stage among None, Staging, Production, Archived/ });
  await t.rejects(resolveModelUri('runs:/0123456789abcdef0123456789abcdef/model'), { code: 'ERR_KINDLING_NOT_FOUND', message: /run '0123456789abcdef0123456789abcdef' .*named by runs:\/0123456789abcdef0123456789abcdef\/model/ });
  await t.rejects(resolveModelUri('runs:/8595f7931d3943f4a7ee038c1728c2c3/nothing'), { code: 'ERR_KINDLING_NOT_FOUND', message: /artifact path 'nothing' of run '8595f7931d3943f4a7ee038c1728c2c3'/ });
});

t.test('MLflow 2.22: params, RUNNING runs, the Default experiment', async (t) => {
  store(t, 'filestore-mlflow-2.22-params-signature');
  const runs = await tracking.searchRuns({ experimentIds: ['0'], orderBy: ['attributes.start_time ASC'] });
  t.same(runs.map((r) => [r.info.runId, r.info.runName, r.info.status, r.info.endTime, r.data.params.alpha, r.data.params.l1_ratio]), [
    ['12ffb4f0709f437784bd8d63a270d702', 'auspicious-shark-261', 'FINISHED', 1748257649502, '0.5', '0.5'],
    ['c4e130d6e2f84b70acaf2c6f1127da26', 'rebellious-mule-624', 'FINISHED', 1748257687090, '0.5', '0.5'],
    ['0d8653353e3e43beb89442a8bca1a94d', 'wise-roo-476', 'FINISHED', 1748257992525, '0.1', '0.6'],
    ['1e47c951822f47a595b32c1ae96e6c77', 'loud-colt-529', 'RUNNING', null, '0.5', '0.5'],
    ['4709c8402d5e436b8ce9a601f44516a5', 'gregarious-roo-26', 'RUNNING', null, '0.5', '0.5'],
    ['87d2ac72e74a4966b7ae93984c60ddbf', 'carefree-pig-210', 'RUNNING', null, '0.5', '0.5'],
    ['9911bae16dd546359a364d39e11592ed', 'abrasive-donkey-377', 'RUNNING', null, '0.5', '0.5'],
  ]);
  t.same((await tracking.getRun('0d8653353e3e43beb89442a8bca1a94d')).data.metrics, { mae: 0.5627373693033669, r2: 0.24127270524006605, rmse: 0.7317723392279818 });
  t.same(await tracking.getMetricHistory('87d2ac72e74a4966b7ae93984c60ddbf', 'rmse'), [{ key: 'rmse', value: 0.7931640229276851, timestamp: 1748272813962, step: 0 }]);
  t.equal((await tracking.getExperiment('0')).artifactLocation, 'file:///Users/aryan/ML_Project/mlruns/0');
});

t.test('MLflow 3.4: runs, duplicate metric lines, logged models with four-field metric lines', async (t) => {
  store(t, 'filestore-mlflow-3.4-logged-models');
  const E = '711145645857372919';
  t.same((await tracking.getExperiment(E)).name, 'wine_quality');
  const runs = await tracking.searchRuns({ experimentIds: [E] });
  t.same(runs.map((r) => [r.info.runId, r.info.runName, r.info.userId, r.data.metrics.accuracy]), [
    ['2c8ca6db03ec448983eb7a3db708a3d9', 'bright-jay-719', 'krokant', 0.659375],
    ['e92c3f6bbe2b42049c54a09eff1e5c58', 'stylish-bee-427', 'krokant', 0.659375],
  ]);
  const h = { key: 'accuracy', value: 0.659375, timestamp: 1758275956473, step: 0 };
  t.same(await tracking.getMetricHistory('2c8ca6db03ec448983eb7a3db708a3d9', 'accuracy'), [h, h], 'history keeps both identical lines');
  const models = await tracking.getClient().searchLoggedModels(E);
  t.same(models.map((m) => [m.modelId, m.name, m.sourceRunId, m.status, m.creationTimestamp, m.lastUpdatedTimestamp, m.modelType, m.metrics]), [
    ['m-985b0d0482e04432a7c1d0a145f1040a', 'model', 'e92c3f6bbe2b42049c54a09eff1e5c58', 2, 1758275528430, 1758275674127, null, [{ key: 'accuracy', value: 0.659375, timestamp: 1758275527714, step: 0 }]],
    ['m-b67ce6ce3aa14ac6b96b1560ca678cb5', 'model', '2c8ca6db03ec448983eb7a3db708a3d9', 2, 1758275957182, 1758276085111, null, [{ key: 'accuracy', value: 0.659375, timestamp: 1758275956473, step: 0 }]],
  ]);
  t.same(models[0]!.tags, { 'mlflow.source.git.commit': 'c82384fbc0a6da786455a1556bf7d731f939ac1e', 'mlflow.source.name': 'train_model_mlflow.py', 'mlflow.source.type': 'LOCAL', 'mlflow.user': 'krokant' });
  t.match(models[0]!.artifactLocation, /^file:\/\/\/mnt\/c\/Users\/%D0%90%D0%BD%D1%82%D0%BE%D0%BD\/.*\/models\/m-985b0d0482e04432a7c1d0a145f1040a\/artifacts$/);
});

t.test('a malformed meta.yaml or metric line names the file and line; searchRuns skips that run', async (t) => {
  const dir = store(t, 'filestore-mlflow-2.22-params-signature');
  const bad = join(dir, '0', '12ffb4f0709f437784bd8d63a270d702', 'meta.yaml');
  writeFileSync(bad, 'artifact_uri: file:///x\nend_time: [1, 2\nrun_id: 12ffb4f0709f437784bd8d63a270d702\n');
  await t.rejects(tracking.getRun('12ffb4f0709f437784bd8d63a270d702'), { code: 'ERR_KINDLING_LOAD', message: new RegExp(`^${bad.replace(/[.]/g, '\\.')}:3: malformed MLflow store file: `) });
  const metric = join(dir, '0', '0d8653353e3e43beb89442a8bca1a94d', 'metrics', 'rmse');
  appendFileSync(metric, '1748257990999 not-a-number 1\n');
  await t.rejects(tracking.getMetricHistory('0d8653353e3e43beb89442a8bca1a94d', 'rmse'), {
    code: 'ERR_KINDLING_LOAD', message: `${metric}:2: malformed MLflow store file: expected '<timestamp> <value> <step>' (integer, number, integer), got "1748257990999 not-a-number 1"`,
  });
  const bad2 = join(dir, '0', 'c4e130d6e2f84b70acaf2c6f1127da26', 'meta.yaml');
  writeFileSync(bad2, 'experiment_id: [oops]\nrun_id: c4e130d6e2f84b70acaf2c6f1127da26\nartifact_uri: x\n');
  await t.rejects(tracking.getRun('c4e130d6e2f84b70acaf2c6f1127da26'), { code: 'ERR_KINDLING_LOAD', message: `${bad2}:1: malformed MLflow store file: expected a string for experiment_id, got ["oops"]` });
  const bad3 = join(dir, '0', '1e47c951822f47a595b32c1ae96e6c77', 'meta.yaml');
  writeFileSync(bad3, readFileSync(bad3, 'utf8').replace('status: 1', 'status: 9'));
  await t.rejects(tracking.getRun('1e47c951822f47a595b32c1ae96e6c77'), { code: 'ERR_KINDLING_LOAD', message: `${bad3}:13: malformed MLflow store file: status 9 is not a RunStatus (1-5)` });
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  const runs = await tracking.searchRuns({ experimentIds: ['0'] });
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  t.same(runs.map((r) => r.info.runId), ['9911bae16dd546359a364d39e11592ed', '87d2ac72e74a4966b7ae93984c60ddbf', '4709c8402d5e436b8ce9a601f44516a5'], 'the four damaged runs are skipped, the other three read');
  t.equal(warnings.length, 4);
  t.ok(warnings.some((w) => w.startsWith(`${metric}:2:`)));
});

t.test('legacy files: unquoted integer ids (beyond 2^53 too), two-field metric lines, missing status and lifecycle_stage', async (t) => {
  const root = join(t.testdir(), 'mlruns');
  const big = '853099972095872099';
  const run = '0123456789abcdef0123456789abcdef';
  mkdirSync(join(root, big, run, 'metrics'), { recursive: true });
  mkdirSync(join(root, '1'), { recursive: true });
  writeFileSync(join(root, '1', 'meta.yaml'), 'artifact_location: /old/mlruns/1\nexperiment_id: 1\nlifecycle_stage: active\nname: legacy\n');
  writeFileSync(join(root, big, 'meta.yaml'), `artifact_location: file:///old/mlruns/${big}\nexperiment_id: ${big}\nname: big\n`);
  writeFileSync(join(root, big, run, 'meta.yaml'), `artifact_uri: file:///old/mlruns/${big}/${run}/artifacts\nexperiment_id: ${big}\nrun_uuid: ${run}\nstart_time: 5\n`);
  writeFileSync(join(root, big, run, 'metrics', 'm'), '100 0.5\n200 1e-05 3\n');
  tracking.setTrackingUri(root);
  t.same((await tracking.getExperiment('1')).experimentId, '1');
  t.same((await tracking.getExperiment(big)).experimentId, big, 'an unquoted id beyond 2^53 keeps every digit');
  const r = await tracking.getRun(run);
  t.same([r.info.runId, r.info.experimentId, r.info.status, r.info.lifecycleStage, r.info.endTime], [run, big, 'RUNNING', 'active', null]);
  t.same(await tracking.getMetricHistory(run, 'm'), [{ key: 'm', value: 0.5, timestamp: 100, step: 0 }, { key: 'm', value: 1e-5, timestamp: 200, step: 3 }]);
});

t.test('a malformed experiment meta.yaml: getExperiment names it, the listing skips it', async (t) => {
  const dir = store(t, 'filestore-mlflow-2.16-with-registry');
  const file = join(dir, E216, 'meta.yaml');
  writeFileSync(file, 'artifact_location: file:///x\ncreation_time: soon\nexperiment_id: x\nname: bad\n');
  await t.rejects(tracking.getExperiment(E216), { code: 'ERR_KINDLING_LOAD', message: `${file}:2: malformed MLflow store file: expected an integer for creation_time, got "soon"` });
  const onWarning = () => {};
  process.on('warning', onWarning);
  t.same((await new tracking.MlflowClient().searchExperiments()).map((e) => e.experimentId), ['0'], 'a client on the current tracking URI; the damaged experiment skipped');
  process.off('warning', onWarning);
  t.equal((await tracking.getRun('4ef5854252b74eaead2df1501e3dd622')).info.runName, 'RF', 'its runs stay readable');
});

t.test('a malformed registry file: the version names file and line, listings skip the model', async (t) => {
  const dir = store(t, 'filestore-mlflow-2.16-with-registry');
  const file = join(dir, 'models', 'SVMClassifier', 'version-1', 'meta.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('current_stage: None', 'current_stage: Prod'));
  await t.rejects(tracking.getModelVersion('SVMClassifier', 1), { code: 'ERR_KINDLING_LOAD', message: `${file}:3: malformed MLflow store file: current_stage "Prod" is not one of None, Staging, Production, Archived` });
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  t.same(await tracking.searchRegisteredModels(), []);
  t.same(await tracking.searchModelVersions(), []);
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  t.equal(warnings.length, 2);
});
