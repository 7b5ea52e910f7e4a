/**
 * "No crash, whatever the input" (issue 10) for every feature stage (issue 14), as
 * test/ml/hostile-args.test.ts does for the others: constructing, configuring, fitting and
 * transforming with garbage works or throws a kindling error with a code (ERR_KINDLING_…).
 */
import t from 'tap';
import * as arrow from 'apache-arrow';
import { Session } from '../../../ts/src/index.js';
import { GARBAGE, TRUTHY, uncodedOutcomes, type HostileCall } from '../hostile-helpers.js';
import * as ML from '../../../ts/ml/index.js';

const spark = await Session.builder().master('local').getOrCreate();
t.teardown(() => spark.stop());
const df = spark.createDataFrame([{ s: 'a', x: 0, label: 1, v: ML.Vectors.dense([0, 1]) }, { s: 'b', x: 1, label: 0, v: ML.Vectors.dense([1, 1]) }]);

type Ctor = new (options?: unknown) => ML.Params & { fit?: (...a: unknown[]) => unknown; transform?: (...a: unknown[]) => unknown };
const A = ML as unknown as Record<string, Ctor>;
const ESTIMATORS = [
  'StringIndexer', 'OneHotEncoder', 'VectorIndexer', 'CountEncoder', 'OrdinalEncoder', 'WeightOfEvidenceEncoder', 'RareLabelEncoder',
  'CountVectorizer', 'IDF', 'Word2Vec', 'MinMaxScaler', 'MaxAbsScaler', 'MeanNormalizer', 'RobustScaler', 'QuantileDiscretizer',
  'Imputer', 'RandomSampleImputer', 'IterativeImputer', 'PCA', 'UnivariateFeatureSelector', 'ChiSqSelector', 'VarianceThresholdSelector',
];
const MODELS = [
  'StringIndexerModel', 'OneHotEncoderModel', 'VectorIndexerModel', 'CountEncoderModel', 'OrdinalEncoderModel', 'WeightOfEvidenceEncoderModel', 'RareLabelEncoderModel',
  'CountVectorizerModel', 'IDFModel', 'Word2VecModel', 'MinMaxScalerModel', 'MaxAbsScalerModel', 'MeanNormalizerModel', 'RobustScalerModel',
  'ImputerModel', 'RandomSampleImputerModel', 'IterativeImputerModel', 'PCAModel', 'UnivariateFeatureSelectorModel', 'ChiSqSelectorModel', 'VarianceThresholdSelectorModel',
];
const TRANSFORMERS = [
  'IndexToString', 'FeatureHasher', 'Tokenizer', 'RegexTokenizer', 'StopWordsRemover', 'NGram', 'HashingTF', 'Normalizer', 'Bucketizer',
  'PolynomialExpansion', 'ElementwiseProduct', 'VectorSlicer', 'VectorSizeHint', 'Interaction', 'ConstantImputer', 'MissingIndicator', 'Binarizer', 'DCT',
];

t.test('garbage arguments give coded kindling errors', async (t) => {
  const calls: HostileCall[] = [];
  for (const n of [...ESTIMATORS, ...MODELS, ...TRANSFORMERS]) {
    t.ok(A[n], `${n} is exported`);
    const C = A[n]!;
    calls.push([`new ${n}`, GARBAGE, (g) => new C(g)]);
    for (const p of ['inputCol', 'inputCols', 'outputCols', 'handleInvalid', 'labels', 'numFeatures', 'categoricalCols', 'maxCategories', 'categoryOrders', 'smoothing', 'tolerance', 'replacement', 'minCategories', 'dropLast', 'stringOrderType', 'normalize',
      'outputCol', 'featuresCol', 'labelCol', 'k', 'p', 'n', 'degree', 'splits', 'splitsArray', 'numBuckets', 'relativeError', 'min', 'max', 'lower', 'upper',
      'withMean', 'withStd', 'strategy', 'missingValue', 'fillValue', 'seed', 'maxIter', 'vocabSize', 'minDF', 'maxDF', 'minTF', 'binary', 'minDocFreq',
      'stopWords', 'caseSensitive', 'locale', 'pattern', 'gaps', 'minTokenLength', 'toLowercase', 'indices', 'names', 'size', 'scalingVec',
      'vectorSize', 'windowSize', 'minCount', 'stepSize', 'numPartitions', 'maxSentenceLength', 'selectionMode', 'selectionThreshold',
      'featureType', 'labelType', 'numTopFeatures', 'percentile', 'fpr', 'fdr', 'fwe', 'selectorType', 'varianceThreshold', 'tol', 'threshold', 'thresholds', 'inverse']) {
      calls.push([`new ${n}({ ${p} })`, GARBAGE, (g) => new C({ [p]: g })]);
    }
    calls.push([`${n}.set`, GARBAGE, (g) => new C().set(g as string, 1)]);
    calls.push([`${n}.copy`, TRUTHY, (g) => new C().copy(g as ML.ParamMap)]);
  }
  for (const n of [...MODELS, ...TRANSFORMERS]) calls.push([`${n}.transform`, GARBAGE, (g) => new A[n]!({ inputCol: 's', outputCol: 'o' }).transform!(g)]);
  for (const n of ESTIMATORS) {
    calls.push([`${n}.fit`, GARBAGE, (g) => new A[n]!({ inputCol: 's', outputCol: 'o' }).fit!(g)]);
    calls.push([`${n}.fit(df, extra)`, TRUTHY, (g) => new A[n]!({ inputCol: 's', outputCol: 'o' }).fit!(df, g)]);
  }
  calls.push(['StringIndexerModel.from', GARBAGE, (g) => ML.StringIndexerModel.from(g as never)]);
  calls.push(['StringIndexerModel.fromArrayOfLabels', GARBAGE, (g) => ML.StringIndexerModel.fromArrayOfLabels(g as never)]);
  calls.push(['attributeOf(garbage)', GARBAGE, (g) => ML.attributeOf(g as never)]);
  calls.push(['AttributeGroup.fromField(garbage)', GARBAGE, (g) => ML.AttributeGroup.fromField(g as never)]);
  calls.push(['withAttribute', GARBAGE, (g) => ML.withAttribute(new arrow.Field('f', new arrow.Float64()), g as never)]);
  const bad = (text: string) => new arrow.Field('f', new arrow.Float64(), true, new Map([['ml_attr', text]]));
  calls.push(['attributeOf', ['', '{', '[]', '{"type":"weird"}', '{"type":"nominal","vals":3}'], (g) => ML.attributeOf(bad(g as string))]);
  calls.push(['AttributeGroup.fromField', ['{', 'null', '{"attrs":{"numeric":[{"idx":9}]},"num_attrs":2}'], (g) => ML.AttributeGroup.fromField(bad(g as string))]);
  const uncoded = await uncodedOutcomes(calls);
  t.same(uncoded, [], `${calls.length} calls`);
});
