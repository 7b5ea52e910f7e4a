// saveModel / loadModel (ts/ml/models/): the MLmodel file's exact keys and signature JSON, the
// sidecar files, predictions equal to the model's transform on the row path (KMeansModel, and a
// VectorAssembler + StandardScaler + KMeans PipelineModel) and on the DataFrame path (the same
// pipeline with handleInvalid 'keep', which has no per-row form), MLflow's input formats, the
// MLflow fixtures' MLmodel files read, and refusals naming the file and flavors.
import t from 'tap';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as arrow from 'apache-arrow';
import { parse } from 'yaml';
import { Session } from '../../../ts/src/index.js';
import { Imputer, KMeans, KMeansModel, Pipeline, StandardScaler, VectorAssembler, Vectors, denseVectorColumn, kindlingVersion, loadModel, readMLmodel, saveModel } from '../../../ts/ml/index.js';

const FIX = fileURLToPath(new URL('../../../../shared/fixtures/mlflow/', import.meta.url));
const spark = await Session.builder().appName('models-test').master('local').getOrCreate();
t.teardown(() => spark.stop());
const tmp = mkdtempSync(join(tmpdir(), 'kindling-models-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const X = Float64Array.from([0, 0, 1, 1, 0.5, 0.2, 9, 9, 10, 11, 9.5, 10.2]);
const frame = () => spark.createDataFrame(new arrow.Table({ features: arrow.makeVector(denseVectorColumn(X, 2) as never) }));
const km = new KMeansModel({ clusterCenters: [[0, 0], [10, 10]] });
const points = [[0, 0], [1, 1], [0.5, 0.2], [9, 9], [10, 11], [9.5, 10.2]];

t.test('saveModel writes MLflow keys, the kindling and node_function flavors and the signature JSON', async (t) => {
  const dir = join(tmp, 'km');
  await saveModel(km, dir, { inputExample: frame(), artifactPath: 'model', runId: 'abc123' });
  t.same(readdirSync(dir).sort(), ['MLmodel', 'input_example.json', 'package.json', 'serving_input_example.json', 'sparkml']);
  const text = readFileSync(join(dir, 'MLmodel'), 'utf8');
  const m = parse(text) as Record<string, any>;
  t.same(Object.keys(m), ['artifact_path', 'flavors', 'kindling_version', 'model_size_bytes', 'model_uuid', 'run_id', 'saved_input_example_info', 'signature', 'utc_time_created']);
  t.equal(m.artifact_path, 'model');
  t.equal(m.run_id, 'abc123');
  t.same(m.flavors.kindling, { kindling_version: kindlingVersion(), model_class: 'org.apache.spark.ml.clustering.KMeansModel', model_data: 'sparkml', spark_version: '3.5.1' });
  t.same(m.flavors.node_function, { data: 'sparkml', env: { npm: 'package.json' }, loader_module: 'kindling/ml', node_version: process.versions.node, predict_fn: 'predict' });
  t.match(m.model_uuid, /^[0-9a-f]{32}$/);
  t.match(text, /^utc_time_created: '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}'$/m);
  t.ok(m.model_size_bytes > 0);
  t.same(m.signature, {
    inputs: '[{"type": "sparkml_vector", "name": "features", "required": true}]',
    outputs: '[{"type": "integer", "required": true}]',
    params: null,
  });
  t.same(m.saved_input_example_info, { artifact_path: 'input_example.json', pandas_orient: 'split', serving_input_path: 'serving_input_example.json', type: 'dataframe' });
  t.equal(readFileSync(join(dir, 'input_example.json'), 'utf8'), '{"columns": ["features"], "data": [[[0, 0]], [[1, 1]], [[0.5, 0.2]], [[9, 9]], [[10, 11]]]}');
  t.same(JSON.parse(readFileSync(join(dir, 'serving_input_example.json'), 'utf8')), { dataframe_split: { columns: ['features'], data: points.slice(0, 5).map((p) => [p]) } });
  const env = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  t.equal(env.dependencies.kindling, `^${kindlingVersion()}`);
  t.equal(env.dependencies['apache-arrow'], '^21.1.0');
  t.ok(readdirSync(join(dir, 'sparkml')).includes('metadata'), 'the model in Spark layout');
  await t.rejects(saveModel(km, dir), { code: 'ERR_KINDLING_INVALID_ARG', message: `saveModel: expected a path that does not exist yet for path, got ${JSON.stringify(dir)} (string)` });
  await t.rejects(saveModel({} as never, join(tmp, 'x')), { code: 'ERR_KINDLING_INVALID_ARG', message: /^saveModel: expected a fitted kindling model \(a Transformer\) for model/ });
});

t.test('loadModel: the row path predicts as transform does, in every MLflow input format', async (t) => {
  const model = await loadModel(join(tmp, 'km'));
  t.equal(model.flavor, 'kindling');
  t.ok(model.hasRowPath);
  t.same(model.signature?.inputs, [{ type: 'sparkml_vector', name: 'features', required: true }]);
  const expected = (await km.transform(frame()).select('prediction').collect()).map((r) => r.prediction);
  t.same(expected, [0, 0, 0, 1, 1, 1]);
  t.same(await model.predict(points.map((p) => ({ features: p }))), expected);
  t.same(await model.predict(points.map((p) => ({ features: Vectors.dense(p) }))), expected, 'rows holding kindling vectors');
  t.same(await model.predict({ dataframe_split: { columns: ['features'], data: points.map((p) => [p]) } }), expected);
  t.same(await model.predict({ instances: points }), expected);
  t.same(await model.predict({ inputs: { features: points } }), expected);
  t.same(await model.predict(frame()), expected);
  const out = await model.asUdf()(frame()).collect();
  t.same(out.map((r) => r.prediction), expected);
  await t.rejects(model.predict([{ features: [1, 2], extra: 1 }]), { code: 'ERR_KINDLING_SCHEMA', message: "scoring: column extra not in the model's signature (features)" });
  await t.rejects(model.predict([{ features: 'x' }]), { code: 'ERR_KINDLING_SCHEMA', message: 'scoring: row 0 of column features must be sparkml_vector, got "x" (string)' });
});

t.test('pipelines: VectorAssembler + StandardScaler + KMeans on the row path, and on the DataFrame path', async (t) => {
  const cols = () => spark.createDataFrame({ a: Float64Array.from(points, (p) => p[0]!), b: Float64Array.from(points, (p) => p[1]!) });
  for (const handleInvalid of ['error', 'keep'] as const) {
    const pipe = await new Pipeline({ stages: [
      new VectorAssembler({ inputCols: ['a', 'b'], outputCol: 'features', handleInvalid }),
      new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true }),
      new KMeans({ k: 2, featuresCol: 'scaled', seed: 1 }),
    ] }).fit(cols());
    const dir = join(tmp, `pipe-${handleInvalid}`);
    await saveModel(pipe, dir, { inputExample: cols() });
    const m = parse(readFileSync(join(dir, 'MLmodel'), 'utf8')) as Record<string, any>;
    t.equal(m.flavors.kindling.model_class, 'org.apache.spark.ml.PipelineModel');
    t.same(m.signature, { inputs: '[{"type": "double", "name": "a", "required": true}, {"type": "double", "name": "b", "required": true}]', outputs: '[{"type": "integer", "required": true}]', params: null });
    const model = await loadModel(`file://${dir}`);
    t.equal(model.hasRowPath, handleInvalid === 'error', `handleInvalid ${handleInvalid}: ${handleInvalid === 'error' ? 'the row path' : 'the DataFrame path'}`);
    const expected = (await pipe.transform(cols()).select('prediction').collect()).map((r) => r.prediction);
    t.equal(new Set(expected).size, 2);
    t.same(await model.predict(points.map(([a, b]) => ({ a, b }))), expected);
    t.same(await model.predict({ dataframe_split: { columns: ['b', 'a'], data: points.map(([a, b]) => [b, a]) } }), expected);
    t.same(await model.predict(cols()), expected);
    t.same((await model.asUdf()(cols()).collect()).map((r) => Object.keys(r)), Array(6).fill(['a', 'b', 'prediction']));
  }
  const row = await loadModel(join(tmp, 'pipe-error'));
  await t.rejects(row.predict([{ a: 1, b: 'x' }]), { code: 'ERR_KINDLING_SCHEMA', message: 'scoring: row 0 of column b must be double, got "x" (string)' });
});

