// AFTSurvivalRegression / AFTSurvivalRegressionModel (ts/ml/regression/aft-survival-regression*.ts):
// the PySpark docstring example, the ML guide's example, and Spark's exact AFT objective minimised
// with scipy to high precision on a censored data set (test/fixtures/data/aft-diabetes.csv), with
// and without intercept, over 1 and several partitions; transform and quantiles; persistence in
// Spark's layout; bad input with Spark's messages.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from '../../../ts/src/index.js';
import { Vectors, type DenseVector } from '../../../ts/ml/index.js';
import { AFTSurvivalRegression, AFTSurvivalRegressionModel } from '../../../ts/ml/regression/index.js';
import { readData, readMetadata } from '../../../ts/ml/persist.js';
import { AttributeGroup } from '../../../ts/ml/attribute/attributes.js';
import { GARBAGE, TRUTHY, uncodedOutcomes, type HostileCall } from '../hostile-helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'kindling-aft-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const spark = await Session.builder().master('local[2]').getOrCreate();
t.teardown(() => spark.stop());

type TestLike = { equal(found: unknown, wanted: unknown, message: string): unknown };

function close(t: TestLike, got: ArrayLike<number>, want: ArrayLike<number>, msg: string, tol = 1e-4): void {
  t.equal(got.length, want.length, `${msg}: length`);
  const bad = Array.from(want).findIndex((w, i) => !(Math.abs(got[i]! - w) <= tol * Math.max(Math.abs(w), 1e-300)));
  t.equal(bad, -1, bad < 0 ? msg : `${msg}: index ${bad}: ${got[bad]} vs ${want[bad]}`);
}

const vals = (v: unknown) => Array.from((v as DenseVector).toArray());

// Reference values: scipy 1.10 minimize (BFGS, gtol 1e-13, then L-BFGS-B, gtol 1e-14) of Spark's
// AFT objective mean(δ log σ − δ ε + e^ε), ε = (log t − β·x − b)/σ, over (β, b, log σ), with its
// analytic gradient; final max |gradient| < 1e-10.
const GUIDE = {
  coefficients: [-0.4963111503252676, 0.19844421706486542],
  intercept: 2.6380946781802956,
  scale: 1.547234535856876,
  predictions: [5.718980369082683, 18.076516059898456, 7.381861959851346, 13.57761083257949, 9.01309861213997],
  quantiles: [
    [1.1603240993659065, 4.995456789632168], [3.667544887942905, 15.789607422415186], [1.497706195410814, 6.447962760428509],
    [2.754761870843869, 11.859870788727983], [1.8286678489342114, 7.8728272789753895],
  ],
  // fitIntercept = false
  noIntercept: { coefficients: [1.8927450745086378, 1.066480511973861], scale: 1.7291229555385224 },
};
// sklearn's load_diabetes(), rows 0-79: label = target, censor = 0 for every 4th row, features (age, bmi, bp)
const DIABETES = { coefficients: [0.6051607089825631, 5.928560928471639, 1.0835301543902933], intercept: 5.2297346434262, scale: 0.40644995708090464 };

const guide = () =>
  spark.createDataFrame(
    [
      [1.218, 1.0, Vectors.dense(1.56, -0.605)],
      [2.949, 0.0, Vectors.dense(0.346, 2.158)],
      [3.627, 0.0, Vectors.dense(1.38, 0.231)],
      [0.273, 1.0, Vectors.dense(0.52, 1.151)],
      [4.199, 0.0, Vectors.dense(0.795, -0.226)],
    ].map(([label, censor, features]) => ({ label, censor, features })),
    'label double, censor double, features vector',
  );

function diabetes() {
  const lines = readFileSync(join(here, '../../fixtures/data/aft-diabetes.csv'), 'utf8').trim().split('\n').slice(1);
  return spark.createDataFrame(
    lines.map((l) => {
      const [label, censor, ...x] = l.split(',').map(Number);
      return { label: label!, censor: censor!, features: Vectors.dense(x) };
    }),
    'label double, censor double, features vector',
  );
}

