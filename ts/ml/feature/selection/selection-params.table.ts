/**
 * The param tables of PCA and the univariate feature selectors: Spark's PCAParams and
 * UnivariateFeatureSelectorParams; selection-params.ts is generated from them.
 */
import { ParamValidators as V } from '../../param/params.js';
import { SharedParams, uidOutputCol } from '../../param/shared-params.table.js';
import { param, paramFamily } from '../../param/spec.js';

export const PCAParamsTable = paramFamily('PCAParams', {
  doc: "Spark's PCAParams, shared by PCA and PCAModel.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    k: param.number('the number of principal components (> 0)', { validate: V.intGt(0) }),
  },
});

export const UnivariateFeatureSelectorParamsTable = paramFamily('UnivariateFeatureSelectorParams', {
  doc: "Spark's UnivariateFeatureSelectorParams, shared by UnivariateFeatureSelector and its model.",
  params: {
    featuresCol: SharedParams.params.featuresCol,
    labelCol: SharedParams.params.labelCol,
    outputCol: uidOutputCol,
    featureType: param.oneOf(['categorical', 'continuous'], 'Feature type. Supported options: categorical, continuous.', { optional: true }),
    labelType: param.oneOf(['categorical', 'continuous'], 'Label type. Supported options: categorical, continuous.', { optional: true }),
    selectionMode: param.oneOf(
      ['numTopFeatures', 'percentile', 'fpr', 'fdr', 'fwe'],
      'The selection mode. Supported options: numTopFeatures (default), percentile, fpr, fdr, fwe.',
      { default: 'numTopFeatures' },
    ),
    selectionThreshold: param.number('The upper bound of the features that selector will select.', { validate: V.gtEq(0), optional: true }),
  },
});

const unitInterval = V.inRange(0, 1);

export const ChiSqSelectorParamsTable = paramFamily('ChiSqSelectorParams', {
  doc: "Spark's ChiSqSelectorParams (the older chi-squared selector), shared by ChiSqSelector and ChiSqSelectorModel.",
  params: {
    featuresCol: SharedParams.params.featuresCol,
    labelCol: SharedParams.params.labelCol,
    outputCol: uidOutputCol,
    numTopFeatures: param.number(
      'Number of features that selector will select, ordered by ascending p-value. If the number of features is < numTopFeatures, then this will select all features.',
      { default: 50, validate: V.int(1) },
    ),
    percentile: param.number('Percentile of features that selector will select, ordered by ascending p-value.', { default: 0.1, validate: unitInterval }),
    fpr: param.number('The highest p-value for features to be kept.', { default: 0.05, validate: unitInterval }),
    fdr: param.number('The upper bound of the expected false discovery rate.', { default: 0.05, validate: unitInterval }),
    fwe: param.number('The upper bound of the expected family-wise error rate.', { default: 0.05, validate: unitInterval }),
    selectorType: param.oneOf(
      ['numTopFeatures', 'percentile', 'fpr', 'fdr', 'fwe'],
      'The selector type. Supported options: numTopFeatures, percentile, fpr, fdr, fwe.',
      { default: 'numTopFeatures' },
    ),
  },
});
