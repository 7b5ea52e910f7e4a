/**
 * BisectingKMeans' executor tasks (docs/ARCHITECTURE.md, "Summaries beside their algorithms"),
 * over the training blocks prepared once by ml/data/instances.ts (rows validated when packed, so
 * nothing here re-checks them). Spark keeps an RDD of (cluster index, vector); kindling keeps,
 * beside each training block, a companion block with each row's current cluster index:
 *   - `bisectInitAssignments`: the companion blocks, every row in the root cluster (index 1);
 *   - `bisectStepSummary`: one round of 2-means over `instances.zip(assignments)` — each row of a
 *     cluster being divided goes to the nearer existing child (left on ties), and per child slot
 *     the summary adds rows, Σw, Σw·x (cosine: Σw·x/|x|) and Σw·|x|² (Spark's summarize over
 *     updateAssignments), merged by adding in treeAggregate order (docs/formats/SPARK_DEFINITIONS.md §14).
 *     With `reassign` set, the task first moves the rows of the clusters divided at the level
 *     before to their nearer final child, in place (Spark's `indices` RDD of the next level);
 *   - `bisectLeafStats`: rows per leaf reached by the tree walk (Spark's clusterSizes from
 *     predict) and Σ w·cost to that leaf (Spark 2.x's computeCost);
 *   - `bisectPredict`: BisectingKMeansModel.transform's narrow operator (the tree walk per row).
 * Spark's definitions: docs/formats/SPARK_DEFINITIONS.md (§9 distance measures, §14 merges).
 */
import { defineSummary, defineTask, type Kept } from '../../src/exec/task.js';
import type { PackedRows } from '../data/instances-tasks.js';
import type * as arrow from 'apache-arrow';
import { appendPrediction, type PredictInput } from '../data/predictions.js';
import { predictLeaf, predictTree, type ClusteringTreeNode, type PointCost } from './bisecting-kmeans-tree.js';
import { costOf, type ClusteringDistance } from './kmeans-common.js';

/** A training block and, beside it, each row's current cluster index (mutated in place by `reassign`). */
export type BisectPartition = [PackedRows, Float64Array];

/** The clusters being divided and their children's centres (slot 2s = left, 2s + 1 = right of parent s). */
export interface BisectSplit {
  /** Parent cluster indices, one per slot pair. */
  parents: Float64Array;
  /** 2m x d child centres. */
  centers: Float64Array;
  /** 1 where the child exists (a child that lost all its rows is gone). */
  exists: Uint8Array;
}

export interface BisectBroadcast extends BisectSplit {
  d: number;
  measure: ClusteringDistance;
  /** The previous level's final split: rows of its parents move to their nearer child first (in place). */
  reassign?: BisectSplit | null;
}

/** Per child slot: rows, Σw, Σw·x (cosine: Σw·x/|x|) and Σw·|x|². */
export interface BisectStats {
  d: number;
  counts: Float64Array;
  weights: Float64Array;
  sums: Float64Array;
  sqNorms: Float64Array;
}

/** Slot of each parent index. */
function slotsOf(parents: Float64Array): Map<number, number> {
  const slot = new Map<number, number>();
  parents.forEach((idx, i) => slot.set(idx, i));
  return slot;
}

/** The child slot nearest to row `o` of x among the existing children of parent slot s (left first on ties), or -1. */
function nearestChild(x: Float64Array, o: number, split: BisectSplit, d: number, s: number, cost: PointCost): number {
  let best = Infinity;
  let bj = -1;
  for (let side = 0; side < 2; side++) {
    const j = 2 * s + side;
    if (!split.exists[j]) continue;
    const v = cost(x, o, split.centers, j * d, d);
    if (v < best || bj < 0) {
      best = v;
      bj = j;
    }
  }
  return bj;
}

/** Moves the rows of the split's parents to their nearer child (Spark's updateAssignments), in place. */
function reassignRows(x: Float64Array, assign: Float64Array, split: BisectSplit, d: number, cost: PointCost): void {
  const slot = slotsOf(split.parents);
  for (let i = 0; i < assign.length; i++) {
    const s = slot.get(assign[i]!);
    if (s === undefined) continue;
    const j = nearestChild(x, i * d, split, d, s, cost);
    if (j >= 0) assign[i] = 2 * split.parents[s]! + (j & 1);
  }
}

