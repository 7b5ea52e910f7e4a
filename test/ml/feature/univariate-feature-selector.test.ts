// UnivariateFeatureSelector: Spark's documented examples (PySpark docstring, ML guide), the three
// scorings against scipy 1.17.1 (scipy.stats.f_oneway, pearsonr → F = r²/(1-r²)(n-2) with
// f.sf, chi2_contingency(correction=False); values computed once and pasted), every selection
// mode, local vs local[2], persistence (alone and in a Pipeline), bad input.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnivariateFeatureSelector, UnivariateFeatureSelectorModel, Pipeline, PipelineModel, Vectors, DenseVector, SparseVector } from '../../../ts/ml/index.js';
import { anovaTests, chiSquaredTests, fRegressionTests, selectByPValue, type FeatureTest } from '../../../ts/ml/feature/selection/univariate-feature-selector.js';
import { Session, col } from '../../../ts/src/index.js';

const spark = await Session.builder().appName('ufs').master('local').getOrCreate();
t.teardown(() => spark.stop());

const X = [[1.7, 4.4, 7.6, 5.8, 9.6, 2.3], [8.8, 7.3, 5.7, 7.3, 2.2, 4.1], [1.2, 9.5, 2.5, 3.1, 8.7, 2.5], [3.7, 9.2, 6.1, 4.1, 7.5, 3.8], [8.9, 5.2, 7.8, 8.3, 5.2, 3.0], [7.9, 8.5, 9.2, 4.0, 9.4, 2.1]];
const frame = (labels: number[]) => spark.createDataFrame(X.map((x, i) => ({ features: Vectors.dense(x), label: labels[i]! })));
const docLabels = [3, 2, 1, 2, 4, 4];
const guideLabels = [3, 2, 3, 2, 4, 4];
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

async function testsOf(labels: number[], featureType: 'continuous' | 'categorical', labelType: 'continuous' | 'categorical', data = frame(labels)): Promise<FeatureTest[]> {
  // the statistics through a fit with fpr 1.0 (keeps all), recomputed from the same summary the fit used
  const { aggregateRows } = await import('../../../ts/ml/data/checked-summary.js');
  const { selectorStats } = await import('../../../ts/ml/feature/selection/selector-tasks.js');
  const scoring = featureType === 'categorical' ? 'chi2' : labelType === 'categorical' ? 'anova' : 'fregression';
  const { value } = await aggregateRows('test', data, selectorStats, ['features', 'label'], { featuresCol: 'features', labelCol: 'label', scoring, api: 'test' });
  return scoring === 'chi2' ? chiSquaredTests(value) : scoring === 'anova' ? anovaTests(value) : fRegressionTests(value);
}

t.test("the PySpark docstring: continuous features, categorical label, threshold 1 → [2]", async (t) => {
  const selector = new UnivariateFeatureSelector({ outputCol: 'selectedFeatures' });
  selector.setFeatureType('continuous').setLabelType('categorical').setSelectionThreshold(1);
  const model = await selector.fit(frame(docLabels));
  t.equal(model.getFeaturesCol(), 'features');
  t.same(model.selectedFeatures, [2]);
  const head = (await model.transform(frame(docLabels)).collect())[0]!;
  t.ok(head.selectedFeatures instanceof DenseVector);
  t.same(Array.from((head.selectedFeatures as DenseVector).toArray()), [7.6]);
});

t.test('the ML guide: top 1 feature by f_classif → the last feature', async (t) => {
  const model = await new UnivariateFeatureSelector({ featuresCol: 'features', outputCol: 'selectedFeatures', labelCol: 'label', selectionMode: 'numTopFeatures', featureType: 'continuous', labelType: 'categorical', selectionThreshold: 1 }).fit(frame(guideLabels));
  t.same(model.selectedFeatures, [5]);
  t.same((await model.transform(frame(guideLabels)).collect()).map((r) => (r.selectedFeatures as DenseVector).toArray()[0]), [2.3, 4.1, 2.5, 3.8, 3.0, 2.1]);
});

