// Type tests of the params API, checked by `npm run typecheck` (tsc --noEmit over test/**): every
// `@ts-expect-error` line must fail to compile, every other line must compile. Never run.
//
//   - enumerated params are literal unions: a wrong value fails in options, setters and grids;
//   - getters return the param's type (the union, `T | undefined` for optional params);
//   - CrossValidator / TrainValidationSplit keep the estimator's model type for bestModel and
//     subModels; Class.load returns the class (a validator's model type is then Model);
//   - options take only the family's params; non-persistable classes have no save().
import type { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import {
  BinaryClassificationEvaluator, ClusteringEvaluator, CrossValidator, CrossValidatorModel, Estimator, GaussianMixture, KMeans, KMeansModel, LDA, Model,
  MulticlassClassificationEvaluator, ParamGridBuilder, Pipeline, PipelineModel, PowerIterationClustering, PrefixSpan, RegressionEvaluator,
  StandardScaler, TrainValidationSplit, VectorAssembler, type KMeansInitMode, type KMeansOptions,
} from '../../ts/ml/index.js';

/** true when A and B are the same type. */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<A, B>(ok: Equals<A, B>): void {
  void ok;
}

const km = new KMeans({ k: 3, distanceMeasure: 'cosine', initMode: 'random', solver: 'row' });

// ----- enumerated params: options, setters, grids ---------------------------------------------

// @ts-expect-error 'manhattan' is not a distance measure
new KMeans({ distanceMeasure: 'manhattan' });
// @ts-expect-error 'kmeans++' is not an init mode
new KMeans({ initMode: 'kmeans++' });
// @ts-expect-error nor 'sparse' a solver
new KMeans({ solver: 'sparse' });
// @ts-expect-error an unknown option
new KMeans({ nope: 1 });
// @ts-expect-error k is a number
new KMeans({ k: '3' });

km.setDistanceMeasure('euclidean').setInitMode('k-means||').setK(4);
// @ts-expect-error a wrong setter value
km.setDistanceMeasure('manhattan');

new ParamGridBuilder().addGrid(km.distanceMeasure, ['euclidean', 'cosine']).addGrid(km.k, [2, 3]).build();
// @ts-expect-error a wrong grid value
new ParamGridBuilder().addGrid(km.distanceMeasure, ['euclidean', 'manhattan']);
// @ts-expect-error a grid value of the wrong type
new ParamGridBuilder().addGrid(km.k, [2, '3']);

new LDA({ optimizer: 'em' }).setOptimizer('online');
// @ts-expect-error 'gibbs' is not an LDA optimizer
new LDA({ optimizer: 'gibbs' });
new PowerIterationClustering({ initMode: 'degree' });
// @ts-expect-error 'kmeans' is not a PIC init mode
new PowerIterationClustering({ initMode: 'kmeans' });
new VectorAssembler({ handleInvalid: 'keep' });
// @ts-expect-error 'drop' is not a handleInvalid option
new VectorAssembler({ handleInvalid: 'drop' });

// each evaluator has its own metric names
new RegressionEvaluator({ metricName: 'r2' });
new BinaryClassificationEvaluator({ metricName: 'areaUnderPR' });
new MulticlassClassificationEvaluator({ metricName: 'logLoss' });
new ClusteringEvaluator({ metricName: 'silhouette', distanceMeasure: 'cosine' });
// @ts-expect-error a binary metric is not a regression metric
new RegressionEvaluator({ metricName: 'areaUnderROC' });
// @ts-expect-error rmse is not a multiclass metric
new MulticlassClassificationEvaluator().setMetricName('rmse');
// @ts-expect-error 'euclidean' is the ClusteringEvaluator's 'squaredEuclidean'
new ClusteringEvaluator({ distanceMeasure: 'euclidean' });

// ----- getters ---------------------------------------------------------------------------------

expectType<ReturnType<KMeans['getDistanceMeasure']>, 'euclidean' | 'cosine'>(true);
expectType<ReturnType<KMeansModel['getDistanceMeasure']>, 'euclidean' | 'cosine'>(true);
expectType<ReturnType<KMeans['getInitMode']>, KMeansInitMode>(true);
expectType<KMeansInitMode, 'random' | 'k-means||'>(true);
expectType<ReturnType<KMeans['getK']>, number>(true);
expectType<ReturnType<KMeans['getWeightCol']>, string | undefined>(true);
expectType<ReturnType<LDA['getOptimizer']>, 'online' | 'em'>(true);
expectType<ReturnType<RegressionEvaluator['getMetricName']>, 'mse' | 'rmse' | 'r2' | 'mae' | 'var'>(true);
expectType<ReturnType<StandardScaler['getWithMean']>, boolean>(true);
expectType<ReturnType<VectorAssembler['getInputCols']>, string[]>(true);
expectType<ReturnType<GaussianMixture['getProbabilityCol']>, string>(true);
// setters chain on the class
expectType<ReturnType<KMeans['setK']>, KMeans>(true);
// options are the family's params plus the class's own
expectType<KMeansOptions['initialModel'], KMeansModel | number[][] | undefined>(true);

// ----- tuning keeps the estimator's model type -------------------------------------------------

async function tuning(df: DataFrame): Promise<void> {
  const grid = new ParamGridBuilder().addGrid(km.k, [2, 3]).build();
  const cv = new CrossValidator({ estimator: km, evaluator: new ClusteringEvaluator(), estimatorParamMaps: grid, collectSubModels: true });
  expectType<typeof cv, CrossValidator<KMeansModel>>(true);
  const cvModel = await cv.fit(df);
  expectType<typeof cvModel, CrossValidatorModel<KMeansModel>>(true);
  expectType<typeof cvModel.bestModel, KMeansModel>(true);
  expectType<typeof cvModel.subModels, KMeansModel[][]>(true);
  cvModel.bestModel.clusterCenters;

  const tvs = new TrainValidationSplit({ estimator: km, evaluator: new ClusteringEvaluator(), estimatorParamMaps: grid });
  const tvsModel = await tvs.fit(df);
  expectType<typeof tvsModel.bestModel, KMeansModel>(true);
  expectType<typeof tvsModel.subModels, KMeansModel[]>(true);

  // without an estimator option, or loaded from disk, the model type is Model
  const bare = new CrossValidator();
  expectType<ReturnType<typeof bare.getEstimator>, Estimator<Model>>(true);
  const loaded = await CrossValidator.load('/tmp/cv');
  expectType<typeof loaded, CrossValidator<Model>>(true);
  const loadedModel = await CrossValidatorModel.load('/tmp/cv-model');
  expectType<typeof loadedModel.bestModel, Model>(true);
}
void tuning;

// ----- persistence: Class.load returns the class; non-persistable classes have no save() ----------

async function persistence(): Promise<void> {
  const kmeans = await KMeans.load('/tmp/km');
  expectType<typeof kmeans, KMeans>(true);
  const model = await KMeansModel.load('/tmp/km-model');
  expectType<typeof model, KMeansModel>(true);
  const pipeline = await Pipeline.load('/tmp/pipeline');
  expectType<typeof pipeline, Pipeline>(true);
  const pipelineModel = await PipelineModel.read().load('/tmp/pipeline-model');
  expectType<typeof pipelineModel, PipelineModel>(true);
  const evaluator = await RegressionEvaluator.load('/tmp/evaluator');
  expectType<typeof evaluator, RegressionEvaluator>(true);
  await km.write().overwrite().save('/tmp/km');
  await km.save('/tmp/km');
  // @ts-expect-error PrefixSpan is Params only, as Spark: not persistable
  await new PrefixSpan().save('/tmp/ps');
}
void persistence;
