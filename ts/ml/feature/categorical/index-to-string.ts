/**
 * IndexToString (Spark's ml.feature.IndexToString): maps a column of label indices back to the
 * labels, from the `labels` param when it is set and not empty, else from the NominalAttribute
 * in the input column's `ml_attr` metadata (what StringIndexerModel writes). A null index gives
 * null; an index outside the labels fails naming the value, the column and the row. Persisted
 * as Spark's DefaultParamsWriter does (metadata only).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { attributeOf, NominalAttribute } from '../../attribute/attributes.js';
import { checkNumeric } from '../../data/schema-checks.js';
import { MLWritable } from '../../ml-writable.js';
import { register } from '../../persist.js';
import { Transformer } from '../../stage.js';
import { IndexToStringParamsMixin, type IndexToStringParamsOptions } from './categorical-params.js';
import { appendOutputs } from './categorical-columns.js';
import { indexToStringTask } from './categorical-tasks.js';

export type IndexToStringOptions = IndexToStringParamsOptions;

export class IndexToString extends MLWritable(IndexToStringParamsMixin(Transformer)) {
  constructor(options?: IndexToStringOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    checkNumeric(this.stageName, schema, 'inputCol', this.getInputCol());
    return appendOutputs(this.stageName, schema, [new arrow.Field(this.getOutputCol(), new arrow.Utf8(), true)]);
  }

  /** The labels: the param, else the input column's NominalAttribute values. */
  private labelsFor(schema: arrow.Schema): string[] {
    const given = this.getLabels();
    if (given !== undefined && given.length > 0) return given;
    const input = this.getInputCol();
    const field = schema.fields[checkNumeric(this.stageName, schema, 'inputCol', input)]!;
    const attr = attributeOf(field);
    if (!(attr instanceof NominalAttribute) || attr.values === undefined) {
      throw Errors.schema(`${this.stageName}: the labels param is not set and column ${input} has no nominal attribute with values in its ml_attr metadata (set labels, or index the column with StringIndexer)`);
    }
    return attr.values;
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const schema = this.transformSchema(df.schema);
    return df.mapInArrow(indexToStringTask, schema, { api: `${this.stageName}.transform`, input: this.getInputCol(), output: this.getOutputCol(), labels: this.labelsFor(df.schema) });
  }
}

register('org.apache.spark.ml.feature.IndexToString', IndexToString);
