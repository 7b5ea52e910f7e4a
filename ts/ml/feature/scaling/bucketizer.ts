/**
 * Bucketizer (Spark's ml.feature.Bucketizer): maps numeric columns to bucket indices (doubles)
 * by `splits` (one column: inputCol / outputCol) or `splitsArray` (several: inputCols /
 * outputCols); splits are at least 3 strictly increasing numbers, ±Infinity allowed at the
 * ends. handleInvalid (default 'error') governs NaN: 'skip' drops rows with a null or NaN in
 * any input column (Spark's na.drop), 'keep' puts NaN in the extra bucket splits.length - 1.
 * Values outside the splits are always errors (bucketizer-tasks.ts). Persisted as Spark's
 * DefaultParamsWriter does (metadata only); QuantileDiscretizer fits one.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { resolveIndex } from '../../../src/dataframe/eval.js';
import { isNumericType, sparkTypeName } from '../../../src/dataframe/types.js';
import { MLWritable } from '../../ml-writable.js';
import type { Params } from '../../param/params.js';
import { register } from '../../persist.js';
import { Model } from '../../stage.js';
import { BucketizerParamsMixin, type BucketizerParamsOptions } from './scaling-params.js';
import { bucketizeTransform, type BucketizeBroadcast } from './bucketizer-tasks.js';

export type BucketizerOptions = BucketizerParamsOptions;

/**
 * Spark's ParamValidators.checkSingleVsMultiColumnParams: with inputCols set, the single-column
 * params must not be set and the multi-column ones must be (of equal lengths); otherwise the
 * other way round. Returns the input and output columns.
 */
export function singleOrMultiColumns(stage: Params & { stageName: string }, single: readonly string[], multi: readonly string[]): { inputCols: string[]; outputCols: string[]; multi: boolean } {
  const api = stage.stageName;
  const isMulti = stage.isSet('inputCols');
  const [wrong, needed] = isMulti ? [single, multi] : [multi, single];
  const setWrong = wrong.filter((p) => stage.isSet(p));
  if (setWrong.length > 0) {
    throw Errors.invalidArg(api, setWrong.join(', '), `not set: ${stage.uid} has the ${isMulti ? 'inputCols' : 'inputCol'} Param set for ${isMulti ? 'multi' : 'single'}-column transform, so ${wrong.join(', ')} are not applicable`, 'set');
  }
  const missing = needed.filter((p) => !stage.isDefined(p));
  if (missing.length > 0) throw Errors.invalidArg(api, missing.join(', '), `set for a ${isMulti ? 'multi' : 'single'}-column transform`, undefined);
  if (!isMulti) return { inputCols: [stage.get('inputCol') as string], outputCols: [stage.getOrDefault(stage.getParam('outputCol')) as string], multi: false };
  const inputCols = stage.get('inputCols') as string[];
  const outputCols = stage.get('outputCols') as string[];
  if (inputCols.length !== outputCols.length) throw Errors.invalidArg(api, 'outputCols', `as many columns as inputCols (${inputCols.length})`, outputCols);
  return { inputCols, outputCols, multi: true };
}

/** The output schema: one nullable double column per input column, each input numeric, no output column already there. */
export function bucketOutputSchema(api: string, schema: arrow.Schema, inputCols: readonly string[], outputCols: readonly string[]): arrow.Schema {
  for (const c of inputCols) {
    const t = schema.fields[resolveIndex(api, c, schema)]!.type;
    if (!isNumericType(t)) throw Errors.schema(`${api}: column ${c} must be numeric, but is ${sparkTypeName(t)}`);
  }
  for (const o of outputCols) if (schema.fields.some((f) => f.name.toLowerCase() === o.toLowerCase())) throw Errors.schema(`${api}: Output column ${o} already exists.`);
  return new arrow.Schema([...schema.fields, ...outputCols.map((o) => new arrow.Field(o, new arrow.Float64(), true))]);
}

/** A Model, as in Spark (QuantileDiscretizer's fit returns one), usable alone as a Transformer. */
export class Bucketizer extends MLWritable(BucketizerParamsMixin(Model)) {
  constructor(options?: BucketizerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  private plan(): BucketizeBroadcast {
    const { inputCols, outputCols, multi } = singleOrMultiColumns(this, ['inputCol', 'outputCol', 'splits'], ['inputCols', 'outputCols', 'splitsArray']);
    const splits = multi ? this.getSplitsArray() : [this.getSplits()];
    if (splits.length !== inputCols.length) throw Errors.invalidArg(this.stageName, 'splitsArray', `one splits array per input column (${inputCols.length})`, splits);
    return { api: `${this.stageName}.transform`, inputCols, outputCols, splits, keepInvalid: this.getHandleInvalid() === 'keep' };
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const p = this.plan();
    return bucketOutputSchema(this.stageName, schema, p.inputCols, p.outputCols);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const p = this.plan();
    const schema = bucketOutputSchema(this.stageName, df.schema, p.inputCols, p.outputCols);
    const input = this.getHandleInvalid() === 'skip' ? df.na.drop('any', undefined, p.inputCols) : df;
    return input.mapInArrow(bucketizeTransform, schema, p);
  }
}

register('org.apache.spark.ml.feature.Bucketizer', Bucketizer, { jsonKinds: { splits: 'double', splitsArray: 'double' } });
