/**
 * Power Iteration Clustering (Lin & Cohen, ICML 2010) as Spark's
 * ml.clustering.PowerIterationClustering: like Spark it is not a pipeline stage, only Params
 * (saved with Spark's DefaultParamsWriter) and `assignClusters(edges)`, which returns a
 * DataFrame (id bigint, cluster int) with one row per vertex, ordered by id.
 *
 * Input: one row per edge — `srcCol` and `dstCol` int or bigint vertex ids, an optional numeric
 * `weightCol` (the similarity; 1.0 when unset or empty). As Spark:
 *   - weights must be non-null, non-NaN, finite and >= 0 ("Weights MUST NOT be …");
 *   - rows with src = dst (self-loops) are ignored;
 *   - each edge counts in both directions (the affinity matrix A is symmetric); a pair given
 *     twice adds up (GraphX keeps both edges);
 *   - a vertex exists when it ends some edge other than a self-loop.
 * A null id has no meaning in Spark (its Row match fails); kindling names the row.
 *
 * Algorithm (Spark's spark.mllib PowerIterationClustering.run):
 *   W = D⁻¹A with d_i = Σ_j a_ij (divided by max(d_i, 2.220446049250313e-16));
 *   v⁰ = random Gaussian entries / Σ|·| ('random': a fixed-seed stream over the vertices in id
 *   order, where Spark seeds one XORShiftRandom per partition), or d / Σd ('degree');
 *   iterate v ← Wv / ‖Wv‖₁, δ_t = ‖v_t − v_(t−1)‖₁, until |δ_t − δ_(t−1)| <= tol with
 *   tol = max(1e-5 / n, 1e-8) (Spark's bound, the PIC paper's 1e-5 scaled by the vertex count) or
 *   maxIter iterations; then k-means on the one-dimensional embedding v.
 * The k-means step is Spark's: kindling's KMeans (kmeans.ts) on the one-dimensional points with
 * Spark's settings there (k, seed 0, k-means|| with 2 steps, maxIter 20, tol 1e-4); a vertex's
 * cluster is the model's prediction for its value, so cluster numbers follow the k-means||
 * initialisation as in Spark (its random streams are kindling's, not the JVM's). With fewer
 * distinct values than k, KMeans keeps fewer centres (and warns), as Spark's does. An edge list
 * without vertices gives an empty result.
 *
 * Execution (docs/ARCHITECTURE.md, "Training data stays where it lives"): the edges are read,
 * checked and packed once on the executors, where the DataFrame's partitions are, and stay
 * there (power-iteration-clustering-tasks.ts); the vertex ids and the degrees are summaries, and
 * each power iteration is one treeAggregate of the blocks' partial W·v with v broadcast. The
 * driver holds vectors over the vertices (ids, degrees, v: GraphX's vertex attributes), never
 * the edges; it normalises, checks convergence and runs the k-means step. Partial products
 * merge in treeAggregate order (docs/formats/SPARK_DEFINITIONS.md §14), so results equal
 * the in-memory iteration's up to floating-point reassociation.
 *
 * `powerIteration` runs the same iteration over an in-memory CSR graph (a reference for tests).
 * `kMeans1d` is kept beside it as an exact reference for the one-dimensional problem: the
 * least-squares split of the sorted values into at most k contiguous groups (dynamic
 * programming, divide and conquer, O(k n log n)), clusters numbered by increasing centre.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { makeBatch, makePrimitive, type AnyData } from '../../src/dataframe/batch.js';
import { DataFrame, type SessionLike } from '../../src/dataframe/dataframe.js';
import { resolveIndex } from '../../src/dataframe/eval.js';
import { isNumericType, sparkTypeName, Types } from '../../src/dataframe/types.js';
import { throwBadRow } from '../data/features.js';
import { weightColumnOf } from '../data/schema-checks.js';
import { denseVectorColumn } from '../linalg/columns.js';
import { MLWritable } from '../ml-writable.js';
import { Params, type ParamValue } from '../param/params.js';
import { register } from '../persist.js';
import { KMeans } from './kmeans.js';
import { Rng } from './lda-math.js';
import { PowerIterationClusteringParamsMixin, type PowerIterationClusteringParams, type PowerIterationClusteringParamsOptions } from './clustering-params.js';
import {
  densify, picIndexVertices, picMultiply, picNormalize, picPackEdges, picVertexIds, type EdgeMeta, type EdgeSpec, type MultiplyBroadcast,
} from './power-iteration-clustering-tasks.js';

export type PicInitMode = ParamValue<PowerIterationClusteringParams['initMode']>;

export type PowerIterationClusteringOptions = PowerIterationClusteringParamsOptions;

const OUTPUT_SCHEMA = new arrow.Schema([new arrow.Field('id', Types.bigint(), false), new arrow.Field('cluster', Types.int(), false)]);

export class PowerIterationClustering extends MLWritable(PowerIterationClusteringParamsMixin(Params)) {
  constructor(options?: PowerIterationClusteringOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /**
   * Runs PIC on the edges of `df` and returns each vertex's cluster: a DataFrame with columns
   * id (bigint) and cluster (int), one row per vertex in increasing id order.
   */
  async assignClusters(df: DataFrame): Promise<DataFrame> {
    const api = 'PowerIterationClustering.assignClusters';
    if (!(df instanceof DataFrame)) throw Errors.invalidArg(api, 'dataset', 'a DataFrame', df);
    const schema = df.schema;
    const srcCol = this.getSrcCol();
    const dstCol = this.getDstCol();
    const weightCol = weightColumnOf(this.getWeightCol());
    if (weightCol !== null) {
      const t = schema.fields[resolveIndex(api, weightCol, schema)]!.type;
      if (!isNumericType(t)) throw Errors.schema(`${api}: Column ${weightCol} must be of type numeric but was actually of type ${sparkTypeName(t)}.`);
    }
    idColumn(api, schema, srcCol);
    idColumn(api, schema, dstCol);

    const session = df.session;
    const edges = await session.keepTasks<unknown, EdgeSpec, EdgeMeta>(picPackEdges, df, { srcCol, dstCol, weightCol });
    let ids: BigInt64Array;
    let v: Float64Array;
    try {
      let base = 0;
      for (const p of edges.parts) {
        if (p.meta.bad) throwBadRow(api, p.meta.bad, base);
        base += p.meta.rows;
      }
      const blocks = edges.source(edges.parts.flatMap((p) => (p.ids.length > 0 ? [p.meta.edges] : [])));
      ids = await session.treeAggregate(picVertexIds, blocks, null);
      const n = ids.length;
      v = new Float64Array(0);
      if (n > 0) {
        await session.runTasks(picIndexVertices, blocks, { ids });
        const degrees = densify(await session.treeAggregate(picMultiply, blocks, { n, v: null } satisfies MultiplyBroadcast));
        await session.runTasks(picNormalize, blocks, { degrees });
        const steps = powerIterSteps(initVector(degrees, this.getInitMode()), this.getMaxIter());
        for (let r = steps.next(); ; ) {
          if (r.done) {
            v = r.value;
            break;
          }
          r = steps.next(densify(await session.treeAggregate(picMultiply, blocks, { n, v: r.value } satisfies MultiplyBroadcast)));
        }
      }
    } finally {
      edges.release();
    }
    const labels = await kMeansLabels(session, v, this.getK());
    const batch = makeBatch(OUTPUT_SCHEMA, [makePrimitive(Types.bigint(), ids, null) as AnyData, makePrimitive(Types.int(), labels, null) as AnyData], ids.length);
    return new DataFrame(session, { op: 'memory', schema: OUTPUT_SCHEMA, partitions: [batch] });
  }
}

