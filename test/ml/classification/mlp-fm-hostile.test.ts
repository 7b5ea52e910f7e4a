// MultilayerPerceptronClassifier, FMClassifier, FMRegressor and their models given garbage:
// each call works or throws a coded kindling error (test/ml/hostile-helpers.ts).
import t from 'tap';
import { Session } from '../../../ts/src/index.js';
import { GARBAGE, TRUTHY, uncodedOutcomes, type HostileCall } from '../hostile-helpers.js';
import * as ML from '../../../ts/ml/index.js';

t.test('garbage in: coded errors', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const df = spark.createDataFrame([
    { features: ML.Vectors.dense([1, 2]), label: 1 },
    { features: ML.Vectors.dense([3, 1]), label: 0 },
  ]);
  type Ctor = new (options?: unknown) => ML.Params & { fit(...a: unknown[]): unknown };
  const stages: Array<[string, Ctor, unknown]> = [
    ['MultilayerPerceptronClassifier', ML.MultilayerPerceptronClassifier as unknown as Ctor, { layers: [2, 2], maxIter: 3 }],
    ['FMClassifier', ML.FMClassifier as unknown as Ctor, { maxIter: 3 }],
    ['FMRegressor', ML.FMRegressor as unknown as Ctor, { maxIter: 3 }],
  ];
  const calls: HostileCall[] = [];
  for (const [n, C, ok] of stages) {
    calls.push([`new ${n}`, GARBAGE, (g) => new C(g)]);
    for (const p of ['layers', 'initialWeights', 'factorSize', 'solver', 'blockSize', 'miniBatchFraction', 'thresholds', 'seed']) calls.push([`new ${n}({ ${p} })`, GARBAGE, (g) => new C({ [p]: g })]);
    calls.push([`${n}.fit`, GARBAGE, (g) => new C(ok).fit(g)]);
    calls.push([`${n}.fit(df, extra)`, TRUTHY, (g) => new C(ok).fit(df, g)]);
  }
  process.on('warning', () => {});
  const models = [
    await new ML.MultilayerPerceptronClassifier({ layers: [2, 2], maxIter: 3 }).fit(df),
    await new ML.FMClassifier({ maxIter: 3 }).fit(df),
    await new ML.FMRegressor({ maxIter: 3 }).fit(df),
    new ML.FMRegressionModel(),
    new ML.MultilayerPerceptronClassificationModel(),
  ];
  for (const m of models) {
    calls.push([`${m.stageName}.transform`, GARBAGE, (g) => m.transform(g as never)]);
    calls.push([`${m.stageName}.predict`, GARBAGE, (g) => m.predict(g as never)]);
  }
  for (const g of GARBAGE) {
    calls.push(['new FMClassificationModel({ factors })', [g], (v) => new ML.FMClassificationModel({ factors: v as never })]);
    calls.push(['new FMRegressionModel({ linear })', [g], (v) => new ML.FMRegressionModel({ factors: [[1]], linear: v as never, intercept: v as never })]);
    calls.push(['new MultilayerPerceptronClassificationModel({ weights })', [g], (v) => new ML.MultilayerPerceptronClassificationModel({ layers: [2, 2], weights: v as never })]);
  }
  const uncoded = await uncodedOutcomes(calls);
  t.same(uncoded, [], `${calls.length} calls`);
});
