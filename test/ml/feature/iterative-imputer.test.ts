// IterativeImputer (kindling, beyond Spark): a hand-computed fixed point, scikit-learn's steps
// replayed with NumPy (scikit-learn is not installed here: the reference below is NumPy 2.4.6
// following sklearn.impute.IterativeImputer(estimator=LinearRegression(), sample_posterior=False,
// imputation_order='ascending') step by step — mean start, features by ascending missing
// fraction, lstsq with an intercept on the observed rows, stop when the inf-norm of the change
// is below tol * max|observed|), params, local vs local[2], persistence, bad input.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IterativeImputer, IterativeImputerModel, Pipeline, PipelineModel } from '../../../ts/ml/index.js';
import { Session, col } from '../../../ts/src/index.js';

const spark = await Session.builder().appName('iterative').master('local').getOrCreate();
t.teardown(() => spark.stop());
const X = [[1, 2, NaN], [3, NaN, 1], [NaN, 6, 4], [7, 8, 2], [2, 1, 5], [5, NaN, 3]];
const frame = () => spark.createDataFrame(X.map(([a, b, c]) => ({ a, b, c })));
const imputedOf = (rows: Array<Record<string, unknown>>) => [rows[0]!.zc, rows[1]!.zb, rows[2]!.za, rows[5]!.zb] as number[];
const est = (o: Record<string, unknown> = {}) => new IterativeImputer({ inputCols: ['a', 'b', 'c'], outputCols: ['za', 'zb', 'zc'], ...o });

t.test('against NumPy replaying scikit-learn: one round, and the default 10 (stops after 4)', async (t) => {
  // NumPy reference: missing entries in row order (0,c) (1,b) (2,a) (5,b)
  const one = [1.69610327, 4.52970859, 6.62404181, 5.20651785];
  const ten = [1.7822564, 4.53744089, 6.27431227, 5.32558492];
  const m1 = await est({ maxIter: 1 }).fit(frame());
  const got1 = imputedOf(await m1.transform(frame()).collect());
  got1.forEach((v, i) => t.ok(Math.abs(v - one[i]!) < 1e-7, `round 1, entry ${i}: ${v}`));
  const m = await est().fit(frame());
  t.equal(m.nIter, 4, 'converged after 4 rounds, as NumPy/scikit-learn');
  t.equal(m.steps.length, 12, '3 regressions per round');
  const got = imputedOf(await m.transform(frame()).collect());
  got.forEach((v, i) => t.ok(Math.abs(v - ten[i]!) < 1e-7, `converged, entry ${i}: ${v}`));
  const rows = await m.transform(frame()).collect();
  t.same(rows.map((r) => r.za).filter((_, i) => i !== 2), [1, 3, 7, 2, 5], 'observed values are kept');
});

t.test('hand computation: points on b = 2a + 1 converge to the line', async (t) => {
  // observed rows lie on b = 2a + 1; the fixed point puts (4, ?) at b = 9 and (?, 11) at a = 5
  const df = spark.createDataFrame([{ a: 1, b: 3 }, { a: 2, b: 5 }, { a: 3, b: 7 }, { a: 4, b: NaN }, { a: NaN, b: 11 }]);
  const m = await new IterativeImputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'], maxIter: 200, tol: 1e-14 }).fit(df);
  const rows = await m.transform(df).collect();
  t.ok(Math.abs((rows[3]!.y as number) - 9) < 1e-9, `b of a = 4: ${rows[3]!.y}`);
  t.ok(Math.abs((rows[4]!.x as number) - 5) < 1e-9, `a of b = 11: ${rows[4]!.x}`);
  t.same(Array.from(m.means), [2.5, 6.5], 'the start: column means of the observed values');
  const m0 = await new IterativeImputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'], maxIter: 0 }).fit(df);
  const r0 = await m0.transform(df).collect();
  t.same([r0[3]!.y, r0[4]!.x], [6.5, 2.5], 'maxIter 0: mean imputation');
  t.same(Array.from(m.imputeRows(Float64Array.of(10, NaN), 1)).map((v) => Math.round(v * 1e9) / 1e9), [10, 21], 'a new row, on this thread');
});

