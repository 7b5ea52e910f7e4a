/**
 * MissingIndicator (kindling, beyond Spark: the Spark ML book's missing-value indicator,
 * scikit-learn's MissingIndicator(features='all')): appends, per numeric input column, a double
 * column that is 1.0 where the value is missing and 0.0 elsewhere (never null).
 *
 *   - one 0/1 double column per input (not a vector): each reads as a feature of its own and
 *     goes through VectorAssembler with the rest; named `<inputCol>_missing` unless outputCols
 *     is set (inputCol or inputCols, as Spark's Imputer; no outputCol param).
 *   - missing: null, or equal to missingValue (default NaN, so NaN is missing), as Imputer.
 *   - persisted params-only under kindling's own class name `org.kindling.ml.feature.MissingIndicator`.
 */
import * as arrow from 'apache-arrow';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { MLWritable } from '../../ml-writable.js';
import { register, KINDLING_FEATURE_NS } from '../../persist.js';
import { Transformer } from '../../stage.js';
import { columnField } from '../../data/schema-checks.js';
import { MissingIndicatorParamsMixin, type MissingIndicatorParamsOptions } from './imputation-params.js';
import { appendSameTypeColumns, inOutCols } from './imputer.js';
import { indicateMissing, type IndicateBroadcast } from './imputer-tasks.js';

export type MissingIndicatorOptions = MissingIndicatorParamsOptions;

const defaultOutputs = (inputs: string[]) => inputs.map((c) => `${c}_missing`);

export class MissingIndicator extends MLWritable(MissingIndicatorParamsMixin(Transformer)) {
  constructor(options?: MissingIndicatorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const s = appendSameTypeColumns(this.stageName, schema, inOutCols(this, defaultOutputs), new arrow.Float64());
    return new arrow.Schema(s.fields.map((f, i) => (i < schema.fields.length ? f : new arrow.Field(f.name, f.type, false))));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = `${this.stageName}.transform`;
    const schema = this.transformSchema(df.schema);
    const { inputs, outputs } = inOutCols(this, defaultOutputs);
    const b: IndicateBroadcast = { api, columns: inputs.map((c, j) => ({ inputCol: columnField(api, df.schema, c).field.name, outputCol: outputs[j]! })), missingValue: this.getMissingValue() };
    return df.mapInArrow(indicateMissing, schema, b);
  }
}

register(`${KINDLING_FEATURE_NS}.MissingIndicator`, MissingIndicator);
