// GeneralizedLinearRegression (Spark's): PySpark's docstring example, every family with its links
// against a numpy IRLS to convergence (test/reference/glr-reference.py → .json: the maximum
// likelihood GLM statsmodels fits, with Spark's summary formulas), offsets and weights, the
// summary, residuals, persistence and the errors.
import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, type DataFrame } from '../../../ts/src/index.js';
import { GeneralizedLinearRegression, GeneralizedLinearRegressionModel, Vectors, readData } from '../../../ts/ml/index.js';
import { close, csvRows, diabetes, reference } from './helpers.js';
import { roundHalfUp4 } from '../../../ts/ml/regression/generalized-linear-regression-summary.js';

const ref = reference('glr-reference.json');
const tmp = mkdtempSync(join(tmpdir(), 'kindling-glr-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

let spark: Session;
let df: DataFrame;
let iris: DataFrame;
t.before(async () => {
  spark = await Session.builder().master('local[2]').getOrCreate();
  const { x, y } = diabetes();
  df = spark.createDataFrame(x.map((f, i) => ({ features: f, label: y[i]!, w: 1 + (i % 3), off: 0.1 * (i % 4) })), 'features array<double>, label double, w double, off double');
  const species = readFileSync(new URL('../../fixtures/data/iris.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[4]);
  const ir = csvRows('iris.csv');
  iris = spark.createDataFrame(ir.x.map((f, i) => ({ features: f.slice(0, 2), label: species[i] === 'versicolor' ? 1 : 0 })), 'features array<double>, label double');
});
t.teardown(() => spark.stop());

async function quietly<T>(f: () => Promise<T>): Promise<{ value: T; warnings: Array<Error & { code?: string }> }> {
  const warnings: Error[] = [];
  const on = (w: Error) => warnings.push(w);
  process.on('warning', on);
  try {
    const value = await f();
    await new Promise((r) => setImmediate(r));
    return { value, warnings };
  } finally {
    process.off('warning', on);
  }
}

t.test("PySpark's docstring example", async (t) => {
  const df = spark.createDataFrame(
    [
      { label: 1.0, features: Vectors.dense(0.0, 0.0) },
      { label: 1.0, features: Vectors.dense(1.0, 2.0) },
      { label: 2.0, features: Vectors.dense(0.0, 0.0) },
      { label: 2.0, features: Vectors.dense(1.0, 1.0) },
    ],
    'label double, features vector',
  );
  const glr = new GeneralizedLinearRegression({ family: 'gaussian', link: 'identity', linkPredictionCol: 'p' });
  glr.setRegParam(0.1);
  t.equal(glr.getRegParam(), 0.1);
  glr.clear(glr.regParam);
  glr.setMaxIter(10);
  t.equal(glr.getMaxIter(), 10);
  glr.clear(glr.maxIter);
  const model = await glr.fit(df);
  model.setFeaturesCol('features');
  t.equal(model.getMaxIter(), 25);
  t.equal(model.getAggregationDepth(), 2);
  const transformed = await model.transform(df).collect();
  t.ok(Math.abs((transformed[0]!.prediction as number) - 1.5) < 0.001);
  t.ok(Math.abs((transformed[0]!.p as number) - 1.5) < 0.001);
  close(t, model.coefficients.toArray(), [1.5, -1.0], 1e-9, 'coefficients DenseVector([1.5..., -1.0...])');
  t.equal(model.numFeatures, 2);
  t.ok(Math.abs(model.intercept - 1.5) < 0.001);
  const glrPath = join(tmp, 'glr');
  await glr.save(glrPath);
  const glr2 = await GeneralizedLinearRegression.load(glrPath);
  t.equal(glr.getFamily(), glr2.getFamily());
  const modelPath = join(tmp, 'glr_model');
  await model.save(modelPath);
  const model2 = await GeneralizedLinearRegressionModel.load(modelPath);
  t.equal(model.intercept, model2.intercept);
  t.equal(model.coefficients.toArray()[0], model2.coefficients.toArray()[0]);
  t.same(await model.transform(df).head(1), await model2.transform(df).head(1));
});

const diabetesCases: Array<[string, Record<string, unknown>]> = [
  ['gaussian', {}],
  ['gaussianRidge', { regParam: 0.5 }],
  ['gaussianLog', { link: 'log' }],
  ['poisson', { family: 'poisson' }],
  ['poissonWOffset', { family: 'poisson', weightCol: 'w', offsetCol: 'off' }],
  ['poissonRidge', { family: 'poisson', regParam: 0.1 }],
  ['poissonSqrt', { family: 'poisson', link: 'sqrt' }],
  ['gammaLog', { family: 'gamma', link: 'log' }],
  ['gammaInverse', { family: 'gamma' }],
  ['tweedie', { family: 'tweedie', variancePower: 1.5, linkPower: 0 }],
];

function checkFit(t: Test, name: string, m: GeneralizedLinearRegressionModel, regularised: boolean): void {
  const r = ref[name];
  const s = m.summary;
  close(t, m.coefficients.toArray(), r.coef, 1e-8, `${name}: coefficients`);
  close(t, [m.intercept], [r.intercept], 1e-8, `${name}: intercept`);
  close(t, [s.deviance, s.nullDeviance, s.dispersion], [r.deviance, r.nullDeviance, r.dispersion], 1e-9, `${name}: deviance, nullDeviance, dispersion`);
  if (r.aic === null) t.throws(() => s.aic, /No AIC available for the tweedie family/);
  else close(t, [s.aic], [r.aic], 1e-9, `${name}: aic`);
  if (!regularised) {
    close(t, s.coefficientStandardErrors, r.se, 1e-7, `${name}: standard errors`);
    close(t, s.tValues, r.t, 1e-7, `${name}: t values`);
    close(t, s.pValues, r.p, 1e-5, `${name}: p values`, 1e-10);
  }
}

t.test('every family and link on diabetes against a numpy IRLS (the GLM maximum likelihood fit)', async (t) => {
  for (const [name, opts] of diabetesCases) {
    const m = await new GeneralizedLinearRegression({ ...opts, maxIter: 100, tol: 1e-10 }).fit(df);
    checkFit(t, name, m, name.endsWith('Ridge'));
    t.equal(m.summary.numIterations, name.startsWith('gaussian') && !name.endsWith('Log') ? 1 : m.summary.numIterations, `${name}: iterations`);
  }
});

t.test('binomial with logit, probit and cloglog links (iris: versicolor against sepal length and width)', async (t) => {
  for (const [name, link] of [['binomialLogit', 'logit'], ['binomialProbit', 'probit'], ['binomialCloglog', 'cloglog']] as const) {
    const m = await new GeneralizedLinearRegression({ family: 'binomial', link, maxIter: 100, tol: 1e-10 }).fit(iris);
    checkFit(t, name, m, false);
    t.equal(m.summary.rank, 3);
    t.equal(m.summary.degreesOfFreedom, 147);
    t.equal(m.summary.residualDegreeOfFreedomNull, 149);
  }
});

t.test('binomial with weights as trials (proportions as labels); poisson without an intercept', async (t) => {
  const species = readFileSync(new URL('../../fixtures/data/iris.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[4]);
  const ir = csvRows('iris.csv');
  const trials = spark.createDataFrame(
    ir.x.map((f, i) => ({ features: f.slice(0, 2), label: ((species[i] === 'versicolor' ? 1 : 0) + (i % 3)) / 3, w: 3 })),
    'features array<double>, label double, w double',
  );
  checkFit(t, 'binomialTrials', await new GeneralizedLinearRegression({ family: 'binomial', weightCol: 'w', maxIter: 100, tol: 1e-10 }).fit(trials), false);
  const counts = spark.createDataFrame(ir.x.map((f) => ({ features: f.slice(0, 2), label: Math.floor(f[2]!) })), 'features array<double>, label double');
  const m = await new GeneralizedLinearRegression({ family: 'poisson', fitIntercept: false, maxIter: 100, tol: 1e-10 }).fit(counts);
  checkFit(t, 'poissonNoIntercept', m, false);
  t.equal(m.intercept, 0);
  t.equal(m.summary.rank, 2);
  t.equal(m.summary.residualDegreeOfFreedomNull, 150);
});

t.test('summary: residuals of each type, evaluate(df), rank and degrees of freedom', async (t) => {
  const m = await new GeneralizedLinearRegression({ family: 'poisson', maxIter: 100, tol: 1e-10 }).fit(df);
  const s = m.summary;
  t.equal(s.numInstances, 442);
  t.equal(s.rank, 11);
  t.equal(s.residualDegreeOfFreedom, 431);
  t.equal(s.solver, 'irls');
  const r = ref.poisson;
  const first5 = async (type?: 'deviance' | 'pearson' | 'working' | 'response') => (await s.residuals(type).head(5)).map((row) => Object.values(row)[0] as number);
  close(t, await first5(), r.devres, 1e-8, 'deviance residuals (the default)');
  close(t, await first5('pearson'), r.pearsonres, 1e-8, 'pearson residuals');
  close(t, await first5('working'), r.workingres, 1e-8, 'working residuals');
  t.same(Object.keys((await s.residuals('response').head(1))[0]!), ['responseResiduals']);
  t.throws(() => s.residuals('other' as never), /The residuals type other is not supported by Generalized Linear Regression/);
  const ev = await m.evaluate(df);
  close(t, [ev.deviance, ev.aic, ev.dispersion], [r.deviance, r.aic, r.dispersion], 1e-9, 'evaluate(df)');
  t.equal('coefficientStandardErrors' in ev, false, 'evaluate has no standard errors (Spark)');
  t.equal(m.hasSummary, true);
  // Spark's R-like text: the intercept first, values rounded half-up to 4 places
  const text = String(s);
  const lines = text.split('\n');
  t.equal(lines[0], 'Coefficients:');
  t.match(lines[1]!, /^\s*Feature\s+Estimate\s+Std Error\s+T Value\s+P Value$/);
  t.match(lines[2]!, new RegExp(`^\\(Intercept\\)\\s+${roundHalfUp4(r.intercept).replace('.', '\\.')}\\s+${roundHalfUp4(r.se[10]).replace('.', '\\.')}`));
  t.match(lines[3]!, new RegExp(`^\\s*features_0\\s+${roundHalfUp4(r.coef[0]).replace('.', '\\.')}\\s`));
  t.ok(text.includes('(Dispersion parameter for poisson family taken to be 1.0000)'));
  t.match(text, new RegExp(`Null deviance: ${roundHalfUp4(r.nullDeviance).replace('.', '\\.')} on 431 degrees of freedom\nResidual deviance: ${roundHalfUp4(r.deviance).replace('.', '\\.')} on 431 degrees of freedom\nAIC: ${roundHalfUp4(r.aic).replace('.', '\\.')}$`));
  t.equal(roundHalfUp4(0.00005), '0.0001');
  t.equal(roundHalfUp4(-0.00001), '0.0000');
  t.equal(roundHalfUp4(-2.5), '-2.5000');
});

t.test('transform: linkPredictionCol and the offset column; predict uses offset 0', async (t) => {
  const m = await new GeneralizedLinearRegression({ family: 'poisson', offsetCol: 'off', linkPredictionCol: 'eta' }).fit(df);
  const rows = await m.transform(df).head(4);
  for (const row of rows) {
    const eta = (row.features as number[]).reduce((s, v, j) => s + v * m.coefficients.toArray()[j]!, m.intercept) + (row.off as number);
    t.ok(Math.abs((row.eta as number) - eta) < 1e-9);
    t.ok(Math.abs((row.prediction as number) - Math.exp(eta)) < 1e-9 * Math.exp(eta));
  }
  const x0 = rows[0]!.features as number[];
  t.ok(Math.abs(m.predict(x0) - Math.exp((rows[0]!.eta as number) - (rows[0]!.off as number))) < 1e-9 * m.predict(x0));
  const { warnings } = await quietly(async () => new GeneralizedLinearRegressionModel({ coefficients: [1], intercept: 0, predictionCol: '' }).transform(spark.createDataFrame([{ features: [1] }], 'features array<double>')));
  t.ok(warnings.some((w) => /does nothing because no output columns were set/.test(w.message)));
});

t.test('bad input: labels outside the family, family/link pairs, offsets, params (Spark messages)', async (t) => {
  const mk = (labels: Array<number | null>, offs: Array<number | null> = labels.map(() => 0)) =>
    spark.createDataFrame(labels.map((label, i) => ({ features: [i, (i * 7) % 5], label, off: offs[i] })), 'features array<double>, label double, off double');
  await t.rejects(new GeneralizedLinearRegression({ family: 'poisson' }).fit(mk([1, 2, -1, 3])), /row 2 of label column label is -1: The response variable of Poisson family should be non-negative, but got -1/);
  await t.rejects(new GeneralizedLinearRegression({ family: 'binomial' }).fit(mk([0, 1, 1, 1.5, 0])), /row 3 of label column label is 1\.5: The response variable of Binomial family should be in range \[0, 1\]/);
  await t.rejects(new GeneralizedLinearRegression({ family: 'gamma' }).fit(mk([1, 2, 0, 3])), /row 2 of label column label is 0: The response variable of Gamma family should be positive, but got 0/);
  await t.rejects(new GeneralizedLinearRegression({ family: 'tweedie', variancePower: 1.2 }).fit(mk([1, 2, -3, 3])), /row 2.*tweedie\(1\.2\) family should be non-negative/);
  await t.rejects(new GeneralizedLinearRegression().fit(mk([1, 2, NaN, 3])), /row 2 of label column label is NaN/);
  await t.rejects(new GeneralizedLinearRegression({ family: 'poisson', offsetCol: 'off' }).fit(mk([1, 2, 1, 3], [0, 0, null, 0])), /row 2 of column off is null.*Offsets MUST NOT be Null or NaN/);
  await t.rejects(new GeneralizedLinearRegression({ family: 'binomial', link: 'log' }).fit(mk([0, 1, 1, 0])), /Generalized Linear Regression with binomial family does not support log link function/);
  t.throws(() => new GeneralizedLinearRegression({ family: 'gaussian', link: 'logit' }).transformSchema(mk([1]).schema), /gaussian family does not support logit link function/);
  t.throws(() => new GeneralizedLinearRegression({ family: 'normal' as never }), /family/);
  t.throws(() => new GeneralizedLinearRegression({ variancePower: 0.5 }), /0 or >= 1 for variancePower/);
  t.throws(() => new GeneralizedLinearRegression({ solver: 'l-bfgs' as never }), /irls/);
  await t.rejects(new GeneralizedLinearRegression({ offsetCol: 'nope' }).fit(mk([1, 2])), /nope/);
  const { warnings } = await quietly(() => new GeneralizedLinearRegression({ family: 'poisson', linkPower: 0.5, variancePower: 1.5 }).fit(mk([1, 2, 1, 3, 2, 4])));
  t.ok(warnings.some((w) => /When family is not tweedie, setting param variancePower will take no effect/.test(w.message)));
  t.ok(warnings.some((w) => /use param link to specify link function\. Setting param linkPower will take no effect/.test(w.message)));
  const nc = await quietly(() => new GeneralizedLinearRegression({ family: 'gamma', link: 'log', maxIter: 2 }).fit(df));
  t.ok(nc.warnings.some((w) => w.code === 'KINDLING_GLR_NOT_CONVERGED'), 'maxIter reached: a warning');
  t.equal(nc.value.summary.numIterations, 2);
  t.equal(nc.value.summary.converged, false, 'and says so in its summary');
});

t.test("tweedie resolves as Spark: variancePower 0/1/2 are gaussian/poisson/gamma, linkPower names the link", async (t) => {
  const a = await new GeneralizedLinearRegression({ family: 'tweedie', variancePower: 1.0, maxIter: 100, tol: 1e-10 }).fit(df);
  close(t, a.coefficients.toArray(), ref.poisson.coef, 1e-8, 'tweedie(1) with its default link power 1 − 1 = 0 is poisson/log');
  t.ok(Math.abs(a.summary.aic - ref.poisson.aic) < 1e-6 * ref.poisson.aic, 'the poisson AIC');
  t.ok(Math.abs(a.summary.dispersion - 1) > 1e-3, "dispersion is estimated: the family param is 'tweedie' (Spark tests the param)");
  const g = await new GeneralizedLinearRegression({ family: 'tweedie', variancePower: 2, linkPower: 0, maxIter: 100, tol: 1e-10 }).fit(df);
  close(t, g.coefficients.toArray(), ref.gammaLog.coef, 1e-8, 'tweedie(2) with linkPower 0 is gamma/log');
});

t.test("persistence: Spark's layout (metadata class, data/ with intercept and coefficients)", async (t) => {
  const m = await new GeneralizedLinearRegression({ family: 'binomial', link: 'probit' }).fit(iris);
  const dir = join(tmp, 'probit');
  await m.save(dir);
  const md = JSON.parse(readFileSync(join(dir, 'metadata', 'part-00000'), 'utf8'));
  t.equal(md.class, 'org.apache.spark.ml.regression.GeneralizedLinearRegressionModel');
  t.equal(md.paramMap.family, 'binomial');
  t.equal(md.paramMap.link, 'probit');
  t.equal(md.defaultParamMap.maxIter, 25);
  t.equal(md.defaultParamMap.solver, 'irls');
  const data = await readData(dir);
  t.same(data.schema.fields.map((f) => f.name), ['intercept', 'coefficients']);
  const back = await GeneralizedLinearRegressionModel.load(dir);
  t.same(back.coefficients.toArray(), m.coefficients.toArray());
  t.equal(back.predict([5.5, 2.5]), m.predict([5.5, 2.5]));
  t.equal(back.toString(), `GeneralizedLinearRegressionModel: uid=${m.uid}, family=binomial, link=probit, numFeatures=2`);
});
