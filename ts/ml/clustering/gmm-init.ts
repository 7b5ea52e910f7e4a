/**
 * GaussianMixture's start (docs/formats/SPARK_DEFINITIONS.md §11), over training data kept on
 * the executors (ml/data/instances.ts):
 *   - `dataScale`: one pass of the summary `gmmDataStats` (gmm-tasks.ts) — the weighted mean (the
 *     E-step's shift), the mean per-feature weighted variance (the regulariser's scale), the total
 *     weight and the distinct points of positive weight, counted up to k;
 *   - `initRandom`, Spark's initRandom: takeSample with replacement of k x 5 rows, seeded;
 *     component i takes samples [5i, 5i + 5): weight = their weight sum / the sampled weight sum,
 *     mean = their weighted mean, covariance = diagonal of their weighted biased (/ weight sum)
 *     variances. takeSample is Spark's algorithm — fraction = (s + numStd(s) sqrt(s)) / count with
 *     s = 5k (numStd 12 / 9 / 6 for s < 6 / < 16 / else), a Poisson(fraction) count per row, again
 *     with the next seed while fewer than s rows came out, a Fisher-Yates shuffle by
 *     java.util.Random(seed), the first s — but the per-row Poisson draws come from
 *     `uniformAt(seed', 0, row)`, a counter-based stream of the global row index, drawn on the
 *     executors (`gmmSampleDraw`), instead of Spark's per-partition samplers: the same seed gives
 *     the same model however the DataFrame is partitioned (and therefore not Spark's sample). Only
 *     the sampled rows travel to the driver (`Instances.gather`).
 */
import { KindlingError } from '../../src/errors.js';
import { packedSize } from '../../src/kernels/gmm.js';
import type { Instances } from '../data/instances.js';
import type { MixtureState } from './gmm-gaussian.js';
import { drawRows, gmmDataStats, gmmSampleDraw, type DataStatsBroadcast, type SampleBroadcast } from './gmm-tasks.js';
import { JavaRandom } from './kmeans-common.js';

/** Samples per component in Spark's initRandom. */
const NUM_SAMPLES = 5;

/** The data's weighted mean, mean per-feature weighted variance, total weight and distinct points of positive weight (counted up to `cap`). */
export async function dataScale(data: Instances, cap: number, depth: number): Promise<{ scale: number; distinct: number; weight: number; mean: Float64Array }> {
  const d = data.d;
  const s = await data.session.treeAggregate(gmmDataStats, data, { d, cap } satisfies DataStatsBroadcast, { depth });
  return { scale: s.m2 / s.weight / d, distinct: s.distinct.length / d, weight: s.weight, mean: s.mean };
}

/** Spark's PoissonBounds.numStd. */
function numStd(s: number): number {
  return s < 6 ? 12 : s < 16 ? 9 : 6;
}

/** Spark's SamplingUtils.computeFractionForSampleSize, with replacement. */
export function sampleFraction(num: number, total: number): number {
  return Math.max(num + numStd(num) * Math.sqrt(num), 1e-10) / total;
}

/** The seeds of takeSample's draws and its final shuffle (java.util.Random(seed)). */
class SampleStream {
  private readonly rand: JavaRandom;
  constructor(seed: number | bigint) {
    this.rand = new JavaRandom(seed);
  }

  nextSeed(): number {
    return this.rand.next(32);
  }

  /** A Fisher-Yates shuffle of the drawn positions, the first `num`. */
  pick(count: number, num: number): number[] {
    const order = Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i >= 1; i--) {
      const j = this.rand.nextInt(i + 1);
      const t = order[j]!;
      order[j] = order[i]!;
      order[i] = t;
    }
    return order.slice(0, num);
  }
}

/** Spark's RDD.takeSample(withReplacement = true, num, seed) over the row indices 0..n-1, on this thread (a reference for tests). */
export function takeSampleWithReplacement(n: number, num: number, seed: number | bigint): number[] {
  if (num === 0 || n === 0) return [];
  const stream = new SampleStream(seed);
  const fraction = sampleFraction(num, n);
  let drawn = drawRows(stream.nextSeed(), fraction, 0, n, null).rows;
  while (drawn.length < num) drawn = drawRows(stream.nextSeed(), fraction, 0, n, null).rows;
  return stream.pick(drawn.length, num).map((i) => drawn[i]!);
}

/** takeSampleWithReplacement over training data on the executors: the sampled global rows and their weights. */
async function takeSample(data: Instances, num: number, seed: number): Promise<{ rows: number[]; w: number[] }> {
  const stream = new SampleStream(seed);
  const fraction = sampleFraction(num, data.n);
  const draw = async () => {
    const parts = await data.session.runTasks(gmmSampleDraw, data, { seed: stream.nextSeed(), fraction, rowBases: data.rowBases } satisfies SampleBroadcast);
    return { rows: parts.flatMap((p) => p.rows), w: parts.flatMap((p) => p.w) };
  };
  let drawn = await draw();
  while (drawn.rows.length < num) drawn = await draw();
  const picked = stream.pick(drawn.rows.length, num);
  return { rows: picked.map((i) => drawn.rows[i]!), w: picked.map((i) => drawn.w[i]!) };
}

/** Spark's GaussianMixture.initRandom: k x 5 samples with replacement, diagonal covariances. */
export async function initRandom(api: string, data: Instances, k: number, seed: number): Promise<MixtureState> {
  const d = data.d;
  const tri = packedSize(d);
  const sample = await takeSample(data, k * NUM_SAMPLES, seed);
  const x = await data.gather(sample.rows);
  let weightSum = 0;
  for (const w of sample.w) weightSum += w;
  const weights = new Float64Array(k);
  const means = new Float64Array(k * d);
  const covs = new Float64Array(k * tri);
  for (let i = 0; i < k; i++) {
    const lo = i * NUM_SAMPLES;
    const hi = lo + NUM_SAMPLES;
    let local = 0;
    for (let r = lo; r < hi; r++) local += sample.w[r]!;
    if (!(local > 0)) {
      throw new KindlingError(
        'ERR_KINDLING_INVALID_ARG',
        `${api}: the ${NUM_SAMPLES} initial samples of component ${i} all have weight 0, so its initial mean is undefined (Spark's init divides by their weight sum); drop zero-weight rows, change the seed, or pass an initialModel`,
      );
    }
    weights[i] = local / weightSum;
    const mean = means.subarray(i * d, (i + 1) * d);
    for (let r = lo; r < hi; r++) for (let t = 0; t < d; t++) mean[t] += sample.w[r]! * x[r * d + t]!;
    const invLocal = 1 / local;
    for (let t = 0; t < d; t++) mean[t] = mean[t]! * invLocal;
    const ss = new Float64Array(d);
    for (let r = lo; r < hi; r++) {
      for (let t = 0; t < d; t++) {
        const v = x[r * d + t]! - mean[t]!;
        ss[t] += v * v * sample.w[r]!;
      }
    }
    for (let t = 0; t < d; t++) covs[i * tri + (t * (t + 1)) / 2 + t] = ss[t]! * invLocal;
  }
  return { k, d, weights, means, covs };
}