t.test('the DataFrame path with a vector input: rows of lists become a vector column', async (t) => {
  const pipe = await new Pipeline({ stages: [
    new VectorAssembler({ inputCols: ['features'], outputCol: 'f2', handleInvalid: 'keep' }),
    new KMeans({ k: 2, featuresCol: 'f2', seed: 1 }),
  ] }).fit(frame());
  const dir = join(tmp, 'vector-frame');
  await saveModel(pipe, dir, { inputExample: frame() });
  const model = await loadModel(dir);
  t.notOk(model.hasRowPath);
  const expected = (await pipe.transform(frame()).select('prediction').collect()).map((r) => r.prediction);
  t.equal(new Set(expected).size, 2);
  t.same(await model.predict({ dataframe_split: { columns: ['features'], data: points.map((p) => [p]) } }), expected);
  await t.rejects(model.predict({ instances: [[1, 'x']] }), { code: 'ERR_KINDLING_SCHEMA', message: 'scoring: row 0 of column features must be sparkml_vector, got Array(2) (object)' });
});

t.test("the MLflow fixtures' MLmodel files", async (t) => {
  const sk = await readMLmodel(join(FIX, 'mlflow-repo-example_mlflow_1x_sklearn_model'));
  t.same(Object.keys(sk.flavors), ['python_function', 'sklearn']);
  t.equal(sk.raw.mlflow_version, '1.30.1');
  t.equal(sk.signature, null);
  await t.rejects(loadModel(join(FIX, 'mlflow-repo-example_mlflow_1x_sklearn_model')), {
    code: 'ERR_KINDLING_LOAD',
    message: `loadModel: ${join(FIX, 'mlflow-repo-example_mlflow_1x_sklearn_model', 'MLmodel')} has no flavor kindling can load (found python_function, sklearn; kindling loads kindling, node_function, spark)`,
  });
  const rf = join(FIX, 'spark-flavor-model-rf-regressor-3.3.2');
  const sp = await readMLmodel(rf);
  t.same(sp.flavors.spark, { code: null, model_data: 'sparkml', pyspark_version: '3.3.2' });
  await t.rejects(loadModel(rf), { code: 'ERR_KINDLING_LOAD', message: /^loadModel: org\.apache\.spark\.ml\.regression\.RandomForestRegressionModel \(uid RandomForestRegressor_7d9180788e66, saved at .*\) is not implemented yet in kindling/ });
  const sig = await readMLmodel(join(FIX, 'filestore-mlflow-2.22-params-signature/mlruns/0/c4e130d6e2f84b70acaf2c6f1127da26/artifacts/model'));
  t.equal(sig.signature?.inputs.length, 11);
  t.same(sig.signature?.inputs[0], { type: 'double', name: 'fixed acidity', required: true });
  t.same(sig.signature?.outputs, [{ type: 'double', required: true }]);
  t.equal(sig.signature?.params, null);
  const v3 = await readMLmodel(join(FIX, 'filestore-mlflow-3.4-logged-models/mlruns/711145645857372919/models/m-b67ce6ce3aa14ac6b96b1560ca678cb5/artifacts'));
  t.same([v3.raw.mlflow_version, v3.raw.model_id, v3.raw.utc_time_created, Object.keys(v3.flavors)], ['3.4.0', 'm-b67ce6ce3aa14ac6b96b1560ca678cb5', '2025-09-19 09:59:18.391312', ['python_function', 'sklearn']]);
  await t.rejects(loadModel(join(tmp, 'nowhere')), { code: 'ERR_KINDLING_LOAD', message: `loadModel: ${join(tmp, 'nowhere')} is not an MLflow model directory: cannot read ${join(tmp, 'nowhere', 'MLmodel')} (ENOENT)` });
});

