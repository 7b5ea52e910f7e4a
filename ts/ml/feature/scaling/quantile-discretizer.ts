/**
 * QuantileDiscretizer (Spark's ml.feature.QuantileDiscretizer): fits a Bucketizer whose splits
 * are approximate quantiles of each input column (`df.approxQuantile`: Spark's
 * QuantileSummaries, nulls and NaN ignored) at probabilities i / numBuckets, i = 0..numBuckets
 * (numBucketsArray per column for inputCols; numBuckets for every column when it is not set),
 * then, as Spark's getDistinctSplits: the ends become -Infinity and +Infinity, -0.0 becomes 0.0,
 * repeated quantiles are dropped (fewer buckets), sorted. The Bucketizer takes the
 * discretizer's uid and its params (handleInvalid, input and output columns). Persisted as
 * Spark's DefaultParamsWriter does (metadata only).
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { MLWritable } from '../../ml-writable.js';
import { register } from '../../persist.js';
import { Estimator, type FitOptions } from '../../stage.js';
import { Bucketizer, bucketOutputSchema, singleOrMultiColumns } from './bucketizer.js';
import { QuantileDiscretizerParamsMixin, type QuantileDiscretizerParamsOptions } from './scaling-params.js';

export type QuantileDiscretizerOptions = QuantileDiscretizerParamsOptions;

/** Spark's QuantileDiscretizer.getDistinctSplits. */
export function distinctSplits(quantiles: readonly number[]): number[] {
  const s = quantiles.map((q) => (q === 0 ? 0 : q));
  s[0] = -Infinity;
  s[s.length - 1] = Infinity;
  return [...new Set(s)].sort((a, b) => a - b);
}

export class QuantileDiscretizer extends MLWritable(QuantileDiscretizerParamsMixin(Estimator<Bucketizer>)) {
  constructor(options?: QuantileDiscretizerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  private columns(): { inputCols: string[]; outputCols: string[]; multi: boolean; buckets: number[] } {
    const c = singleOrMultiColumns(this, ['inputCol', 'outputCol'], ['inputCols', 'outputCols']);
    if (c.multi && this.isSet('numBucketsArray')) {
      const nb = this.getNumBucketsArray();
      if (nb.length !== c.inputCols.length) throw Errors.invalidArg(this.stageName, 'numBucketsArray', `one number of buckets per input column (${c.inputCols.length})`, nb);
      return { ...c, buckets: nb };
    }
    if (!c.multi && this.isSet('numBucketsArray')) throw Errors.invalidArg(this.stageName, 'numBucketsArray', 'not set for a single-column transform (use numBuckets)', this.getNumBucketsArray());
    return { ...c, buckets: c.inputCols.map(() => this.getNumBuckets()) };
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const c = this.columns();
    return bucketOutputSchema(this.stageName, schema, c.inputCols, c.outputCols);
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<Bucketizer> {
    const api = `${this.stageName}.fit`;
    const c = this.columns();
    const probs = [...new Set(c.buckets.flatMap((nb) => Array.from({ length: nb + 1 }, (_, i) => i / nb)))].sort((a, b) => a - b);
    const q = (await df.approxQuantile(c.inputCols, probs, this.getRelativeError())) as number[][];
    const splits = c.inputCols.map((col, k) => {
      if (q[k]!.length === 0) throw Errors.schema(`${api}: column ${col} has no values to take quantiles of (every row is null or NaN, or there are no rows)`);
      const nb = c.buckets[k]!;
      const s = distinctSplits(Array.from({ length: nb + 1 }, (_, i) => q[k]![probs.indexOf(i / nb)]!));
      if (s.length < 3) throw Errors.schema(`${api}: column ${col} has a single distinct value, which gives no split point between -Infinity and Infinity (Bucketizer needs at least 3 splits)`);
      return s;
    });
    const handleInvalid = this.getHandleInvalid();
    const opts = c.multi ? { inputCols: c.inputCols, outputCols: c.outputCols, splitsArray: splits, handleInvalid } : { inputCol: c.inputCols[0], outputCol: c.outputCols[0], splits: splits[0], handleInvalid };
    return new Bucketizer(opts, this.uid).setParent(this);
  }
}

register('org.apache.spark.ml.feature.QuantileDiscretizer', QuantileDiscretizer, { jsonKinds: { relativeError: 'double' } });