/** Spark's PowerIterationClustering.kMeans: KMeans (k, seed 0, defaults otherwise) on the values, then predict. */
async function kMeansLabels(session: SessionLike, v: Float64Array, k: number): Promise<Int32Array> {
  const n = v.length;
  const labels = new Int32Array(n);
  if (n === 0) return labels;
  const schema = new arrow.Schema([new arrow.Field('features', Types.vector(1), false)]);
  const points = new DataFrame(session, { op: 'memory', schema, partitions: [makeBatch(schema, [denseVectorColumn(v.slice(), 1)], n)] });
  const model = await new KMeans({ k, seed: 0, maxIter: 20, tol: 1e-4, initMode: 'k-means||', initSteps: 2 }).fit(points);
  for (let i = 0; i < n; i++) labels[i] = model.predict([v[i]!]);
  return labels;
}

function idColumn(api: string, schema: arrow.Schema, name: string): number {
  const index = resolveIndex(api, name, schema);
  const t = schema.fields[index]!.type;
  if (!(arrow.DataType.isInt(t) && t.isSigned && (t.bitWidth === 32 || t.bitWidth === 64))) {
    throw Errors.schema(`${api}: Column ${name} must be of type equal to one of the following types: [int, bigint] but was actually of type ${sparkTypeName(t)}.`);
  }
  return index;
}

