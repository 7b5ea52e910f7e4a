/**
 * Binarizer (Spark's ml.feature.Binarizer): thresholds numbers or vectors to 0/1
 * (binarizer-tasks.ts). One column: inputCol / outputCol / threshold (default 0.0); several:
 * inputCols / outputCols with `thresholds`, or — as Spark — `threshold` applied to every column
 * when `thresholds` is not set. A number column's output is a double with Spark's
 * BinaryAttribute; a vector column's a vector in Spark's compressed form. Spark takes DoubleType
 * only; kindling takes any numeric column (a JS number has no separate integer type), cast to
 * double. Persisted as Spark's DefaultParamsWriter does (metadata only).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { resolveIndex } from '../../../src/dataframe/eval.js';
import { isNumericType, isVectorType, sparkTypeName } from '../../../src/dataframe/types.js';
import { MLWritable } from '../../ml-writable.js';
import { register } from '../../persist.js';
import { Transformer } from '../../stage.js';
import { singleOrMultiColumns } from './bucketizer.js';
import { binarizeTransform, binarizerFields, type BinarizeBroadcast } from './binarizer-tasks.js';
import { BinarizerParamsMixin, type BinarizerParamsOptions } from './scaling-params.js';

export type BinarizerOptions = BinarizerParamsOptions;

export class Binarizer extends MLWritable(BinarizerParamsMixin(Transformer)) {
  constructor(options?: BinarizerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  private plan(schema: arrow.Schema, api: string): BinarizeBroadcast & { fields: arrow.Field[] } {
    const { inputCols, outputCols, multi } = singleOrMultiColumns(this, ['inputCol', 'outputCol'], ['inputCols', 'outputCols']);
    if (!multi && this.isSet(this.thresholds)) throw Errors.invalidArg(api, 'thresholds', 'not set for a single-column transform (use threshold)', this.getThresholds());
    if (multi && this.isSet(this.thresholds) && this.isSet(this.threshold)) throw Errors.invalidArg(api, 'threshold, thresholds', 'only one of them set for a multi-column transform', 'both');
    const thresholds = multi && this.isSet(this.thresholds) ? this.getThresholds() : inputCols.map(() => this.getThreshold());
    if (thresholds.length !== inputCols.length) throw Errors.invalidArg(api, 'thresholds', `one threshold per input column (${inputCols.length})`, thresholds);
    const vector = inputCols.map((c) => {
      const t = schema.fields[resolveIndex(api, c, schema)]!.type;
      if (isVectorType(t)) return true;
      if (isNumericType(t)) return false;
      throw Errors.schema(`${api}: column ${c} must be numeric or a vector, but is ${sparkTypeName(t)} (Data type ${sparkTypeName(t)} is not supported.)`);
    });
    for (const o of outputCols) if (schema.fields.some((f) => f.name.toLowerCase() === o.toLowerCase())) throw Errors.schema(`${api}: Output column ${o} already exists.`);
    return { api, inputCols, outputCols, thresholds, vector, fields: binarizerFields(outputCols, vector) };
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return new arrow.Schema([...schema.fields, ...this.plan(schema, this.stageName).fields]);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const { fields, ...b } = this.plan(df.schema, `${this.stageName}.transform`);
    return df.mapInArrow(binarizeTransform, new arrow.Schema([...df.schema.fields, ...fields]), b);
  }
}

register('org.apache.spark.ml.feature.Binarizer', Binarizer, { jsonKinds: { threshold: 'double', thresholds: 'double' } });
