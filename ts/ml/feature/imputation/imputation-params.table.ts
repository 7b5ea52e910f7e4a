/**
 * The param tables of the missing-value stages: Spark's ImputerParams (Imputer and ImputerModel)
 * and kindling's own ConstantImputer and MissingIndicator (beyond Spark, the Spark ML book's
 * imputers); imputation-params.ts is generated from them.
 */
import { ParamValidators as V } from '../../param/params.js';
import { SharedParams, javaStringHash, uidOutputCol } from '../../param/shared-params.table.js';
import { param, paramFamily } from '../../param/spec.js';

const anyNumber = (v: number): string | null => (typeof v === 'number' ? null : 'a number');

/** Spark's HasOutputCols (no shared-table entry yet). */
const outputCols = param.of<string[]>('string[]', 'output column names', { validate: V.strArray(true) });

const missingValue = param.number('The placeholder for the missing values. All occurrences of missingValue will be imputed.', { default: NaN, validate: anyNumber });

export const ImputerParamsTable = paramFamily('ImputerParams', {
  doc: "Spark's ImputerParams, shared by Imputer and ImputerModel.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    inputCols: SharedParams.params.inputCols,
    outputCols,
    strategy: param.oneOf(
      ['mean', 'median', 'mode'],
      'strategy for imputation. If mean, then replace missing values using the mean value of the feature. If median, then replace missing values using the median value of the feature. If mode, then replace missing using the most frequent value of the feature.',
      { default: 'mean' },
    ),
    missingValue,
    relativeError: param.number('the relative target precision for the approximate quantile algorithm. Must be in the range [0, 1]', {
      default: 0.001,
      validate: V.inRange(0, 1),
    }),
  },
});

export const ConstantImputerParamsTable = paramFamily('ConstantImputerParams', {
  doc: "kindling's ConstantImputer (beyond Spark): replaces missing values by a given constant per column.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    inputCols: SharedParams.params.inputCols,
    outputCols,
    fillValue: param.of<number | number[]>(
      'number | number[]',
      'The value that replaces missing values: one number for every input column, or one per input column (in inputCols order).',
      { default: 0, validate: (v) => (typeof v === 'number' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')) ? null : 'a number or a non-empty array of numbers') },
    ),
    missingValue,
  },
});

export const MissingIndicatorParamsTable = paramFamily('MissingIndicatorParams', {
  doc: "kindling's MissingIndicator (beyond Spark): a 0/1 double column per input column, 1.0 where the value is missing.",
  params: {
    inputCol: SharedParams.params.inputCol,
    inputCols: SharedParams.params.inputCols,
    outputCols: param.of<string[]>('string[]', 'output column names (default: `<inputCol>_missing` for each input column)', { validate: V.strArray(true) }),
    missingValue,
  },
});

export const RandomSampleImputerParamsTable = paramFamily('RandomSampleImputerParams', {
  doc: "kindling's RandomSampleImputer (beyond Spark): replaces missing values by draws from the column's observed values, seeded.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    inputCols: SharedParams.params.inputCols,
    outputCols,
    missingValue,
    seed: { ...SharedParams.params.seed, default: javaStringHash('org.kindling.ml.feature.RandomSampleImputer') },
  },
});

export const IterativeImputerParamsTable = paramFamily('IterativeImputerParams', {
  doc: "kindling's IterativeImputer (beyond Spark): multivariate imputation by chained ordinary-least-squares regressions, as scikit-learn's IterativeImputer.",
  params: {
    inputCols: SharedParams.params.inputCols,
    outputCols,
    missingValue,
    maxIter: { ...SharedParams.params.maxIter, default: 10 },
    tol: { ...SharedParams.params.tol, default: 0.001 },
    seed: { ...SharedParams.params.seed, default: javaStringHash('org.kindling.ml.feature.IterativeImputer') },
  },
});