t.test('ANOVA F (f_classif) equals scipy.stats.f_oneway', async (t) => {
  const want = [[2.506149985602042, 0.2979902828089635], [1.420229885057471, 0.43858166957108774], [16.307127882599595, 0.05833201868082805], [0.31318405074061173, 0.8192994047832666], [0.5544135869961365, 0.6940612519792261], [4.360493827160495, 0.19217109551591016]];
  const tests = await testsOf(docLabels, 'continuous', 'categorical');
  tests.forEach((r, j) => {
    t.ok(rel(r.statistic, want[j]![0]!) < 1e-10, `F ${j}: ${r.statistic}`);
    t.ok(rel(r.pValue, want[j]![1]!) < 1e-9, `p ${j}: ${r.pValue}`);
    t.equal(r.degreesOfFreedom, 3);
  });
});

t.test('F-regression (f_regression) equals scipy (pearsonr, f.sf)', async (t) => {
  const want = [[2.047896550863798, 0.22566326742719037], [1.7379762109981032, 0.2578166812119672], [28.242374875554308, 0.006028460274027544], [1.000870275168448, 0.3737142320869436], [0.03799756762975392, 0.8549486575486295], [0.6512980269989616, 0.46489989267001974]];
  const tests = await testsOf(docLabels, 'continuous', 'continuous');
  tests.forEach((r, j) => {
    t.ok(rel(r.statistic, want[j]![0]!) < 1e-9, `F ${j}: ${r.statistic}`);
    t.ok(rel(r.pValue, want[j]![1]!) < 1e-8, `p ${j}: ${r.pValue}`);
  });
  const m = await new UnivariateFeatureSelector({ featureType: 'continuous', labelType: 'continuous', selectionThreshold: 2, outputCol: 's' }).fit(frame(docLabels));
  t.same(m.selectedFeatures, [0, 2], 'the two lowest p-values: features 2 and 0');
});

t.test("chi-squared on categorical features (the ML guide's ChiSqSelector data) equals chi2_contingency", async (t) => {
  const data = spark.createDataFrame([
    { features: Vectors.dense([0.0, 0.0, 18.0, 1.0]), label: 1.0 },
    { features: Vectors.dense([0.0, 1.0, 12.0, 0.0]), label: 0.0 },
    { features: Vectors.dense([1.0, 0.0, 15.0, 0.1]), label: 0.0 },
  ]);
  const want = [[0.75, 1, 0.3864762307712325], [0.75, 1, 0.3864762307712325], [3.0, 2, 0.22313016014842982], [3.0, 2, 0.22313016014842982]];
  const tests = await testsOf([], 'categorical', 'categorical', data);
  tests.forEach((r, j) => {
    t.ok(rel(r.statistic, want[j]![0]!) < 1e-12, `stat ${j}`);
    t.equal(r.degreesOfFreedom, want[j]![1]);
    t.ok(rel(r.pValue, want[j]![2]!) < 1e-12, `p ${j}`);
  });
  const m = await new UnivariateFeatureSelector({ featureType: 'categorical', labelType: 'categorical', selectionThreshold: 1, outputCol: 's' }).fit(data);
  t.same(m.selectedFeatures, [2], 'the ML guide: [18.0], [12.0], [15.0]');
  const constant = await testsOf([], 'categorical', 'categorical', spark.createDataFrame([{ features: Vectors.dense([1, 2]), label: 0 }, { features: Vectors.dense([1, 3]), label: 1 }]));
  t.same(constant[0], { featureIndex: 0, statistic: 0, degreesOfFreedom: 0, pValue: 1 }, 'a one-value feature: statistic 0, p-value 1');
});

