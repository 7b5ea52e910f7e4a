/** The param table of Spark's FPGrowthParams (FPGrowth and FPGrowthModel); fpgrowth-params.ts is generated from it. */
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