/** Spark's randomInit (a fixed-seed Gaussian stream over the vertices in id order, scaled to Σ|v| = 1) or initDegreeVector (d / Σd). */
export function initVector(degrees: Float64Array, initMode: PicInitMode): Float64Array {
  const n = degrees.length;
  const v = new Float64Array(n);
  if (initMode === 'degree') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += degrees[i]!;
    for (let i = 0; i < n; i++) v[i] = degrees[i]! / sum;
  } else {
    const rng = new Rng(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      v[i] = rng.nextGaussian();
      sum += Math.abs(v[i]!);
    }
    for (let i = 0; i < n; i++) v[i] = v[i]! / sum;
  }
  return v;
}

/**
 * Spark's powerIter as steps: yields the current v, takes W·v back, normalises it (‖·‖₁), and
 * stops after maxIter products or when |δ_t − δ_(t−1)| <= max(1e-5 / n, 1e-8), δ_t = ‖v_t − v_(t−1)‖₁;
 * returns the last v. The driver of the steps computes W·v where the edges are.
 */
export function* powerIterSteps(v0: Float64Array, maxIter: number): Generator<Float64Array, Float64Array, Float64Array> {
  const n = v0.length;
  let v = v0;
  const tol = Math.max(1e-5 / n, 1e-8);
  let prevDelta = Number.MAX_VALUE;
  let diffDelta = Number.MAX_VALUE;
  for (let iter = 0; iter < maxIter && Math.abs(diffDelta) > tol; iter++) {
    const next = yield v;
    let norm = 0;
    for (let i = 0; i < n; i++) norm += Math.abs(next[i]!);
    if (!(norm > 0)) break; // all similarities zero: Wv = 0 (Spark would divide by zero)
    let delta = 0;
    for (let i = 0; i < n; i++) {
      next[i] = next[i]! / norm;
      delta += Math.abs(v[i]! - next[i]!);
    }
    diffDelta = Math.abs(delta - prevDelta);
    v = next;
    prevDelta = delta;
  }
  return v;
}

/** The normalised affinity graph W = D⁻¹A as CSR over vertices in increasing id order (an in-memory reference). */
export interface PicGraph {
  n: number;
  /** Vertex ids in increasing order (numbers when safe, else bigint). */
  ids: Array<number | bigint>;
  /** d_i = Σ_j a_ij. */
  degrees: Float64Array;
  indptr: Int32Array;
  neighbors: Int32Array;
  /** w_ij = a_ij / max(d_i, ε). */
  weights: Float64Array;
}

