/**
 * BinaryClassificationEvaluator and BinaryClassificationMetrics, as Spark
 * (docs/formats/SPARK_DEFINITIONS.md §5):
 *   - scores group by distinct value (Java Double ordering: -0.0 and 0.0 distinct) into weighted
 *     positive/negative counts (label > 0.5 is positive); sorted by score descending and
 *     accumulated. A NaN or ±Infinity score or label fails, naming the row (Spark would sort NaN
 *     above every score);
 *   - numBins > 0 down-samples: when floor(#distinct scores / numBins) >= 2, consecutive
 *     points are merged in chunks of that many (the chunk keeps its last, smallest score). Spark
 *     restarts the chunks at each range partition of its sorted score RDD; here the sorted
 *     scores form one partition, so with more than 2 * numBins distinct scores the chunk
 *     boundaries (and hence the areas, slightly) can differ from a multi-partition Spark run;
 *   - ROC = (FPR, TPR) per point with (0,0) prepended and (1,1) appended; PR = (recall,
 *     precision) with (0, precision of the first point) prepended (SPARK-21806); precision is
 *     1 when nothing is predicted positive, recall/FPR 0 when there are no positives/negatives;
 *   - areas by the trapezoid rule.
 * rawPredictionCol is a double (the score) or a vector whose element 1 is the score (a dense
 * vector column must have size 2, as Spark checks its metadata).
 * Empty input: areaUnderROC is 0.5 (only (0,0)-(1,1) remain, as Spark) and areaUnderPR fails
 * (Spark: "empty collection").
 * The score histogram is a partition summary folded on the executors
 * (binary-classification-tasks.ts); the curves are drawn on the driver from the merged histogram.
 */
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { isNumericType, isVectorType, sparkTypeName } from '../../src/dataframe/types.js';
import { isDenseVectorType } from '../linalg/columns.js';
import { Evaluator } from '../stage.js';
import { MLWritable } from '../ml-writable.js';
import { BinaryClassificationEvaluatorParamsMixin, type BinaryClassificationEvaluatorParamsOptions } from './evaluator-params.js';
import { aggregateRows } from '../data/checked-summary.js';
import { columnField, checkNumeric, checkWeightCol } from '../data/schema-checks.js';
import { binaryScoreStats, type BinaryScoreStats } from './binary-classification-tasks.js';
import { register } from '../persist.js';
import type { BINARY_METRICS } from './evaluator-params.table.js';

/** Area under a curve of (x, y) points by the trapezoid rule (Spark's AreaUnderCurve.of). */
export function areaUnderCurve(points: ReadonlyArray<readonly [number, number]>): number {
  let auc = 0;
  for (let k = 1; k < points.length; k++) {
    const [x1, y1] = points[k - 1]!;
    const [x2, y2] = points[k]!;
    auc += ((x2 - x1) * (y2 + y1)) / 2;
  }
  return auc;
}

/** Spark's mllib BinaryClassificationMetrics over merged score statistics. */
export class BinaryClassificationMetrics {
  /** Thresholds (descending) after down-sampling. */
  private readonly thr: Float64Array;
  /** Cumulative weighted true/false positives at each threshold. */
  private readonly tp: Float64Array;
  private readonly fp: Float64Array;
  private readonly totalPos: number;
  private readonly totalNeg: number;

  constructor(stats: BinaryScoreStats, readonly numBins = 0) {
    if (!Number.isInteger(numBins) || numBins < 0) throw Errors.outOfRange('BinaryClassificationMetrics', 'numBins', 'an integer >= 0', numBins);
    let { scores, pos, neg } = stats;
    const count = scores.length;
    const grouping = numBins > 0 ? Math.floor(count / numBins) : 0;
    if (grouping >= 2) {
      const m = Math.ceil(count / grouping);
      const s2 = new Float64Array(m);
      const p2 = new Float64Array(m);
      const n2 = new Float64Array(m);
      for (let k = 0; k < count; k++) {
        const g = Math.floor(k / grouping);
        s2[g] = scores[k]!; // the chunk keeps its last (smallest) score
        p2[g]! += pos[k]!;
        n2[g]! += neg[k]!;
      }
      scores = s2;
      pos = p2;
      neg = n2;
    }
    const m = scores.length;
    this.thr = scores;
    this.tp = new Float64Array(m);
    this.fp = new Float64Array(m);
    let tp = 0;
    let fp = 0;
    for (let k = 0; k < m; k++) {
      tp += pos[k]!;
      fp += neg[k]!;
      this.tp[k] = tp;
      this.fp[k] = fp;
    }
    this.totalPos = tp;
    this.totalNeg = fp;
  }

