/**
 * ConstantImputer (kindling, beyond Spark: the Spark ML book's "arbitrary value" imputation,
 * scikit-learn's SimpleImputer(strategy='constant')): replaces missing values of numeric
 * columns by a given constant, with no fit.
 *
 *   - columns as Spark's Imputer (inputCol/outputCol or inputCols/outputCols, imputer.ts);
 *   - fillValue: one number for every column (default 0.0) or one per input column;
 *   - a value is missing as in ImputerModel.transform: null, or equal to missingValue (default
 *     NaN, so NaN is missing); the output keeps the input's type (fillValue cast to it).
 *   - persisted params-only under kindling's own class name `org.kindling.ml.feature.ConstantImputer`
 *     (Spark cannot load it; kindling's non-Spark stages live in the `kindling.ml` namespace).
 */
import type * as arrow from 'apache-arrow';
import { KindlingRangeError } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { MLWritable } from '../../ml-writable.js';
import { register, KINDLING_FEATURE_NS } from '../../persist.js';
import { Transformer } from '../../stage.js';
import { columnField } from '../../data/schema-checks.js';
import { ConstantImputerParamsMixin, type ConstantImputerParamsOptions } from './imputation-params.js';
import { appendSameTypeColumns, inOutCols } from './imputer.js';
import { imputeColumns, type ImputeBroadcast } from './imputer-tasks.js';

export type ConstantImputerOptions = ConstantImputerParamsOptions;

export class ConstantImputer extends MLWritable(ConstantImputerParamsMixin(Transformer)) {
  constructor(options?: ConstantImputerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /** The fill value of each input column. */
  private fills(inputs: string[]): number[] {
    const v = this.getFillValue();
    if (typeof v === 'number') return inputs.map(() => v);
    if (v.length !== inputs.length) throw new KindlingRangeError(`${this.stageName}: fillValue has ${v.length} numbers, but there are ${inputs.length} input columns (one number each, or one number for all)`);
    return v;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const cols = inOutCols(this);
    this.fills(cols.inputs);
    return appendSameTypeColumns(this.stageName, schema, cols);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = `${this.stageName}.transform`;
    const schema = this.transformSchema(df.schema);
    const { inputs, outputs } = inOutCols(this);
    const fills = this.fills(inputs);
    const b: ImputeBroadcast = {
      api,
      columns: inputs.map((c, j) => ({ inputCol: columnField(api, df.schema, c).field.name, outputCol: outputs[j]!, surrogate: fills[j]! })),
      missingValue: this.getMissingValue(),
    };
    return df.mapInArrow(imputeColumns, schema, b);
  }
}

register(`${KINDLING_FEATURE_NS}.ConstantImputer`, ConstantImputer);
