// logModel and autolog (ts/ml/tracking/log-model.ts, autolog.ts): a fitted model logged into the
// active run as an MLflow model directory under artifacts/<path>, the run's
// mlflow.log-model.history tag as MLflow 2.22 writes it, registration, loading back through
// runs:/ and models:/ URIs with the model's own predictions; autolog logging only the outermost
// fit's params, tags, training metrics and model, into the active run or a run of its own.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { parse } from 'yaml';
import { Session } from '../../../ts/src/index.js';
import { KMeans, Pipeline, StandardScaler, denseVectorColumn, loadModel, tracking } from '../../../ts/ml/index.js';

const spark = await Session.builder().appName('log-model-test').master('local').getOrCreate();
t.teardown(() => spark.stop());
const X = Float64Array.from([0, 0, 1, 1, 0.5, 0.2, 9, 9, 10, 11, 9.5, 10.2]);
const frame = () => spark.createDataFrame(new arrow.Table({ features: arrow.makeVector(denseVectorColumn(X, 2) as never) }));
const points = [[0, 0], [1, 1], [0.5, 0.2], [9, 9], [10, 11], [9.5, 10.2]];

t.beforeEach((t) => {
  tracking.autolog({ disable: true });
  tracking._resetFluentState();
  tracking.setTrackingUri(`file:${join(t.testdir(), 'mlruns')}`);
});
t.teardown(() => tracking.autolog({ disable: true }));

t.test('logModel: the model directory under the run, the history tag, registration, runs:/ and models:/', async (t) => {
  const root = join(t.testdirName, 'mlruns');
  const model = await new KMeans({ k: 2, seed: 1 }).fit(frame());
  const info = await tracking.withRun({ runName: 'km' }, () => tracking.logModel(model, 'model', { inputExample: frame(), registeredModelName: 'clusters' }));
  t.equal(info.modelUri, `runs:/${info.runId}/model`);
  const run = await tracking.getRun(info.runId);
  t.equal(run.info.status, 'FINISHED');
  const dir = join(root, run.info.experimentId, info.runId, 'artifacts', 'model');
  const mlmodel = parse(readFileSync(join(dir, 'MLmodel'), 'utf8')) as Record<string, unknown>;
  t.equal(mlmodel.run_id, info.runId);
  t.equal(mlmodel.artifact_path, 'model');
  t.ok(existsSync(join(dir, 'sparkml', 'metadata')), 'the kindling flavor\'s model in Spark\'s layout');
  const history = run.data.tags['mlflow.log-model.history']!;
  t.match(history, /^\[\{"run_id": "[0-9a-f]{32}", "artifact_path": "model", "utc_time_created": "\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", "model_uuid": "[0-9a-f]{32}", "flavors": \{/, 'MLflow 2.22\'s entry: keys in its order, Python json.dumps separators');
  const entry = (JSON.parse(history) as Array<Record<string, unknown>>)[0]!;
  t.same(Object.keys(entry), ['run_id', 'artifact_path', 'utc_time_created', 'model_uuid', 'flavors']);
  t.same(entry, { run_id: info.runId, artifact_path: 'model', utc_time_created: mlmodel.utc_time_created, model_uuid: mlmodel.model_uuid, flavors: mlmodel.flavors });
  t.equal(info.registeredModelVersion?.version, 1);
  const want = (await model.transform(frame()).collect()).map((r) => r.prediction);
  for (const uri of [info.modelUri, 'models:/clusters/1', 'models:/clusters/latest']) {
    const loaded = await loadModel(uri);
    t.same(await loaded.predict(points.map((features) => ({ features }))), want, `${uri} predicts as the model does`);
  }
  const udf = await spark.udf.fromModel('models:/clusters/1');
  t.same((await udf(frame()).collect()).map((r) => r.prediction), want, 'spark.udf.fromModel: the registered model as a DataFrame function');
  await t.rejects(spark.udf.fromModel('models:/nope/1'), { code: 'ERR_KINDLING_NOT_FOUND' });
  // a second model in the same run extends the history
  await tracking.startRun({ runId: info.runId });
  await tracking.logModel(model, 'again/model');
  await tracking.endRun();
  const again = JSON.parse((await tracking.getRun(info.runId)).data.tags['mlflow.log-model.history']!) as Array<{ artifact_path: string }>;
  t.same(again.map((e) => e.artifact_path), ['model', 'again/model']);
  await t.rejects(tracking.logModel(model, '../escape'), { code: 'ERR_KINDLING_INVALID_ARG', message: /^logModel: expected a relative artifact path such as 'model' for artifactPath, got "\.\.\/escape"/ });
  await t.rejects(tracking.logModel({} as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^saveModel: expected a fitted kindling model/ });
});

t.test('autolog: the outermost fit logs params, tags, training metrics and the model, in a run of its own', async (t) => {
  tracking.autolog();
  const km = new KMeans({ k: 2, seed: 1, maxIter: 7 });
  const model = await km.fit(frame());
  t.equal(tracking.activeRun(), null, 'the run autolog started is ended');
  const runs = await tracking.searchRuns();
  t.equal(runs.length, 1);
  const run = runs[0]!;
  t.equal(run.info.status, 'FINISHED');
  t.match(run.data.params, { k: '2', seed: '1', maxIter: '7', initMode: 'k-means||', distanceMeasure: 'euclidean', featuresCol: 'features', predictionCol: 'prediction', tol: '0.0001' });
  t.match(run.data.tags, { estimator_name: 'KMeans', estimator_class: 'org.apache.spark.ml.clustering.KMeans', 'kindling.version': /^\d+\.\d+\.\d+/ });
  t.equal(run.data.metrics.training_trainingCost, model.summary.trainingCost);
  t.equal(run.data.metrics.training_k, 2);
  t.equal(run.data.metrics.training_numIter, model.summary.numIter);
  t.ok(run.data.metrics.training_duration_ms! >= 0);
  const loaded = await loadModel(`runs:/${run.info.runId}/model`);
  t.same(await loaded.predict(points.map((features) => ({ features }))), (await model.transform(frame()).collect()).map((r) => r.prediction));

  // a Pipeline is one fit: its stages' fits inside it are not logged
  await new Pipeline({ stages: [new StandardScaler({ inputCol: 'features', outputCol: 'scaled' }), new KMeans({ k: 2, seed: 1, featuresCol: 'scaled' })] }).fit(frame());
  const after = await tracking.searchRuns({ orderBy: ['attributes.start_time ASC'] });
  t.equal(after.length, 2, 'one more run, for the pipeline only');
  t.equal(after[1]!.data.tags.estimator_name, 'Pipeline');

  // inside an active run, autolog logs into it
  const mine = await tracking.withRun({ runName: 'mine' }, async (r) => {
    await km.fit(frame());
    return r.info.runId;
  });
  t.equal((await tracking.searchRuns()).length, 3);
  t.equal((await tracking.getRun(mine)).data.params.k, '2');

  tracking.autolog({ disable: true });
  await km.fit(frame());
  t.equal((await tracking.searchRuns()).length, 3, 'disabled: nothing logged');
  tracking.autolog({ logModels: false });
  const r4 = await tracking.withRun(async (r) => { await km.fit(frame()); return r.info.runId; });
  t.same(await tracking.listArtifacts(r4), [], 'logModels: false logs no model');
  t.throws(() => tracking.autolog({ logModel: true } as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^autolog: expected keys among disable, logModels, silent for options, got "logModel"/ });
});