t.test('selection modes, by hand on fixed p-values', async (t) => {
  const p = [0.04, 0.001, 0.5, 0.01, 0.04, 0.2, 0.03, 0.9, 0.011, 0.7];
  const tests = p.map((pValue, featureIndex) => ({ featureIndex, statistic: 0, degreesOfFreedom: 1, pValue }));
  t.same(selectByPValue(tests, 'numTopFeatures', 3), [1, 3, 8]);
  t.same(selectByPValue(tests, 'numTopFeatures', 50), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.same(selectByPValue(tests, 'percentile', 0.45), [1, 3, 6, 8], 'the floor(10 * 0.45) = 4 lowest');
  t.same(selectByPValue(tests, 'percentile', 0.5), [0, 1, 3, 6, 8], 'ties at 0.04 broken by index: 0 before 4');
  t.same(selectByPValue(tests, 'fpr', 0.04), [1, 3, 6, 8], 'p < 0.04 strictly');
  // fdr: sorted p 0.001, 0.01, 0.011, 0.03, 0.04, 0.04, …; threshold 0.1 / 10 * rank: 0.01, 0.02, 0.03, 0.04, 0.05, 0.06 → the last rank passing is 6
  t.same(selectByPValue(tests, 'fdr', 0.1), [0, 1, 3, 4, 6, 8]);
  t.same(selectByPValue(tests, 'fdr', 0.005), [], 'no rank passes: 0.001 > 0.0005, 0.01 > 0.001, …');
  t.same(selectByPValue(tests, 'fwe', 0.1), [1], 'p < 0.1 / 10');
});

t.test('defaults and params', async (t) => {
  const s = new UnivariateFeatureSelector();
  t.equal(s.getSelectionMode(), 'numTopFeatures');
  t.equal(s.getSelectionThreshold(), undefined);
  t.equal(s.getFeaturesCol(), 'features');
  t.equal(s.getLabelCol(), 'label');
  t.equal(s.getOutputCol(), `${s.uid}__output`);
  const all = await new UnivariateFeatureSelector({ featureType: 'continuous', labelType: 'categorical' }).fit(frame(docLabels));
  t.same(all.selectedFeatures, [0, 1, 2, 3, 4, 5], 'numTopFeatures 50 by default keeps all 6');
  const pct = await new UnivariateFeatureSelector({ featureType: 'continuous', labelType: 'continuous', selectionMode: 'percentile' }).fit(frame(docLabels));
  t.same(pct.selectedFeatures, [], 'percentile 0.1 of 6 features: floor(0.6) = 0');
  const fpr = await new UnivariateFeatureSelector({ featureType: 'continuous', labelType: 'continuous', selectionMode: 'fpr' }).fit(frame(docLabels));
  t.same(fpr.selectedFeatures, [2], 'fpr 0.05: only p = 0.006');
  const fwe = await new UnivariateFeatureSelector({ featureType: 'continuous', labelType: 'continuous', selectionMode: 'fwe', selectionThreshold: 0.05 }).fit(frame(docLabels));
  t.same(fwe.selectedFeatures, [2], 'fwe: 0.006 < 0.05 / 6');
  const fdr = await new UnivariateFeatureSelector({ featureType: 'continuous', labelType: 'continuous', selectionMode: 'fdr', selectionThreshold: 0.05, labelCol: 'y', featuresCol: 'x', outputCol: 'o' }).fit(frame(docLabels).withColumnRenamed('label', 'y').withColumnRenamed('features', 'x'));
  t.same(fdr.selectedFeatures, [2], 'fdr: 0.006 <= 0.05 / 6; the next 0.2257 > 0.05 * 2 / 6');
  const sparse = spark.createDataFrame([{ features: Vectors.sparse(6, [2, 5], [7, 1]), label: 1 }]);
  const out = (await fdr.copy().setFeaturesCol('features').transform(sparse).collect())[0]!.o;
  t.ok(out instanceof SparseVector, 'sparse stays sparse');
  t.same([...(out as SparseVector).indices], [0]);
});

t.test('bad input', async (t) => {
  await t.rejects(new UnivariateFeatureSelector({ outputCol: 's' }).fit(frame(docLabels)), /featureType and labelType need to be set/);
  await t.rejects(new UnivariateFeatureSelector({ featureType: 'categorical', labelType: 'continuous' }).fit(frame(docLabels)), /Unsupported combination: featureType=categorical, labelType=continuous/);
  await t.rejects(new UnivariateFeatureSelector({ featureType: 'continuous', labelType: 'continuous', selectionThreshold: 1.5 }).fit(frame(docLabels)), /expected a positive integer for selection mode numTopFeatures for selectionThreshold, got 1\.5/);
  await t.rejects(new UnivariateFeatureSelector({ featureType: 'continuous', labelType: 'continuous', selectionMode: 'fpr', selectionThreshold: 2 }).fit(frame(docLabels)), /expected a number in \[0, 1\] for selection mode fpr for selectionThreshold, got 2/);
  t.throws(() => new UnivariateFeatureSelector({ selectionMode: 'kbest' as never }), /expected one of numTopFeatures, percentile, fpr, fdr, fwe for selectionMode/);
  const base = { featureType: 'continuous', labelType: 'categorical' } as const;
  await t.rejects(new UnivariateFeatureSelector(base).fit(spark.createDataFrame([{ features: Vectors.dense([1, 2]), label: 1 }, { features: Vectors.dense([1, 2]), label: null }])), /row 1 of column label is null; the selector needs a label in every row/);
  await t.rejects(new UnivariateFeatureSelector(base).fit(spark.createDataFrame([{ features: Vectors.dense([1, 2]), label: 1 }, { features: Vectors.dense([1]), label: 0 }])), /row 1 of the features column has size 1, but earlier rows have size 2/);
  await t.rejects(new UnivariateFeatureSelector(base).fit(spark.createDataFrame([{ features: Vectors.dense([1, 2]), label: 1 }, { features: Vectors.dense([1, NaN]), label: 0 }])), /row 1 of the features column has NaN at position 1/);
  await t.rejects(new UnivariateFeatureSelector(base).fit(spark.createDataFrame([{ features: Vectors.dense([1, 2]), label: 'a' }])), /column label \(labelCol\) must be of a numeric type, but is string/);
  await t.rejects(new UnivariateFeatureSelector(base).fit(frame(docLabels).filter(col('label').isNull())), /the DataFrame has no rows to fit on/);
  const many = spark.createDataFrame(Array.from({ length: 10_001 }, (_, i) => ({ features: Vectors.dense([i, 1]), label: i % 2 })));
  await t.rejects(new UnivariateFeatureSelector({ featureType: 'categorical', labelType: 'categorical' }).fit(many), /UnivariateFeatureSelector\.fit: Chi-square test expect factors \(categorical values\) but found more than 10000 distinct values in column 0/);
  const m = await new UnivariateFeatureSelector({ ...base, selectionThreshold: 1, outputCol: 's' }).fit(frame(docLabels));
  await t.rejects(m.transform(spark.createDataFrame([{ features: Vectors.dense([1, 2]) }])).collect(), /expected 6 \(the fitted size\) for vector size, got 2/);
  t.same(await m.transform(frame(docLabels).filter(col('label').isNull())).collect(), []);
});

t.test('save/load in Spark layout, alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const m = await new UnivariateFeatureSelector({ featureType: 'continuous', labelType: 'continuous', selectionThreshold: 2, outputCol: 's' }).fit(frame(docLabels));
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.UnivariateFeatureSelectorModel');
  t.same(meta.paramMap, { featureType: 'continuous', labelType: 'continuous', selectionThreshold: 2, outputCol: 's' });
  t.match(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'), /"selectionThreshold":2\.0/);
  const back = await UnivariateFeatureSelectorModel.load(join(dir, 'm'));
  t.same(back.selectedFeatures, [0, 2]);
  t.same(await back.transform(frame(docLabels)).collect(), await m.transform(frame(docLabels)).collect());
  const pm = await new Pipeline({ stages: [new UnivariateFeatureSelector({ featureType: 'continuous', labelType: 'categorical', selectionThreshold: 1, outputCol: 's' })] }).fit(frame(docLabels));
  await pm.save(join(dir, 'p'));
  t.same(await (await PipelineModel.load(join(dir, 'p'))).transform(frame(docLabels)).collect(), await pm.transform(frame(docLabels)).collect());
});

// last: it stops the `local` session and starts a `local[2]` one
t.test('local and local[2] select the same features', async (t) => {
  const rows = Array.from({ length: 200 }, (_, i) => ({ features: Vectors.dense([i % 3, (i * 7) % 5, i % 2, (i % 3) * 2 + (i % 2)]), label: i % 3 }));
  const kinds = [['categorical', 'categorical'], ['continuous', 'categorical'], ['continuous', 'continuous']] as const;
  const first: number[][] = [];
  for (const [ft, lt] of kinds) first.push((await new UnivariateFeatureSelector({ featureType: ft, labelType: lt, selectionThreshold: 2 }).fit(spark.createDataFrame(rows).repartition(1))).selectedFeatures);
  await spark.stop();
  const s2 = await Session.builder().appName('ufs2').master('local[2]').getOrCreate();
  t.teardown(() => s2.stop());
  for (const [k, [ft, lt]] of kinds.entries()) {
    t.same((await new UnivariateFeatureSelector({ featureType: ft, labelType: lt, selectionThreshold: 2 }).fit(s2.createDataFrame(rows).repartition(3))).selectedFeatures, first[k], `${ft}/${lt}`);
  }
});
