/**
 * The feature stages of `kindling/ml` (Spark's ml.feature, plus the Spark ML book's encoders and
 * imputers under KINDLING_FEATURE_NS): docs/ARCHITECTURE.md, "Feature engineering".
 */

// Assembling and vector transformers
export { VectorAssembler, type VectorAssemblerOptions, type HandleInvalid } from './vector-assembler.js';
export { PolynomialExpansion, ElementwiseProduct, VectorSlicer, VectorSizeHint } from './vector-transformers.js';
export { Interaction } from './interaction.js';

// Scaling and discretising
export { StandardScaler, StandardScalerModel, scalerStatsMerge, scalerStats, scalerStatsSummary, type StandardScalerOptions, type ScalerStats } from './standard-scaler.js';
export { MinMaxScaler, MinMaxScalerModel, type MinMaxScalerOptions } from './min-max-scaler.js';
export { MaxAbsScaler, MaxAbsScalerModel, type MaxAbsScalerOptions } from './max-abs-scaler.js';
export { MeanNormalizer, MeanNormalizerModel, type MeanNormalizerOptions } from './mean-normalizer.js';
export { RobustScaler, RobustScalerModel, type RobustScalerOptions } from './robust-scaler.js';
export { Normalizer, type NormalizerOptions } from './normalizer.js';
export { Bucketizer, type BucketizerOptions } from './bucketizer.js';
export { QuantileDiscretizer, type QuantileDiscretizerOptions } from './quantile-discretizer.js';

// Text
export { Tokenizer, RegexTokenizer, StopWordsRemover, NGram } from './text-transformers.js';
export { HashingTF } from './hashing-tf.js';
export { CountVectorizer, CountVectorizerModel, type CountVectorizerOptions } from './count-vectorizer.js';
export { IDF, IDFModel, type IDFOptions, type IDFModelState } from './idf.js';
export type { TokenizerParamsOptions, RegexTokenizerParamsOptions, StopWordsRemoverParamsOptions, NGramParamsOptions } from './text-params.js';
export { Word2Vec, Word2VecModel, type Word2VecOptions, type Synonym } from './word2vec.js';

// Categorical features and ML attributes (Spark's ml.attribute, in Arrow field metadata)
export * from '../attribute/attributes.js';
export { StringIndexer, StringIndexerModel, orderLabels, type StringIndexerOptions, type StringOrderType } from './string-indexer.js';
export { IndexToString, type IndexToStringOptions } from './index-to-string.js';
export { OneHotEncoder, OneHotEncoderModel, type OneHotEncoderOptions } from './one-hot-encoder.js';
export { FeatureHasher, type FeatureHasherOptions } from './feature-hasher.js';
export { VectorIndexer, VectorIndexerModel, categoryMapsOf, type VectorIndexerOptions, type CategoryMaps } from './vector-indexer.js';
export { CountEncoder, CountEncoderModel, type CountEncoderOptions } from './count-encoder.js';
export { OrdinalEncoder, OrdinalEncoderModel, type OrdinalEncoderOptions } from './ordinal-encoder.js';
export { WeightOfEvidenceEncoder, WeightOfEvidenceEncoderModel, weightsOfEvidence, type WeightOfEvidenceEncoderOptions } from './woe-encoder.js';
export { RareLabelEncoder, RareLabelEncoderModel, type RareLabelEncoderOptions } from './rare-label-encoder.js';

// Missing values
export { Imputer, ImputerModel, type ImputerOptions } from './imputer.js';
export { ConstantImputer, type ConstantImputerOptions } from './constant-imputer.js';
export { MissingIndicator, type MissingIndicatorOptions } from './missing-indicator.js';
export { RandomSampleImputer, RandomSampleImputerModel, type RandomSampleImputerOptions } from './random-sample-imputer.js';
export { IterativeImputer, IterativeImputerModel, type IterativeImputerOptions } from './iterative-imputer.js';

// Dimensionality reduction and feature selection
export { PCA, PCAModel, type PCAOptions } from './pca.js';
export { UnivariateFeatureSelector, UnivariateFeatureSelectorModel, type UnivariateFeatureSelectorOptions, type SelectionMode, type FeatureTest } from './univariate-feature-selector.js';
export { ChiSqSelector, ChiSqSelectorModel, type ChiSqSelectorOptions } from './chi-sq-selector.js';
export { VarianceThresholdSelector, VarianceThresholdSelectorModel, type VarianceThresholdSelectorOptions } from './variance-threshold-selector.js';