export const bisectStepSummary = defineSummary<BisectStats, BisectPartition, BisectBroadcast>('bkm.step', {
  zero: (b) => {
    const m2 = b.parents.length * 2;
    return { d: b.d, counts: new Float64Array(m2), weights: new Float64Array(m2), sums: new Float64Array(m2 * b.d), sqNorms: new Float64Array(m2) };
  },
  add(s, [p, assign], b) {
    const d = b.d;
    const cost = costOf(b.measure);
    if (b.reassign) reassignRows(p.x, assign, b.reassign, d, cost);
    const slot = slotsOf(b.parents);
    const n = assign.length;
    for (let i = 0; i < n; i++) {
      const ps = slot.get(assign[i]!);
      if (ps === undefined) continue;
      const o = i * d;
      const j = nearestChild(p.x, o, b, d, ps, cost);
      if (j < 0) continue;
      const w = p.w ? p.w[i]! : 1;
      let n2 = 0;
      for (let t = 0; t < d; t++) n2 += p.x[o + t]! * p.x[o + t]!;
      const scale = b.measure === 'cosine' ? w / Math.sqrt(n2) : w;
      for (let t = 0; t < d; t++) s.sums[j * d + t] += scale * p.x[o + t]!;
      s.counts[j] += 1;
      s.weights[j] += w;
      s.sqNorms[j] += n2 * w;
    }
    return s;
  },
  merge(a, b) {
    for (let i = 0; i < a.sums.length; i++) a.sums[i] += b.sums[i]!;
    for (let j = 0; j < a.counts.length; j++) {
      a.counts[j] += b.counts[j]!;
      a.weights[j] += b.weights[j]!;
      a.sqNorms[j] += b.sqNorms[j]!;
    }
    return a;
  },
});

/** Beside each training block: every row in the root cluster (index 1), in memory every executor thread shares. */
export const bisectInitAssignments = defineTask<PackedRows, null, Kept<null>>('bkm.initAssignments', (p, _b, ctx) => ({ kept: [ctx.alloc(Float64Array, p.n).fill(1)], meta: null }));

export interface LeafStatsBroadcast {
  root: ClusteringTreeNode;
  /** Leaves in the tree. */
  leaves: number;
  measure: ClusteringDistance;
  /** Weigh the cost by the blocks' weights (false: weight 1). */
  weighted: boolean;
}

/** Rows per leaf (by the tree walk) and Σ w·cost to that leaf's centre. */
export interface LeafStats {
  counts: Float64Array;
  cost: number;
}

export const bisectLeafStats = defineSummary<LeafStats, PackedRows, LeafStatsBroadcast>('bkm.leafStats', {
  zero: (b) => ({ counts: new Float64Array(b.leaves), cost: 0 }),
  add(s, p, b) {
    const d = p.d;
    const cost = costOf(b.measure);
    const w = b.weighted ? p.w : null;
    let total = 0;
    for (let i = 0; i < p.n; i++) {
      const leaf = predictLeaf(b.root, p.x, i * d, cost);
      s.counts[leaf.index]! += 1;
      total += (w ? w[i]! : 1) * cost(p.x, i * d, leaf.center, 0, d);
    }
    s.cost += total;
    return s;
  },
  merge(a, b) {
    for (let j = 0; j < a.counts.length; j++) a.counts[j] += b.counts[j]!;
    a.cost += b.cost;
    return a;
  },
});

export interface BisectPredictBroadcast {
  input: PredictInput;
  predictionCol: string;
  root: ClusteringTreeNode;
  measure: ClusteringDistance;
}

/** The leaf index of each row's tree walk, appended as an int column. */
export const bisectPredict = defineTask<arrow.RecordBatch, BisectPredictBroadcast, arrow.RecordBatch>('bkm.predict', (batch, b, ctx) =>
  appendPrediction(batch, b.input, ctx, b.predictionCol, (x, n) => {
    const d = b.input.d;
    const cost = costOf(b.measure);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = predictTree(b.root, x, i * d, cost);
    return out;
  }),
);