  thresholds(): number[] {
    return Array.from(this.thr);
  }

  private recall(k: number): number {
    return this.totalPos === 0 ? 0 : this.tp[k]! / this.totalPos;
  }

  private fpr(k: number): number {
    return this.totalNeg === 0 ? 0 : this.fp[k]! / this.totalNeg;
  }

  private precision(k: number): number {
    const all = this.tp[k]! + this.fp[k]!;
    return all === 0 ? 1 : this.tp[k]! / all;
  }

  /** (FPR, TPR) points with (0,0) prepended and (1,1) appended. */
  roc(): Array<[number, number]> {
    const out: Array<[number, number]> = [[0, 0]];
    for (let k = 0; k < this.thr.length; k++) out.push([this.fpr(k), this.recall(k)]);
    out.push([1, 1]);
    return out;
  }

  /** (recall, precision) points with (0, precision of the first point) prepended. */
  pr(): Array<[number, number]> {
    if (this.thr.length === 0) throw Errors.schema('BinaryClassificationMetrics: the PR curve of an empty dataset is undefined (Spark: empty collection)');
    const out: Array<[number, number]> = [[0, this.precision(0)]];
    for (let k = 0; k < this.thr.length; k++) out.push([this.recall(k), this.precision(k)]);
    return out;
  }

  areaUnderROC(): number {
    return areaUnderCurve(this.roc());
  }

  areaUnderPR(): number {
    return areaUnderCurve(this.pr());
  }

  /** (threshold, precision) pairs. */
  precisionByThreshold(): Array<[number, number]> {
    return Array.from(this.thr, (s, k) => [s, this.precision(k)]);
  }

  /** (threshold, recall) pairs. */
  recallByThreshold(): Array<[number, number]> {
    return Array.from(this.thr, (s, k) => [s, this.recall(k)]);
  }

  /** (threshold, F-measure) pairs; F is 0 when precision and recall are both 0. */
  fMeasureByThreshold(beta = 1): Array<[number, number]> {
    const b2 = beta * beta;
    return Array.from(this.thr, (s, k) => {
      const p = this.precision(k);
      const r = this.recall(k);
      return [s, p + r === 0 ? 0 : ((1 + b2) * p * r) / (b2 * p + r)];
    });
  }
}

export type BinaryMetricName = (typeof BINARY_METRICS)[number];

export type BinaryClassificationEvaluatorOptions = BinaryClassificationEvaluatorParamsOptions;

/** Persisted as Spark's DefaultParamsWriter does (metadata only). */
export class BinaryClassificationEvaluator extends MLWritable(BinaryClassificationEvaluatorParamsMixin(Evaluator)) {
  constructor(options?: BinaryClassificationEvaluatorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  override isLargerBetter(): boolean {
    return true;
  }

  /** The curves and areas behind evaluate() (Spark's BinaryClassificationMetrics with this evaluator's numBins). */
  async getMetrics(df: DataFrame): Promise<BinaryClassificationMetrics> {
    const api = this.stageName;
    const schema = df.schema;
    const rawName = this.getRawPredictionCol();
    const raw = columnField(api, schema, rawName);
    if (!(isNumericType(raw.field.type) || isVectorType(raw.field.type))) {
      throw Errors.schema(`${api}: column ${rawName} (rawPredictionCol) must be a double or a vector, but is ${sparkTypeName(raw.field.type)}`);
    }
    if (isDenseVectorType(raw.field.type) && raw.field.type.listSize !== 2) {
      throw Errors.schema(`${api}: rawPredictionCol vectors must have length=2, but column ${rawName} has vectors of size ${raw.field.type.listSize}`);
    }
    const labelCol = this.getLabelCol();
    checkNumeric(api, schema, 'labelCol', labelCol);
    const weightCol = checkWeightCol(api, schema, this.getWeightCol());
    const cols = { rawPredictionCol: rawName, labelCol, weightCol };
    const { value } = await aggregateRows(api, df, binaryScoreStats, [rawName, labelCol, weightCol], cols);
    return new BinaryClassificationMetrics(value, this.getNumBins());
  }

  protected async evaluateImpl(df: DataFrame): Promise<number> {
    const metrics = await this.getMetrics(df);
    return this.getMetricName() === 'areaUnderPR' ? metrics.areaUnderPR() : metrics.areaUnderROC();
  }

  override toString(): string {
    return `BinaryClassificationEvaluator: uid=${this.uid}, metricName=${this.getMetricName()}, numBins=${this.getNumBins()}`;
  }
}

register('org.apache.spark.ml.evaluation.BinaryClassificationEvaluator', BinaryClassificationEvaluator);