t.test('a column with a missing value in the input example is optional in the signature, as MLflow infers', async (t) => {
  const abSchema = new arrow.Schema([new arrow.Field('a', new arrow.Float64(), true), new arrow.Field('b', new arrow.Float64(), true)]);
  const ab = (rows: Array<Record<string, number | null>>) => spark.createDataFrame(rows, abSchema);
  const train = ab([{ a: 1, b: 2 }, { a: null, b: 4 }, { a: 5, b: null }, { a: 7, b: 8 }]);
  const pipe = await new Pipeline({ stages: [
    new Imputer({ inputCols: ['a', 'b'], outputCols: ['af', 'bf'] }),
    new VectorAssembler({ inputCols: ['af', 'bf'], outputCol: 'features' }),
    new KMeans({ k: 2, seed: 1 }),
  ] }).fit(train);
  const dir = join(tmp, 'gaps');
  await saveModel(pipe, dir, { inputExample: ab([{ a: 1, b: 2 }, { a: null, b: 4 }]) });
  const m = parse(readFileSync(join(dir, 'MLmodel'), 'utf8')) as Record<string, any>;
  t.equal(m.signature.inputs, '[{"type": "double", "name": "a", "required": false}, {"type": "double", "name": "b", "required": true}]');
  const model = await loadModel(dir);
  const expected = (await pipe.transform(ab([{ a: null, b: 8 }])).collect()).map((r) => r.prediction);
  t.same(await model.predict([{ a: null, b: 8 }]), expected, 'a row without a (imputed) scores');
  await t.rejects(model.predict([{ a: 1, b: null }]), { code: 'ERR_KINDLING_SCHEMA', message: 'scoring: row 0 of column b is null, but the signature requires a value' });
});