t.test('PySpark docstring example', async (t) => {
  const df = spark.createDataFrame([{ label: 1.0, features: Vectors.dense(1.0), censor: 1.0 }, { label: 1e-40, features: Vectors.sparse(1, [], []), censor: 0.0 }], 'label double, features vector, censor double');
  const aftsr = new AFTSurvivalRegression();
  t.equal(aftsr.setMaxIter(10), aftsr);
  t.equal(aftsr.getMaxIter(), 10);
  aftsr.clear(aftsr.maxIter);
  const model = await aftsr.fit(df);
  t.equal(model.getMaxBlockSizeInMB(), 0.0);
  t.equal(model.setFeaturesCol('features'), model);
  t.equal(model.predict(Vectors.dense(6.3)), 1.0);
  close(t, vals(model.predictQuantiles(Vectors.dense(6.3))).map((v) => Math.round(v * 1e4) / 1e4), [0.0101, 0.0513, 0.1054, 0.2877, 0.6931, 1.3863, 2.3026, 2.9957, 4.6052], 'predictQuantiles (4 decimals)', 0);
  const rows = await model.transform(df).collect();
  t.same(rows.map((r) => [r.label, r.censor, r.prediction]), [[1.0, 1.0, 1.0], [1e-40, 0.0, 1.0]]);
  await aftsr.save(join(tmp, 'aftsr'));
  const aftsr2 = await AFTSurvivalRegression.load(join(tmp, 'aftsr'));
  t.equal(aftsr2.getMaxIter(), 100);
  await model.save(join(tmp, 'aftsr_model'));
  const model2 = await AFTSurvivalRegressionModel.load(join(tmp, 'aftsr_model'));
  t.same(vals(model2.coefficients), vals(model.coefficients));
  t.equal(model2.intercept, model.intercept);
  t.equal(model2.scale, model.scale);
  t.same(await model2.transform(df).collect(), rows);
  t.equal(String(model), `AFTSurvivalRegressionModel: uid=${model.uid}, numFeatures=1`);
});

t.test("the ML guide's example against scipy", async (t) => {
  const aft = new AFTSurvivalRegression({ quantileProbabilities: [0.3, 0.6], quantilesCol: 'quantiles' });
  const model = await aft.fit(guide());
  close(t, vals(model.coefficients), GUIDE.coefficients, 'coefficients');
  close(t, [model.intercept], [GUIDE.intercept], 'intercept');
  close(t, [model.scale], [GUIDE.scale], 'scale');
  const out = model.transform(guide());
  t.same(out.schema.fields.map((f) => f.name), ['label', 'censor', 'features', 'prediction', 'quantiles']);
  t.equal(AttributeGroup.fromField(out.schema.fields[4]!).size, 2, 'quantiles: an attribute group of 2');
  const rows = await out.collect();
  close(t, rows.map((r) => r.prediction as number), GUIDE.predictions, 'predictions');
  close(t, rows.flatMap((r) => vals(r.quantiles)), GUIDE.quantiles.flat(), 'quantiles');
  close(t, vals(model.predictQuantiles([1.56, -0.605])), GUIDE.quantiles[0]!, 'predictQuantiles');
  const m0 = await new AFTSurvivalRegression({ fitIntercept: false }).fit(guide());
  close(t, vals(m0.coefficients), GUIDE.noIntercept.coefficients, 'no intercept: coefficients');
  t.equal(m0.intercept, 0);
  close(t, [m0.scale], [GUIDE.noIntercept.scale], 'no intercept: scale');
  // only the quantiles column
  const q = model.copy().setPredictionCol('');
  t.same(q.transform(guide()).schema.fields.map((f) => f.name), ['label', 'censor', 'features', 'quantiles']);
});

t.test('censored diabetes data against scipy, 1 and 5 partitions', async (t) => {
  const df = diabetes();
  for (const [name, data] of [['2 partitions', df], ['1 partition', df.repartition(1)], ['5 partitions', df.repartition(5)]] as const) {
    const m = await new AFTSurvivalRegression({ aggregationDepth: 3 }).fit(data);
    close(t, vals(m.coefficients), DIABETES.coefficients, `${name}: coefficients`);
    close(t, [m.intercept, m.scale], [DIABETES.intercept, DIABETES.scale], `${name}: intercept, scale`);
  }
});

t.test("persistence in Spark's layout", async (t) => {
  const m = await new AFTSurvivalRegression({ quantilesCol: 'q', censorCol: 'censor' }).fit(guide());
  const dir = join(tmp, 'model');
  await m.save(dir);
  const md = await readMetadata(dir);
  t.equal(md.className, 'org.apache.spark.ml.regression.AFTSurvivalRegressionModel');
  t.same(md.paramMap, { quantilesCol: 'q', censorCol: 'censor' });
  t.same(md.defaultParamMap, {
    featuresCol: 'features', labelCol: 'label', predictionCol: 'prediction', censorCol: 'censor',
    quantileProbabilities: [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99],
    fitIntercept: true, maxIter: 100, tol: 1e-6, aggregationDepth: 2, maxBlockSizeInMB: 0,
  });
  const data = await readData(dir);
  t.same(data.schema.fields.map((f) => [f.name, f.nullable]), [['coefficients', true], ['intercept', false], ['scale', false]]);
  const back = await AFTSurvivalRegressionModel.load(dir);
  t.same(vals(back.coefficients), vals(m.coefficients));
  t.equal(back.scale, m.scale);
  t.equal(back.getQuantilesCol(), 'q');
  const made = new AFTSurvivalRegressionModel({ coefficients: [1, 2], intercept: 0.5, scale: 2 });
  t.equal(made.predict([1, 1]), Math.exp(3.5));
  close(t, vals(made.predictQuantiles([0, 0])), [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99].map((p) => Math.exp(0.5) * Math.exp(Math.log(-Math.log1p(-p)) * 2)), 'quantiles by hand', 1e-15);
});

