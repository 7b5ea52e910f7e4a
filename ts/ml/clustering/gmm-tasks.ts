/**
 * GaussianMixture's executor tasks (docs/ARCHITECTURE.md, "Summaries beside their algorithms"):
 * `gmmStats`, the E-step over one block — Cholesky solves, Spark's EPSILON + w·pdf
 * responsibilities in log space, weighted sums and packed outer products (kernels/gmm.ts) —
 * merged by adding.
 */
import { defineSummary } from '../../src/exec/task.js';
import { gmmStepAdd, gmmStepMerge, gmmStepZero, type GmmComponents, type GmmStepStats } from '../../src/kernels/gmm.js';

/** One block of training data for the E-step: row-major points, weights, and the global index of its first row (error messages). */
export interface GmmPartition {
  x: Float64Array;
  weights?: Float64Array | null;
  rowBase?: number;
}

export const gmmStats = defineSummary<GmmStepStats, GmmPartition, GmmComponents>('gmm.stats', {
  zero: (b) => gmmStepZero(b.k, b.d, b.shift),
  add: (s, p, b) => gmmStepAdd(s, p.x, b.d, b, { weights: p.weights ?? null, rowBase: p.rowBase ?? 0 }),
  merge: gmmStepMerge,
});