t.test('params, defaults and bad input', async (t) => {
  const e = new IterativeImputer();
  t.same([e.getMaxIter(), e.getTol(), typeof e.getSeed()], [10, 0.001, 'number']);
  t.ok(Number.isNaN(e.getMissingValue()));
  const df = spark.createDataFrame([{ a: 1, b: -1 }, { a: 2, b: 4 }, { a: 3, b: 6 }, { a: -1, b: 8 }]);
  const m = await new IterativeImputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'], missingValue: -1, maxIter: 50, tol: 1e-12 }).fit(df);
  const r = await m.transform(df).collect();
  // by hand: the means of the observed values are a 2, b 6; regressing a on b over rows 0-2,
  // (b, a) = (6, 1), (4, 2), (6, 3), has covariance 0, so a = 2 (its mean); likewise b on a over
  // rows 1-3, (2, 4), (3, 6), (2, 8), gives b = 6: the start is already the fixed point
  t.same([r[0]!.y, r[3]!.x, m.nIter], [6, 2, 1], 'missingValue -1: a stationary start stops after one round');
  await t.rejects(new IterativeImputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'] }).fit(spark.createDataFrame([{ a: 1, b: NaN }, { a: 2, b: null }])), /IterativeImputer\.fit: surrogate cannot be computed\. All the values in b are Null, Nan or missingValue\(NaN\)/);
  await t.rejects(new IterativeImputer({ inputCols: ['a', 'b'], outputCols: ['x'] }).fit(df), /inputCols\(2\) and outputCols\(1\) should have the same length/);
  await t.rejects(new IterativeImputer({ inputCols: ['a'] }).fit(df), /expected a value \(the param has no default and was not set\) for outputCols/);
  await t.rejects(new IterativeImputer({ inputCols: ['s'], outputCols: ['x'] }).fit(spark.createDataFrame([{ s: 'q' }])), /column s \(inputCols\) must be of a numeric type, but is string/);
  t.throws(() => new IterativeImputer({ maxIter: -1 }), /expected integer >= 0 for maxIter/);
  await t.rejects(est().fit(frame().limit(0)), /All the values in a,b,c are Null/);
  t.same(await m.transform(df.limit(0)).collect(), []);
  t.throws(() => m.copy().setInputCols(['a']).setOutputCols(['x']).transform(df), /the model was fitted on 2 columns, inputCols has 1/);
  const ints = df.select(col('a').cast('int').alias('a'), col('b').cast('float').alias('b'));
  const ti = m.transform(ints);
  t.same(ti.schema.fields.slice(2).map((f) => String(f.type)), ['Int32', 'Float32'], 'outputs keep the input types');
});

t.test('persistence under kindling class names, alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const m = await est().fit(frame());
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.kindling.ml.feature.IterativeImputerModel');
  t.equal(meta.nIter, 4);
  const back = await IterativeImputerModel.load(join(dir, 'm'));
  t.equal(back.nIter, 4);
  t.equal(back.steps.length, 12);
  t.same(await back.transform(frame()).collect(), await m.transform(frame()).collect());
  const pm = await new Pipeline({ stages: [est()] }).fit(frame());
  await pm.save(join(dir, 'p'));
  t.same(await (await PipelineModel.load(join(dir, 'p'))).transform(frame()).collect(), await pm.transform(frame()).collect());
});

// last: it stops the `local` session and starts a `local[2]` one
t.test('local and local[2] give the same imputations', async (t) => {
  const a = await (await est().fit(frame().repartition(1))).transform(frame()).collect();
  await spark.stop();
  const s2 = await Session.builder().appName('iterative2').master('local[2]').getOrCreate();
  t.teardown(() => s2.stop());
  const df2 = s2.createDataFrame(X.map(([x, y, z]) => ({ a: x, b: y, c: z })));
  const b = await (await est().fit(df2.repartition(3))).transform(df2).collect();
  // the rows reach the driver in another order, so sums may differ in the last bits
  t.ok(b.every((r, i) => ['za', 'zb', 'zc'].every((c) => Math.abs((r[c] as number) - (a[i]![c] as number)) < 1e-12)));
});