t.test('bad input: Spark messages, rows named over the DataFrame', async (t) => {
  const rows = (r: Array<{ label: number | null; censor: number | null; x?: number }>) =>
    spark.createDataFrame(r.map((v) => ({ label: v.label, censor: v.censor, features: Vectors.dense(v.x ?? 1, 2) })), 'label double, censor double, features vector').repartition(1);
  const fit = (df: ReturnType<typeof rows>) => new AFTSurvivalRegression().fit(df);
  await t.rejects(fit(rows([{ label: 1, censor: 1 }, { label: 0, censor: 1 }])), /AFTSurvivalRegression: row 1 of label column label is 0: The lifetime or label should be greater than 0\./);
  await t.rejects(fit(rows([{ label: 1, censor: 1 }, { label: 2, censor: 2 }])), /row 1 of censor column censor is 2: Censors MUST be in \{0, 1\}, but got 2/);
  await t.rejects(fit(rows([{ label: 1, censor: 1 }, { label: 2, censor: null }])), /row 1 of censor column censor is null: Censors MUST NOT be Null or NaN/);
  await t.rejects(fit(rows([{ label: 1, censor: 1 }, { label: 2, censor: NaN }])), /row 1 of censor column censor is NaN: Censors MUST NOT be Null or NaN/);
  await t.rejects(fit(rows([{ label: 1, censor: 1 }, { label: NaN, censor: 1 }])), /row 1 of label column label is NaN: Labels MUST NOT be Null or NaN/);
  await t.rejects(fit(rows([{ label: 1, censor: 1 }, { label: 1, censor: 1, x: NaN }])), /row 1 of column features/);
  await t.rejects(fit(rows([{ label: 1, censor: 1 }, { label: -1, censor: 5 }, { label: 1, censor: 7 }])), /row 1 of (label|censor) column/, 'the lowest bad row');
  await t.rejects(fit(rows([])), /no rows/);
  const two = spark.createDataFrame([1, 2, 3, 4].map((i) => ({ label: i, censor: i === 4 ? 3 : 1, features: Vectors.dense(i) })), 'label double, censor double, features vector').repartition(2);
  await t.rejects(new AFTSurvivalRegression().fit(two), /row 3 of censor column censor is 3/);
  await t.rejects(new AFTSurvivalRegression().fit(spark.createDataFrame([{ label: 1, censor: 'a', features: Vectors.dense(1) }])), /column censor \(censorCol\) must be of a numeric type/);
  t.throws(() => new AFTSurvivalRegression({ quantileProbabilities: [0, 0.5] }), /quantileProbabilities/);
  t.throws(() => new AFTSurvivalRegression({ quantileProbabilities: [] }), /quantileProbabilities/);
  const m = new AFTSurvivalRegressionModel({ coefficients: [1, 2], intercept: 0, scale: 1 });
  await t.rejects(m.transform(spark.createDataFrame([{ features: Vectors.dense(1) }], 'features vector')).collect(), /has 1 features, but the model was fitted on 2/);
  t.throws(() => new AFTSurvivalRegressionModel().predict([1]), /has no coefficients/);
  t.throws(() => new AFTSurvivalRegressionModel({ coefficients: [1], scale: 0 }), /expected a finite number > 0 for scale/);
});

t.test('garbage arguments: a coded kindling error, never a TypeError from inside', async (t) => {
  const m = new AFTSurvivalRegressionModel({ coefficients: [1, 2], intercept: 0, scale: 1 });
  const calls: HostileCall[] = [
    ['new AFTSurvivalRegression', GARBAGE, (g) => new AFTSurvivalRegression(g as never)],
    ['new AFTSurvivalRegression({ quantileProbabilities })', GARBAGE, (g) => new AFTSurvivalRegression({ quantileProbabilities: g as never })],
    ['new AFTSurvivalRegression({ censorCol })', GARBAGE, (g) => new AFTSurvivalRegression({ censorCol: g as never })],
    ['AFTSurvivalRegression.fit', GARBAGE, (g) => new AFTSurvivalRegression().fit(g as never)],
    ['AFTSurvivalRegression.fit(df, extra)', TRUTHY, (g) => new AFTSurvivalRegression().fit(guide(), g as never)],
    ['new AFTSurvivalRegressionModel({ coefficients })', GARBAGE, (g) => new AFTSurvivalRegressionModel({ coefficients: g as never, scale: 1 })],
    ['new AFTSurvivalRegressionModel({ scale })', GARBAGE, (g) => new AFTSurvivalRegressionModel({ coefficients: [1], scale: g as never })],
    ['AFTSurvivalRegressionModel.predict', GARBAGE, (g) => m.predict(g as never)],
    ['AFTSurvivalRegressionModel.predictQuantiles', GARBAGE, (g) => m.predictQuantiles(g as never)],
    ['AFTSurvivalRegressionModel.transform', GARBAGE, (g) => m.transform(g as never)],
    ['AFTSurvivalRegressionModel.copy', TRUTHY, (g) => m.copy(g as never)],
  ];
  t.same(await uncodedOutcomes(calls), [], `${calls.length} calls`);
});
