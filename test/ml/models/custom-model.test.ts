// Custom models (ts/ml/models/custom-model.ts): saved with their artifacts and the module's
// file: URL, loaded back (loadContext sees the copied artifacts), predict on rows, and asUdf on
// `local` and `local[2]` (the model loads in the pool threads by its path: models.customScore).
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { parse } from 'yaml';
import { Session } from '../../../ts/src/index.js';
import { customSignature, loadModel, saveCustomModel } from '../../../ts/ml/index.js';

const MODULE = new URL('../../fixtures/models/scale-model.mjs', import.meta.url).href;
const tmp = mkdtempSync(join(tmpdir(), 'kindling-custom-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const factorFile = join(tmp, 'factor.txt');
writeFileSync(factorFile, '3');

const xs = [1, 2, 3, 4, 5, 6, 7];
const ys = [0.5, 0, 1, 0, 2, 0, 3];
const expected = xs.map((x, i) => x * 3 + ys[i]!);

t.test('save and load a custom model with an artifact', async (t) => {
  const spark = await Session.builder().appName('custom-model').master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const df = spark.createDataFrame({ x: Float64Array.from(xs), y: Float64Array.from(ys) });
  const dir = join(tmp, 'scale');
  await saveCustomModel({ module: MODULE, name: 'ScaleModel' }, dir, { artifacts: { factor: factorFile }, inputExample: df, signature: customSignature(df, new arrow.Field('p', new arrow.Float64())) });
  const m = parse(readFileSync(join(dir, 'MLmodel'), 'utf8')) as Record<string, any>;
  t.same(Object.keys(m.flavors), ['node_function']);
  t.same(m.flavors.node_function, {
    artifacts: { factor: { path: 'artifacts/factor.txt', uri: factorFile } }, env: { npm: 'package.json' }, loader_module: 'kindling/ml',
    model_export: 'ScaleModel', model_module: MODULE, node_version: process.versions.node, predict_fn: 'predict',
  });
  t.equal(readFileSync(join(dir, 'artifacts', 'factor.txt'), 'utf8'), '3');
  t.equal(m.signature.inputs, '[{"type": "double", "name": "x", "required": true}, {"type": "double", "name": "y", "required": true}]');
  writeFileSync(factorFile, '100'); // the saved copy is what loads
  const model = await loadModel(dir);
  t.equal(model.flavor, 'node_function');
  t.same(await model.predict(xs.map((x, i) => ({ x, y: ys[i] }))), expected);
  t.same(await model.predict({ dataframe_split: { columns: ['y', 'x'], data: [[1, 2]] } }), [7]);
  t.same(await model.predict(df), expected);
  t.same((await model.asUdf()(df).collect()).map((r) => r.prediction), expected);
  await t.rejects(model.predict([{ x: 1 }]), { code: 'ERR_KINDLING_SCHEMA', message: "scoring: missing column y required by the model's signature (x, y)" });
  writeFileSync(factorFile, '3');
});

t.test('asUdf on local[2]: the model loads in the pool threads', async (t) => {
  const spark = await Session.builder().appName('custom-model-pool').master('local[2]').getOrCreate();
  t.teardown(() => spark.stop());
  const model = await loadModel(join(tmp, 'scale'));
  const df = spark.createDataFrame({ x: Float64Array.from(xs), y: Float64Array.from(ys) });
  t.equal((await df.partitions()).length, 2);
  t.same((await model.asUdf()(df).collect()).map((r) => r.prediction), expected);
  t.same((await model.asUdf()(df).collect()).map((r) => r.prediction), expected, 'again, with the data placed on the executors');
  // 20,000 rows: over the pool's 8,192-row bar for running a job on the calling thread (pool-backend.ts)
  const dir = join(tmp, 'thread');
  await saveCustomModel({ module: MODULE, name: 'ThreadModel' }, dir, { signature: { inputs: [{ type: 'long', name: 'id', required: true }], outputs: [{ type: 'integer', required: true }] } });
  const ids = (await (await loadModel(dir)).asUdf()(spark.range(20_000).repartition(2)).collect()).map((r) => r.prediction as number);
  t.equal(ids.length, 20_000);
  t.ok(ids.every((id) => id > 0), `every row scored on a pool thread (thread ids ${[...new Set(ids)].join(', ')})`);
});

t.test('refusals name the module and export', async (t) => {
  const dir = join(tmp, 'bad');
  await saveCustomModel({ module: MODULE, name: 'notAClass' }, dir);
  await t.rejects(loadModel(dir), { code: 'ERR_KINDLING_LOAD', message: `loadModel: ${MODULE} has no exported class notAClass (named in ${join(dir, 'MLmodel')})` });
  const gone = join(tmp, 'gone');
  await saveCustomModel({ module: new URL('./nope.mjs', MODULE).href, name: 'X' }, gone);
  await t.rejects(loadModel(gone), { code: 'ERR_KINDLING_LOAD', message: /^loadModel: cannot import the custom model's module file:.*nope\.mjs/ });
  await t.rejects(saveCustomModel({ module: 'relative.mjs', name: 'X' }, join(tmp, 'r')), {
    code: 'ERR_KINDLING_INVALID_ARG',
    message: `saveCustomModel: expected the file: URL of the model's module (new URL('./m.js', import.meta.url).href) for ref.module, got "relative.mjs" (string)`,
  });
  const other = join(tmp, 'sub');
  mkdirSync(other);
  writeFileSync(join(other, 'factor.txt'), '4');
  await t.rejects(saveCustomModel({ module: MODULE, name: 'ScaleModel' }, join(tmp, 'clash'), { artifacts: { a: factorFile, b: join(other, 'factor.txt') } }), {
    code: 'ERR_KINDLING_INVALID_ARG',
    message: `saveCustomModel: expected a file whose name differs from artifact a's (both would be artifacts/factor.txt) for options.artifacts.b, got ${JSON.stringify(join(other, 'factor.txt').length > 40 ? `${join(other, 'factor.txt').slice(0, 37)}...` : join(other, 'factor.txt'))} (string)`,
  });
  t.notOk(existsSync(join(tmp, 'clash')), 'nothing is left behind');
  await t.rejects(saveCustomModel({ module: MODULE, name: '' }, join(tmp, 'r')), { code: 'ERR_KINDLING_INVALID_ARG', message: 'saveCustomModel: expected the name of the exported class for ref.name, got "" (string)' });
});
