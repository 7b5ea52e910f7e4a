/**
 * The param tables of ml.fpm: Spark's FPGrowthParams (FPGrowth and FPGrowthModel) and the
 * params of PrefixSpan; fpm-params.ts is generated from them.
 */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily } from '../param/spec.js';

export const FPGrowthParamsTable = paramFamily('FPGrowthParams', {
  doc: "Spark's FPGrowthParams, shared by FPGrowth and FPGrowthModel.",
  params: {
    itemsCol: param.string('items column name', { default: 'items', validate: V.nonEmptyStr() }),
    minSupport: param.number('the minimal support level of a frequent pattern', { default: 0.3, validate: V.inRange(0, 1) }),
    numPartitions: param.number('Number of partitions used by parallel FP-growth', { validate: V.int(1) }),
    minConfidence: param.number('minimal confidence for generating Association Rule', { default: 0.8, validate: V.inRange(0, 1) }),
    predictionCol: SharedParams.params.predictionCol,
  },
});

export const PrefixSpanParamsTable = paramFamily('PrefixSpanParams', {
  doc: "The params of Spark's PrefixSpan.",
  params: {
    minSupport: param.number(
      'The minimal support level of the sequential pattern. Sequential pattern that appears more than (minSupport * size-of-the-dataset) times will be output.',
      { default: 0.1, validate: V.gtEq(0) },
    ),
    maxPatternLength: param.number('The maximal length of the sequential pattern.', { default: 10, validate: V.intGt(0) }),
    maxLocalProjDBSize: param.number(
      'The maximum number of items (including delimiters used in the internal storage format) allowed in a projected database before local processing. If a projected database exceeds this size, another iteration of distributed prefix growth is run.',
      { default: 32000000, validate: (v) => (Number.isSafeInteger(v) && v > 0 ? null : 'integer > 0') },
    ),
    sequenceCol: param.string('The name of the sequence column in dataset, rows with nulls in this column are ignored.', { default: 'sequence', validate: V.str() }),
  },
});
