/**
 * Issue 10's "no crash, whatever the input" for this area's stages and helpers: NaiveBayes,
 * OneVsRest, MultilabelClassifier, their models, the class-balance helpers and DataFrame.sampleBy
 * given garbage work or throw a coded kindling error (ERR_KINDLING_…), never a TypeError.
 */
import t from 'tap';
import { Session } from '../../../ts/src/index.js';
import { GARBAGE, TRUTHY, uncodedOutcomes, type HostileCall } from '../hostile-helpers.js';
import * as ML from '../../../ts/ml/index.js';

const spark = await Session.builder().master('local').getOrCreate();
t.teardown(() => spark.stop());
const { Vectors } = ML;
const df = spark.createDataFrame([
  { features: Vectors.dense([1, 2]), label: 1, labels: [0, 1] },
  { features: Vectors.dense([3, 1]), label: 0, labels: [0] },
  { features: Vectors.dense([0, 5]), label: 1, labels: [1] },
], 'features vector, label double, labels array<double>');

type Ctor = new (options?: unknown) => ML.Params & { fit: (...a: unknown[]) => Promise<ML.Model> };
const A = ML as unknown as Record<string, Ctor>;

t.test('garbage works or throws a coded kindling error', async (t) => {
  const nbModel = await new ML.NaiveBayes().fit(df);
  const ovrModel = await new ML.OneVsRest({ classifier: new ML.NaiveBayes() }).fit(df);
  const calls: HostileCall[] = [];
  for (const n of ['NaiveBayes', 'OneVsRest', 'MultilabelClassifier', 'NaiveBayesModel', 'OneVsRestModel', 'MultilabelClassificationModel']) {
    const C = A[n]!;
    calls.push([`new ${n}`, GARBAGE, (g) => new C(g)]);
    calls.push([`new ${n}({ modelType, classifier })`, GARBAGE, (g) => new C({ modelType: g, classifier: g, smoothing: g, numLabels: g })]);
    calls.push([`${n}.set`, GARBAGE, (g) => new C().set(g as string, 1)]);
    calls.push([`${n}.copy`, TRUTHY, (g) => new C().copy(g as ML.ParamMap)]);
  }
  for (const n of ['NaiveBayes', 'OneVsRest', 'MultilabelClassifier']) {
    calls.push([`${n}.fit`, GARBAGE, (g) => new A[n]!({ classifier: new ML.NaiveBayes() }).fit(g)]);
    calls.push([`${n}.fit(df, extra)`, TRUTHY, (g) => new A[n]!({ classifier: new ML.NaiveBayes() }).fit(df, g)]);
  }
  calls.push(['NaiveBayesModel.transform', GARBAGE, (g) => nbModel.transform(g as never)]);
  calls.push(['NaiveBayesModel.predict', GARBAGE, (g) => nbModel.predict(g as never)]);
  calls.push(['NaiveBayesModel.predictProbability', GARBAGE, (g) => nbModel.predictProbability(g as never)]);
  calls.push(['OneVsRestModel.transform', GARBAGE, (g) => ovrModel.transform(g as never)]);
  calls.push(['unfitted NaiveBayesModel.transform', [df], (g) => new ML.NaiveBayesModel().transform(g as never)]);
  calls.push(['unfitted OneVsRestModel.transform', [df], (g) => new ML.OneVsRestModel().transform(g as never)]);
  calls.push(['balancedClassWeights', GARBAGE, (g) => ML.balancedClassWeights(df, g as never)]);
  calls.push(['withClassWeights', GARBAGE, (g) => ML.withClassWeights(df, 'label', g as never)]);
  calls.push(['withClassWeights outputCol', GARBAGE, (g) => ML.withClassWeights(df, 'label', { 0: 1 }, g as never)]);
  calls.push(['resample', GARBAGE, (g) => ML.resample(df, 'label', g as never)]);
  calls.push(['resample ratio', GARBAGE, (g) => ML.resample(df, 'label', { strategy: 'undersample', ratio: g as never })]);
  calls.push(['sampleBy col', GARBAGE, (g) => df.sampleBy(g as never, { 0: 0.5 }, 1)]);
  calls.push(['sampleBy fractions', GARBAGE, (g) => df.sampleBy('label', g as never, 1)]);
  calls.push(['sampleBy seed', GARBAGE.filter((g) => g !== undefined), (g) => df.sampleBy('label', { 0: 0.5 }, g as never)]);
  const uncoded = await uncodedOutcomes(calls);
  t.same(uncoded, [], `${calls.length} calls`);
});
