/**
 * Issue 10, "no crash, whatever the input", for the ML API: constructing, configuring, fitting,
 * transforming and evaluating with garbage for an argument works or throws a kindling error with
 * a code (ERR_KINDLING_…), never a TypeError from inside. Exact texts of the shared checks below.
 */
import t from 'tap';
import { Session } from '../../ts/src/index.js';
import { GARBAGE, TRUTHY, uncodedOutcomes, type HostileCall } from './hostile-helpers.js';
import * as ML from '../../ts/ml/index.js';

const spark = await Session.builder().master('local').getOrCreate();
t.teardown(() => spark.stop());
const { Vectors } = ML;
const df = spark.createDataFrame([
  { features: Vectors.dense([1, 2]), label: 1, prediction: 1 },
  { features: Vectors.dense([3, 1]), label: 0, prediction: 0 },
  { features: Vectors.dense([0, 5]), label: 1, prediction: 0 },
]);

type Ctor = new (options?: unknown) => ML.Params & { fit?: (...a: unknown[]) => unknown; evaluate?: (...a: unknown[]) => unknown };
const A = ML as unknown as Record<string, Ctor>;
const ESTIMATORS = ['KMeans', 'BisectingKMeans', 'GaussianMixture', 'LDA', 'StandardScaler', 'FPGrowth'];
const EVALUATORS = ['BinaryClassificationEvaluator', 'MulticlassClassificationEvaluator', 'RegressionEvaluator', 'ClusteringEvaluator', 'MultilabelClassificationEvaluator', 'RankingEvaluator'];
const OTHERS = ['VectorAssembler', 'Pipeline', 'CrossValidator', 'TrainValidationSplit', 'PrefixSpan', 'PowerIterationClustering'];

t.test('every stage given garbage works or throws a coded kindling error', async (t) => {
  const model = await new ML.KMeans({ k: 2, seed: 1, predictionCol: 'cluster' }).fit(df);
  const calls: HostileCall[] = [];
  for (const n of [...ESTIMATORS, ...EVALUATORS, ...OTHERS]) {
    t.ok(A[n], `${n} is exported`);
    const C = A[n]!;
    calls.push([`new ${n}`, GARBAGE, (g) => new C(g)]);
    calls.push([`new ${n}({ k })`, GARBAGE, (g) => new C({ k: g })]);
    calls.push([`${n}.getOrDefault`, GARBAGE, (g) => new C().getOrDefault(g as string)]);
    calls.push([`${n}.explainParam`, GARBAGE, (g) => new C().explainParam(g as string)]);
    calls.push([`${n}.set`, GARBAGE, (g) => new C().set(g as string, 1)]);
    calls.push([`${n}.copy`, TRUTHY, (g) => new C().copy(g as ML.ParamMap)]);
  }
  for (const n of ESTIMATORS) {
    calls.push([`${n}.fit`, GARBAGE, (g) => new A[n]!().fit!(g)]);
    calls.push([`${n}.fit(df, extra)`, TRUTHY, (g) => new A[n]!().fit!(df, g)]);
  }
  for (const n of EVALUATORS) {
    calls.push([`${n}.evaluate`, GARBAGE, (g) => new A[n]!().evaluate!(g)]);
    calls.push([`${n}.evaluate(df, extra)`, TRUTHY, (g) => new A[n]!().evaluate!(df, g)]);
  }
  calls.push(['KMeansModel.transform', GARBAGE, (g) => model.transform(g as never)]);
  calls.push(['KMeansModel.predict', GARBAGE, (g) => model.predict(g as never)]);
  calls.push(['Vectors.dense', GARBAGE, (g) => Vectors.dense(g as never)]);
  calls.push(['Vectors.sparse', GARBAGE, (g) => Vectors.sparse(3, g as never, [1])]);
  calls.push(['ParamGridBuilder.addGrid', GARBAGE, (g) => new ML.ParamGridBuilder().addGrid(g as never, [1])]);
  calls.push(['Pipeline({ stages }).fit', GARBAGE, (g) => new ML.Pipeline({ stages: g as never }).fit(df)]);
  const uncoded = await uncodedOutcomes(calls);
  t.same(uncoded, [], `${calls.length} calls`);
});

t.test('the shared checks name the stage and the argument', async (t) => {
  const km = new ML.KMeans();
  await t.rejects(km.fit(null as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^KMeans\.fit: expected a DataFrame for dataset, got null/ });
  await t.rejects(km.fit(df, 42 as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^KMeans\.fit: expected a ParamMap \(or nothing\) for extra, got 42/ });
  await t.rejects(new ML.RegressionEvaluator().evaluate({} as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^RegressionEvaluator\.evaluate: expected a DataFrame for dataset, got / });
  t.throws(() => km.getOrDefault(null as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^KMeans: expected a Param or a param name for param, got null/ });
  t.throws(() => km.copy('x' as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^KMeans: expected a ParamMap \(or nothing\) for extra, got "x"/ });
});