/** Spark's randomInit / initDegreeVector, then powerIter, over an in-memory CSR graph; returns the pseudo-eigenvector. */
export function powerIteration(g: PicGraph, initMode: PicInitMode, maxIter: number): Float64Array {
  const steps = powerIterSteps(initVector(g.degrees, initMode), maxIter);
  for (let r = steps.next(); ; ) {
    if (r.done) return r.value;
    const v = r.value;
    const next = new Float64Array(g.n);
    for (let i = 0; i < g.n; i++) {
      let s = 0;
      for (let p = g.indptr[i]!; p < g.indptr[i + 1]!; p++) s += g.weights[p]! * v[g.neighbors[p]!]!;
      next[i] = s;
    }
    r = steps.next(next);
  }
}

/**
 * Exact one-dimensional k-means: the split of the sorted values into at most k contiguous groups
 * with the least within-group sum of squares (dynamic programming, divide and conquer over the
 * monotone split points), then each value labelled by its nearest centre (ties to the lower
 * one), clusters numbered by increasing centre.
 */
export function kMeans1d(values: Float64Array, k: number): Int32Array {
  const n = values.length;
  const labels = new Int32Array(n);
  if (n === 0) return labels;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  // centre and scale the values so the prefix-sum costs keep their precision
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(values[i]! - mean));
  if (!(scale > 0)) return labels; // one distinct value: one cluster
  const x = new Float64Array(n);
  for (let p = 0; p < n; p++) x[p] = (values[order[p]!]! - mean) / scale;
  let distinct = 1;
  for (let p = 1; p < n; p++) if (x[p] !== x[p - 1]) distinct++;
  const m = Math.min(k, distinct);
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let p = 0; p < n; p++) {
    s1[p + 1] = s1[p]! + x[p]!;
    s2[p + 1] = s2[p]! + x[p]! * x[p]!;
  }
  // cost of one group over sorted positions [i, j)
  const cost = (i: number, j: number): number => {
    const len = j - i;
    if (len <= 0) return 0;
    const s = s1[j]! - s1[i]!;
    return Math.max(0, s2[j]! - s2[i]! - (s * s) / len);
  };
  // F[c][j]: least cost of the first j values in c + 1 groups; A[c][j]: start of the last group
  let prev = new Float64Array(n + 1);
  for (let j = 1; j <= n; j++) prev[j] = cost(0, j);
  const starts: Int32Array[] = [new Int32Array(n + 1)];
  for (let c = 1; c < m; c++) {
    const cur = new Float64Array(n + 1).fill(Infinity);
    const arg = new Int32Array(n + 1);
    const solve = (jlo: number, jhi: number, olo: number, ohi: number): void => {
      if (jlo > jhi) return;
      const mid = (jlo + jhi) >> 1;
      let best = Infinity;
      let bestI = olo;
      for (let i = olo; i <= Math.min(ohi, mid - 1); i++) {
        const v = prev[i]! + cost(i, mid);
        if (v < best) {
          best = v;
          bestI = i;
        }
      }
      cur[mid] = best;
      arg[mid] = bestI;
      solve(jlo, mid - 1, olo, bestI);
      solve(mid + 1, jhi, bestI, ohi);
    };
    solve(c + 1, n, c, n - 1);
    starts.push(arg);
    prev = cur;
  }
  // backtrack the group boundaries, then centres
  const bounds: number[] = [n];
  let j = n;
  for (let c = m - 1; c >= 1; c--) {
    j = starts[c]![j]!;
    bounds.push(j);
  }
  bounds.push(0);
  bounds.reverse();
  const centres: number[] = [];
  for (let c = 0; c < m; c++) {
    const lo = bounds[c]!;
    const hi = bounds[c + 1]!;
    centres.push(hi > lo ? (s1[hi]! - s1[lo]!) / (hi - lo) : NaN);
  }
  const live = centres.filter((c) => !Number.isNaN(c)).sort((a, b) => a - b);
  for (let p = 0; p < n; p++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < live.length; c++) {
      const d = Math.abs(x[p]! - live[c]!);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    labels[order[p]!] = best;
  }
  return labels;
}

register('org.apache.spark.ml.clustering.PowerIterationClustering', PowerIterationClustering);
