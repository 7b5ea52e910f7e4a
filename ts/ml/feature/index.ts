/**
 * The feature stages of `kindling/ml` (Spark's ml.feature, plus the Spark ML book's encoders and
 * imputers under KINDLING_FEATURE_NS): docs/ARCHITECTURE.md, "Feature engineering".
 */

// Assembling and vector transformers
export { VectorAssembler, type VectorAssemblerOptions, type HandleInvalid } from './vectors/vector-assembler.js';
export { PolynomialExpansion, ElementwiseProduct, VectorSlicer, VectorSizeHint, DCT } from './vectors/vector-transformers.js';
export { Interaction } from './vectors/interaction.js';

// Scaling and discretising
export { StandardScaler, StandardScalerModel, type StandardScalerOptions } from './scaling/standard-scaler.js';
export { MinMaxScaler, MinMaxScalerModel, type MinMaxScalerOptions } from './scaling/min-max-scaler.js';
export { MaxAbsScaler, MaxAbsScalerModel, type MaxAbsScalerOptions } from './scaling/max-abs-scaler.js';
export { MeanNormalizer, MeanNormalizerModel, type MeanNormalizerOptions } from './scaling/mean-normalizer.js';
export { RobustScaler, RobustScalerModel, type RobustScalerOptions } from './scaling/robust-scaler.js';
export { Normalizer, type NormalizerOptions } from './scaling/normalizer.js';
export { Bucketizer, type BucketizerOptions } from './scaling/bucketizer.js';
export { Binarizer, type BinarizerOptions } from './scaling/binarizer.js';
export { QuantileDiscretizer, type QuantileDiscretizerOptions } from './scaling/quantile-discretizer.js';

// Text
export { Tokenizer, RegexTokenizer, StopWordsRemover, NGram } from './text/text-transformers.js';
export { HashingTF } from './text/hashing-tf.js';
export { CountVectorizer, CountVectorizerModel, type CountVectorizerOptions } from './text/count-vectorizer.js';
export { IDF, IDFModel, type IDFOptions, type IDFModelState } from './text/idf.js';
export type { TokenizerParamsOptions, RegexTokenizerParamsOptions, StopWordsRemoverParamsOptions, NGramParamsOptions } from './text/text-params.js';
export { Word2Vec, Word2VecModel, type Word2VecOptions, type Synonym } from './text/word2vec.js';

// Categorical features and ML attributes (Spark's ml.attribute, in Arrow field metadata)
export * from '../attribute/attributes.js';
export { StringIndexer, StringIndexerModel, orderLabels, type StringIndexerOptions, type StringOrderType } from './categorical/string-indexer.js';
export { IndexToString, type IndexToStringOptions } from './categorical/index-to-string.js';
export { OneHotEncoder, OneHotEncoderModel, type OneHotEncoderOptions } from './categorical/one-hot-encoder.js';
export { FeatureHasher, type FeatureHasherOptions } from './categorical/feature-hasher.js';
export { VectorIndexer, VectorIndexerModel, categoryMapsOf, type VectorIndexerOptions, type CategoryMaps } from './categorical/vector-indexer.js';
export { CountEncoder, CountEncoderModel, type CountEncoderOptions } from './categorical/count-encoder.js';
export { OrdinalEncoder, OrdinalEncoderModel, type OrdinalEncoderOptions } from './categorical/ordinal-encoder.js';
export { WeightOfEvidenceEncoder, WeightOfEvidenceEncoderModel, weightsOfEvidence, type WeightOfEvidenceEncoderOptions } from './categorical/woe-encoder.js';
export { RareLabelEncoder, RareLabelEncoderModel, type RareLabelEncoderOptions } from './categorical/rare-label-encoder.js';

// Missing values
export { Imputer, ImputerModel, type ImputerOptions } from './imputation/imputer.js';
export { ConstantImputer, type ConstantImputerOptions } from './imputation/constant-imputer.js';
export { MissingIndicator, type MissingIndicatorOptions } from './imputation/missing-indicator.js';
export { RandomSampleImputer, RandomSampleImputerModel, type RandomSampleImputerOptions } from './imputation/random-sample-imputer.js';
export { IterativeImputer, IterativeImputerModel, type IterativeImputerOptions } from './imputation/iterative-imputer.js';

// Dimensionality reduction and feature selection
export { PCA, PCAModel, type PCAOptions } from './selection/pca.js';
export { UnivariateFeatureSelector, UnivariateFeatureSelectorModel, type UnivariateFeatureSelectorOptions, type SelectionMode, type FeatureTest } from './selection/univariate-feature-selector.js';
export { ChiSqSelector, ChiSqSelectorModel, type ChiSqSelectorOptions } from './selection/chi-sq-selector.js';
export { VarianceThresholdSelector, VarianceThresholdSelectorModel, type VarianceThresholdSelectorOptions } from './selection/variance-threshold-selector.js';
