/**
 * BisectingKMeans (Spark's ml.clustering.BisectingKMeans over mllib's algorithm) and
 * BisectingKMeansModel.
 *
 * The algorithm is Spark 3.x's (mllib BisectingKMeans.runWithWeight):
 *   - one cluster (index 1) holds every row; a cluster summary is its row count, weight sum,
 *     centre (weighted mean; cosine: the normalised mean of x/|x|) and cost (Euclidean:
 *     max(Σw|x|² - W|c|², 0); cosine: max(W - c·Σw·x/|x| / |c|, 0));
 *   - level by level: the active clusters with size >= minSize (minDivisibleClusterSize, or
 *     that fraction of the rows when < 1, rounded up) and cost > 2^-52 x size are divisible; when
 *     more are divisible than leaves are still needed (k - 1 - splits so far), the largest ones;
 *     each divisible cluster i gets children 2i and 2i+1 at centre ∓ 1e-4·|centre|·noise, noise
 *     of d java.util.Random(seed).nextDouble() draws (cosine: both normalised), and exactly
 *     maxIter rounds of 2-means move them (each row of i goes to the nearer existing child; a
 *     child left without rows disappears); then the rows are reassigned with the final centres,
 *     every active cluster becomes inactive and the children become the active ones; the loop
 *     ends when no active cluster is divisible or k leaves exist;
 *   - the tree is numbered as Spark's buildTree: pre-order from the root, left before right;
 *     leaves 0, 1, … and internal nodes -1, -2, …; an internal node's height is the largest
 *     distance to its children's centres; `clusterCenters` are the leaves in index order;
 *   - predict walks the tree from the root to the nearer child (squared Euclidean or cosine
 *     distance, the left one on ties), as Spark's ClusteringTreeNode.predict — not the nearest
 *     leaf overall.
 * Where Spark's result depends on hash-map iteration order (which divisible cluster draws its
 * noise first; ties in cluster size), kindling takes ascending cluster index. Cluster indices
 * are doubles here: a cluster deeper than level 52 is not divided further (Spark's limit is 63).
 *
 * The passes fold a partition summary (`bisectStepSummary`: per child, count, weight, Σw·x and
 * Σw·|x|²) over the partitions on the driver, merged in Spark's treeAggregate order;
 * registering it in ts/src/exec/builtin.ts would move the folds to the worker pool unchanged.
 *
 * Progress: one event per level (kind 'iteration', total k - 1, the most levels there can be).
 *
 * Summary (Spark's BisectingKMeansSummary): k (requested), numIter = maxIter, trainingCost = Σ
 * of the leaves' costs, clusterSizes (rows per leaf by predict), predictions.
 *
 * Persistence is Spark's: `org.apache.spark.ml.clustering.BisectingKMeans` (params) and
 * `…BisectingKMeansModel`, whose `data/` directory is mllib's BisectingKMeansModel save format
 * 3.0: `data/metadata/part-00000` = {"class":"org.apache.spark.mllib.clustering.BisectingKMeansModel",
 * "version":"3.0","rootId","distanceMeasure","trainingCost"} and `data/data/` Parquet with one
 * row per node (index int, size bigint, center mllib VectorUDT, norm, cost, height double,
 * children array<int>), nodes in post-order as Spark's getNodes; format versions 1.0 / 2.0
 * (Spark 2.x: no distanceMeasure / trainingCost) load too.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Types } from '../../src/dataframe/types.js';
import type { Summary } from '../../src/exec/task.js';
import { partFileName } from '../../src/io/dataset.js';
import { sparkSchemaJson, writeParquetPart } from '../../src/io/parquet/index.js';
import { foldPartitions } from '../evaluation/common.js';
import { denseVectorColumn, vectorAt } from '../linalg/columns.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { JsonDouble, SPARK_VERSION, getAndSetParams, parseSparkJson, readData, register, toSparkJson, writeMetadata } from '../persist.js';
import { Estimator, Model, type FitOptions } from '../stage.js';
import { BisectingKMeansParamsMixin, type BisectingKMeansParamsOptions } from './clustering-params.js';
import {
  JavaRandom, appendPredictionField, checkFeaturesColumn, checkFitSchema, cosineDistance, costOf, norm2, pointOf, readTrainingData, squaredDistance,
  transformWithPredictions, type ClusteringDistance, type TrainingData,
} from './kmeans-common.js';

export type { BisectingKMeansParamsOptions };

export type BisectingKMeansOptions = BisectingKMeansParamsOptions;

/** A node of the clustering tree (Spark's ClusteringTreeNode). */
export interface ClusteringTreeNode {
  /** Leaves 0, 1, …; internal nodes -1, -2, … (pre-order). */
  index: number;
  /** Rows in the cluster. */
  size: number;
  center: Float64Array;
  norm: number;
  cost: number;
  height: number;
  children: ClusteringTreeNode[];
}

export interface BisectingKMeansModelOptions extends BisectingKMeansParamsOptions {
  /** The tree (as built by fit or read from a saved model). */
  root?: ClusteringTreeNode;
}

// ----- the partition summary ------------------------------------------------------------------

/** One partition: n x d features, weights (null: 1) and each row's current cluster index. */
export interface BisectPartition {
  x: Float64Array;
  w: Float64Array | null;
  assign: Float64Array;
}

/** The clusters being split and their children's centres (slot 2s = left, 2s + 1 = right of parent s). */
export interface BisectBroadcast {
  d: number;
  measure: ClusteringDistance;
  /** Parent cluster indices, one per slot pair. */
  parents: Float64Array;
  /** 2m x d child centres. */
  centers: Float64Array;
  /** 1 where the child exists (a child that lost all its rows is gone). */
  exists: Uint8Array;
}

/** Per child slot: rows, Σw, Σw·x (cosine: Σw·x/|x|) and Σw·|x|². */
export interface BisectStats {
  d: number;
  counts: Float64Array;
  weights: Float64Array;
  sums: Float64Array;
  sqNorms: Float64Array;
}

/** The child slot nearest to row `o` of x among the existing children of parent slot s (left first on ties), or -1. */
function nearestChild(x: Float64Array, o: number, b: BisectBroadcast, s: number, cost: (a: Float64Array, ao: number, c: Float64Array, co: number, d: number) => number): number {
  let best = Infinity;
  let bj = -1;
  for (let side = 0; side < 2; side++) {
    const j = 2 * s + side;
    if (!b.exists[j]) continue;
    const v = cost(x, o, b.centers, j * b.d, b.d);
    if (v < best || bj < 0) {
      best = v;
      bj = j;
    }
  }
  return bj;
}

/** Spark's BisectingKMeans summarize over updateAssignments, as a mergeable partition summary. */
export const bisectStepSummary: Summary<BisectStats, BisectPartition, BisectBroadcast> = {
  zero: (b) => {
    const m2 = b.parents.length * 2;
    return { d: b.d, counts: new Float64Array(m2), weights: new Float64Array(m2), sums: new Float64Array(m2 * b.d), sqNorms: new Float64Array(m2) };
  },
  add(s, p, b) {
    const d = b.d;
    const slot = new Map<number, number>();
    b.parents.forEach((idx, i) => slot.set(idx, i));
    const cost = costOf(b.measure);
    const n = p.assign.length;
    for (let i = 0; i < n; i++) {
      const ps = slot.get(p.assign[i]!);
      if (ps === undefined) continue;
      const o = i * d;
      const j = nearestChild(p.x, o, b, ps, cost);
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
};

/** A cluster's summary (Spark's ClusterSummary). */
interface ClusterSummary {
  size: number;
  weightSum: number;
  center: Float64Array;
  cost: number;
}

/** Spark's DistanceMeasure.centroid + clusterCost from the sums of one cluster. */
export function clusterSummaryOf(count: number, weightSum: number, sum: Float64Array, sqNorm: number, measure: ClusteringDistance): ClusterSummary {
  const d = sum.length;
  const center = new Float64Array(d);
  const inv = 1 / weightSum;
  for (let t = 0; t < d; t++) center[t] = sum[t]! * inv;
  let cost: number;
  if (measure === 'cosine') {
    const invn = 1 / norm2(center, 0, d);
    for (let t = 0; t < d; t++) center[t] = center[t]! * invn;
    let dot = 0;
    for (let t = 0; t < d; t++) dot += center[t]! * sum[t]!;
    cost = Math.max(weightSum - dot, 0); // the centroid has norm 1 (Spark's VectorWithNorm(sum, 1))
  } else {
    const cn = norm2(center, 0, d);
    cost = Math.max(sqNorm - weightSum * cn * cn, 0);
  }
  return { size: count, weightSum, center, cost };
}

const EPSILON = 2.220446049250313e-16; // Spark's MLUtils.EPSILON (machine epsilon)
const MAX_INDEX = 2 ** 52;

/** Spark's splitCenter: centre ∓ 1e-4·|centre|·noise (noise: d nextDouble draws); cosine normalises both. */
function splitCenter(center: Float64Array, random: JavaRandom, measure: ClusteringDistance): [Float64Array, Float64Array] {
  const d = center.length;
  const level = 1e-4 * norm2(center, 0, d);
  const noise = Float64Array.from({ length: d }, () => random.nextDouble());
  const left = new Float64Array(d);
  const right = new Float64Array(d);
  for (let t = 0; t < d; t++) {
    left[t] = center[t]! + -level * noise[t]!;
    right[t] = center[t]! + level * noise[t]!;
  }
  if (measure === 'cosine') {
    const ln = norm2(left, 0, d);
    const rn = norm2(right, 0, d);
    for (let t = 0; t < d; t++) {
      left[t] = left[t]! * (1 / ln);
      right[t] = right[t]! * (1 / rn);
    }
  }
  return [left, right];
}

/** Spark's buildTree: pre-order numbering, leaves 0.., internal -1.. */
function buildTree(clusters: Map<number, ClusterSummary>, measure: ClusteringDistance): ClusteringTreeNode {
  let leafIndex = 0;
  let internalIndex = -1;
  const dist = measure === 'cosine' ? cosineDistance : (a: Float64Array, ao: number, b: Float64Array, bo: number, d: number) => Math.sqrt(squaredDistance(a, ao, b, bo, d));
  const build = (raw: number): ClusteringTreeNode => {
    const c = clusters.get(raw)!;
    const d = c.center.length;
    const base = { size: c.size, center: c.center, norm: norm2(c.center, 0, d), cost: c.cost };
    if (clusters.has(2 * raw)) {
      const index = internalIndex--;
      const kids = [2 * raw, 2 * raw + 1].filter((i) => clusters.has(i));
      const height = Math.max(...kids.map((i) => dist(c.center, 0, clusters.get(i)!.center, 0, d)));
      return { index, ...base, height, children: kids.map(build) };
    }
    return { index: leafIndex++, ...base, height: 0, children: [] };
  };
  return build(1);
}

function leafNodes(node: ClusteringTreeNode): ClusteringTreeNode[] {
  return node.children.length === 0 ? [node] : node.children.flatMap(leafNodes);
}

/** Spark's getNodes: post-order (children first). */
function postOrder(node: ClusteringTreeNode): ClusteringTreeNode[] {
  return [...node.children.flatMap(postOrder), node];
}

/** Spark's ClusteringTreeNode.predict: down the tree to the nearer child (the first on ties). */
function predictTree(root: ClusteringTreeNode, x: Float64Array, o: number, cost: (a: Float64Array, ao: number, b: Float64Array, bo: number, d: number) => number): number {
  let node = root;
  const d = root.center.length;
  while (node.children.length > 0) {
    let best = Infinity;
    let next = node.children[0]!;
    for (const c of node.children) {
      const v = cost(x, o, c.center, 0, d);
      if (v < best) {
        best = v;
        next = c;
      }
    }
    node = next;
  }
  return node.index;
}

/** The whole algorithm over checked training data (see the module comment). */
export function runBisecting(
  data: TrainingData,
  k: number,
  maxIter: number,
  minDivisibleClusterSize: number,
  seed: number,
  measure: ClusteringDistance,
  onLevel?: (level: number, divided: number, leaves: number) => void,
): ClusteringTreeNode {
  const { d } = data;
  const parts: BisectPartition[] = data.parts.map((p) => ({ x: p.x, w: p.w, assign: new Float64Array(p.n).fill(1) }));
  const fold = (b: BisectBroadcast) => foldPartitions(bisectStepSummary, parts, b);
  // the root: every row in cluster 1, one "child" slot that always wins
  const rootStats = fold({ d, measure, parents: Float64Array.of(1), centers: new Float64Array(2 * d), exists: Uint8Array.of(1, 0) });
  const root = clusterSummaryOf(rootStats.counts[0]!, rootStats.weights[0]!, rootStats.sums.subarray(0, d), rootStats.sqNorms[0]!, measure);
  let active = new Map<number, ClusterSummary>([[1, root]]);
  const inactive = new Map<number, ClusterSummary>();
  const n = root.size;
  const minSize = minDivisibleClusterSize >= 1.0 ? Math.ceil(minDivisibleClusterSize) : Math.ceil(minDivisibleClusterSize * n);
  const random = new JavaRandom(seed);
  let needed = k - 1;
  let level = 1;
  const LEVEL_LIMIT = Math.log10(2 ** 63 - 1) / Math.log10(2);
  while (active.size > 0 && needed > 0 && level < LEVEL_LIMIT) {
    let divisible = [...active.entries()]
      .filter(([idx, s]) => s.size >= minSize && s.cost > EPSILON * s.size && idx < MAX_INDEX)
      .sort((a, b) => a[0] - b[0]);
    if (divisible.length > needed) divisible = divisible.slice().sort((a, b) => b[1].size - a[1].size || a[0] - b[0]).slice(0, needed).sort((a, b) => a[0] - b[0]);
    if (divisible.length === 0) {
      for (const [i, s] of active) inactive.set(i, s);
      active = new Map();
      break;
    }
    const m = divisible.length;
    const parents = Float64Array.from(divisible, ([i]) => i);
    let centers = new Float64Array(2 * m * d);
    let exists = new Uint8Array(2 * m).fill(1);
    divisible.forEach(([, s], i) => {
      const [l, r] = splitCenter(s.center, random, measure);
      centers.set(l, 2 * i * d);
      centers.set(r, (2 * i + 1) * d);
    });
    let newClusters = new Map<number, ClusterSummary>();
    for (let iter = 0; iter < maxIter; iter++) {
      const st = fold({ d, measure, parents, centers, exists });
      newClusters = new Map();
      const nextCenters = new Float64Array(2 * m * d);
      const nextExists = new Uint8Array(2 * m);
      for (let j = 0; j < 2 * m; j++) {
        if (!(st.counts[j]! > 0)) continue;
        const cs = clusterSummaryOf(st.counts[j]!, st.weights[j]!, st.sums.subarray(j * d, (j + 1) * d), st.sqNorms[j]!, measure);
        newClusters.set(2 * parents[j >> 1]! + (j & 1), cs);
        nextCenters.set(cs.center, j * d);
        nextExists[j] = 1;
      }
      centers = nextCenters;
      exists = nextExists;
    }
    // reassign the rows of the divided clusters with the final centres
    const b: BisectBroadcast = { d, measure, parents, centers, exists };
    const slot = new Map<number, number>();
    parents.forEach((idx, i) => slot.set(idx, i));
    const cost = costOf(measure);
    for (const p of parts) {
      for (let i = 0; i < p.assign.length; i++) {
        const s = slot.get(p.assign[i]!);
        if (s === undefined) continue;
        const j = nearestChild(p.x, i * d, b, s, cost);
        if (j >= 0) p.assign[i] = 2 * parents[s]! + (j & 1);
      }
    }
    for (const [i, s] of active) inactive.set(i, s);
    active = newClusters;
    needed -= m;
    onLevel?.(level, m, k - needed);
    level++;
  }
  const clusters = new Map<number, ClusterSummary>([...inactive, ...active]);
  return buildTree(clusters, measure);
}

// ----- the estimator ------------------------------------------------------------------------------

export class BisectingKMeans extends MLWritable(BisectingKMeansParamsMixin(Estimator<BisectingKMeansModel>)) {
  constructor(options?: BisectingKMeansOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return checkFitSchema(this.stageName, schema, this.getFeaturesCol(), this.getPredictionCol(), this.getWeightCol());
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<BisectingKMeansModel> {
    const api = this.stageName;
    const maxIter = this.getMaxIter();
    if (maxIter < 1) throw Errors.outOfRange(api, 'maxIter', 'an integer >= 1 (each split runs maxIter rounds of 2-means)', maxIter);
    const measure = this.getDistanceMeasure();
    const k = this.getK();
    const data = await readTrainingData(api, df, this.getFeaturesCol(), this.getWeightCol(), { cosine: measure === 'cosine', shared: false });
    const root = runBisecting(data, k, maxIter, this.getMinDivisibleClusterSize(), this.getSeed(), measure, (level, divided, leaves) => {
      options.onProgress?.({ stage: this.uid, kind: 'iteration', current: level, total: k - 1, message: `level ${level}: ${divided} cluster(s) divided, ${leaves} leaves` });
    });
    const leaves = leafNodes(root);
    const model = this.copyValues(new BisectingKMeansModel({ root }, this.uid));
    model.setParent(this);
    const sizes = new Array<number>(k).fill(0);
    const cost = costOf(measure);
    for (const p of data.parts) for (let i = 0; i < p.n; i++) sizes[predictTree(root, p.x, i * data.d, cost)]!++;
    const trainingCost = leaves.reduce((s, l) => s + l.cost, 0);
    model.setSummary(new BisectingKMeansSummary(model.transform(df), model.getPredictionCol(), model.getFeaturesCol(), k, maxIter, trainingCost, sizes));
    return model;
  }
}

/** Spark's BisectingKMeansSummary. */
export class BisectingKMeansSummary {
  constructor(
    readonly predictions: DataFrame,
    readonly predictionCol: string,
    readonly featuresCol: string,
    /** The requested number of leaf clusters. */
    readonly k: number,
    /** maxIter (each split runs that many 2-means rounds). */
    readonly numIter: number,
    /** Σ of the leaves' costs. */
    readonly trainingCost: number,
    /** Rows predicted into each leaf (length k; 0 past the model's leaves). */
    readonly clusterSizes: number[],
  ) {}

  get cluster(): DataFrame {
    return this.predictions.select(this.predictionCol);
  }
}

// ----- the model ----------------------------------------------------------------------------------

export class BisectingKMeansModel extends MLWritable(BisectingKMeansParamsMixin(Model)) {
  private treeRoot: ClusteringTreeNode | null = null;
  private trainingSummary: BisectingKMeansSummary | null = null;
  private savedCost: number | null = null;

  constructor(options?: BisectingKMeansModelOptions, uid?: string) {
    super(uid);
    const { root, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    if (root !== undefined) this.treeRoot = root;
  }

  /** @internal */
  setSummary(summary: BisectingKMeansSummary | null): this {
    this.trainingSummary = summary;
    return this;
  }

  /** The root of the clustering tree. */
  get root(): ClusteringTreeNode {
    if (!this.treeRoot) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${this.stageName}: ${this.uid} has no clustering tree (fit a BisectingKMeans or load one)`);
    return this.treeRoot;
  }

  /** The leaf centres, in leaf index order. */
  get clusterCenters(): DenseVector[] {
    return leafNodes(this.root).map((l) => new DenseVector(l.center.slice()));
  }

  getClusterCenters(): DenseVector[] {
    return this.clusterCenters;
  }

  get numFeatures(): number {
    return this.root.center.length;
  }

  /** Σ of the leaves' costs (mllib's BisectingKMeansModel.trainingCost). */
  get trainingCost(): number {
    return this.savedCost ?? leafNodes(this.root).reduce((s, l) => s + l.cost, 0);
  }

  get hasSummary(): boolean {
    return this.trainingSummary !== null;
  }

  get summary(): BisectingKMeansSummary {
    if (!this.trainingSummary) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${this.stageName}: No training summary available for this BisectingKMeansModel (${this.uid}); only a model returned by fit() has one`);
    return this.trainingSummary;
  }

  predict(features: Vector | readonly number[]): number {
    const api = `${this.stageName}.predict`;
    const root = this.root;
    const x = pointOf(api, features, root.center.length);
    let s = 0;
    for (let t = 0; t < x.length; t++) s += x[t]! * x[t]!;
    if (!Number.isFinite(s)) throw Errors.invalidArg(api, 'features', 'finite numbers', features);
    if (this.getDistanceMeasure() === 'cosine' && !(s > 0)) throw Errors.invalidArg(api, 'features', 'a non-zero vector (the cosine distance is undefined for a zero vector)', features);
    return predictTree(root, x, 0, costOf(this.getDistanceMeasure()));
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    checkFeaturesColumn(this.stageName, schema, this.getFeaturesCol());
    return appendPredictionField(this.stageName, schema, this.getPredictionCol());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const root = this.root;
    const d = root.center.length;
    const measure = this.getDistanceMeasure();
    const cost = costOf(measure);
    return transformWithPredictions(this.stageName, df, this.getFeaturesCol(), this.getPredictionCol(), d, measure === 'cosine', (x, n) => {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = predictTree(root, x, i * d, cost);
      return out;
    });
  }

  /** Σ weight x cost of each row to the leaf it is predicted into (Spark 2.x's computeCost, with weightCol when set). */
  async computeCost(df: DataFrame): Promise<number> {
    const api = `${this.stageName}.computeCost`;
    const root = this.root;
    const measure = this.getDistanceMeasure();
    const data = await readTrainingData(api, df, this.getFeaturesCol(), this.getWeightCol(), { cosine: measure === 'cosine', shared: false });
    const d = root.center.length;
    if (data.d !== d) throw Errors.schema(`${api}: column ${this.getFeaturesCol()} has ${data.d} features, but the model was fitted on ${d}`);
    const cost = costOf(measure);
    const leaves = leafNodes(root);
    let total = 0;
    for (const p of data.parts) {
      for (let i = 0; i < p.n; i++) {
        const leaf = leaves[predictTree(root, p.x, i * d, cost)]!;
        total += (p.w ? p.w[i]! : 1) * cost(p.x, i * d, leaf.center, 0, d);
      }
    }
    return total;
  }

  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (o?: BisectingKMeansModelOptions, uid?: string) => this;
    const that = this.copyValues(new Ctor(this.treeRoot ? { root: this.treeRoot } : undefined, this.uid), extra);
    that.savedCost = this.savedCost;
    that.setSummary(this.trainingSummary);
    return that.setParent(this.parent);
  }

  /** @internal */
  static fromSaved(uid: string, root: ClusteringTreeNode, trainingCost: number | null): BisectingKMeansModel {
    const m = new BisectingKMeansModel({ root }, uid);
    m.savedCost = trainingCost;
    return m;
  }

  override toString(): string {
    return `BisectingKMeansModel: uid=${this.uid}, k=${this.treeRoot ? leafNodes(this.treeRoot).length : 0}, distanceMeasure=${this.getDistanceMeasure()}, numFeatures=${this.treeRoot?.center.length ?? 0}`;
  }
}

// ----- persistence (mllib's BisectingKMeansModel SaveLoadV3_0 under data/) ----------------------------

const MLLIB_CLASS = 'org.apache.spark.mllib.clustering.BisectingKMeansModel';

function nodesTable(root: ClusteringTreeNode): { schema: arrow.Schema; batch: arrow.RecordBatch } {
  const nodes = postOrder(root);
  const n = nodes.length;
  const d = root.center.length;
  const centers = new Float64Array(n * d);
  nodes.forEach((nd, i) => centers.set(nd.center, i * d));
  const offsets = new Int32Array(n + 1);
  const kids: number[] = [];
  nodes.forEach((nd, i) => {
    for (const c of nd.children) kids.push(c.index);
    offsets[i + 1] = kids.length;
  });
  const int32 = (v: Int32Array) => arrow.makeData({ type: new arrow.Int32(), length: v.length, data: v, nullCount: 0 }) as AnyData;
  const f64 = (v: Float64Array) => arrow.makeData({ type: new arrow.Float64(), length: v.length, data: v, nullCount: 0 }) as AnyData;
  const listType = new arrow.List(new arrow.Field('element', new arrow.Int32(), false));
  const cols: AnyData[] = [
    int32(Int32Array.from(nodes, (x) => x.index)),
    arrow.makeData({ type: new arrow.Int64(), length: n, data: BigInt64Array.from(nodes, (x) => BigInt(x.size)), nullCount: 0 }) as AnyData,
    denseVectorColumn(centers, d),
    f64(Float64Array.from(nodes, (x) => x.norm)),
    f64(Float64Array.from(nodes, (x) => x.cost)),
    f64(Float64Array.from(nodes, (x) => x.height)),
    arrow.makeData({ type: listType, length: n, nullCount: 0, valueOffsets: offsets, child: int32(Int32Array.from(kids)) } as never) as AnyData,
  ];
  const schema = new arrow.Schema([
    new arrow.Field('index', new arrow.Int32(), false),
    new arrow.Field('size', new arrow.Int64(), false),
    new arrow.Field('center', Types.vector(d), true),
    new arrow.Field('norm', new arrow.Float64(), false),
    new arrow.Field('cost', new arrow.Float64(), false),
    new arrow.Field('height', new arrow.Float64(), false),
    new arrow.Field('children', listType, true),
  ]);
  return { schema, batch: makeBatch(schema, cols, n) };
}

async function saveModelData(m: BisectingKMeansModel, path: string): Promise<void> {
  const root = m.root;
  const dataDir = join(path, 'data');
  const mdDir = join(dataDir, 'metadata');
  await mkdir(mdDir, { recursive: true });
  const md = toSparkJson({ class: MLLIB_CLASS, version: '3.0', rootId: root.index, distanceMeasure: m.getDistanceMeasure(), trainingCost: new JsonDouble(m.trainingCost) });
  await writeFile(join(mdDir, 'part-00000'), `${md}\n`);
  await writeFile(join(mdDir, '_SUCCESS'), '');
  const nodesDir = join(dataDir, 'data');
  await mkdir(nodesDir, { recursive: true });
  const { schema, batch } = nodesTable(root);
  // mllib's Data case class holds an org.apache.spark.mllib.linalg.Vector: its UDT, not ml's
  const rowMetadata = sparkSchemaJson(schema).replace('"org.apache.spark.ml.linalg.VectorUDT"', '"org.apache.spark.mllib.linalg.VectorUDT"').replace('"pyspark.ml.linalg.VectorUDT"', '"pyspark.mllib.linalg.VectorUDT"');
  await writeParquetPart(join(nodesDir, partFileName(0, randomUUID(), '.snappy.parquet')), schema, [batch], {
    kvMetadata: { 'org.apache.spark.sql.parquet.row.metadata': rowMetadata, 'org.apache.spark.version': SPARK_VERSION },
  });
  await writeFile(join(nodesDir, '_SUCCESS'), '');
}

async function loadModelData(api: string, path: string): Promise<{ root: ClusteringTreeNode; distanceMeasure: ClusteringDistance; trainingCost: number | null }> {
  const dataDir = join(path, 'data');
  let mdText: string;
  try {
    const names = (await readdir(join(dataDir, 'metadata'))).filter((f) => !f.startsWith('.') && !f.startsWith('_')).sort();
    mdText = await readFile(join(dataDir, 'metadata', names[0] ?? 'part-00000'), 'utf8');
  } catch (e) {
    throw Errors.load(`${api}: the saved model at ${path} has no data/metadata (mllib BisectingKMeansModel metadata): ${(e as Error).message}`, e);
  }
  const md = parseSparkJson(mdText.trim().split(/\r?\n/)[0]!) as Record<string, unknown>;
  if (md.class !== MLLIB_CLASS) throw Errors.load(`${api}: expected ${MLLIB_CLASS} in ${join(dataDir, 'metadata')}, found ${String(md.class)}`);
  if (!['1.0', '2.0', '3.0'].includes(String(md.version))) throw Errors.load(`${api}: unsupported mllib BisectingKMeansModel format version ${String(md.version)} at ${path}`);
  const rootId = Number(md.rootId);
  const measure = (md.distanceMeasure ?? 'euclidean') as ClusteringDistance;
  const table = await readData(dataDir, 'data', api);
  const raw = new Map<number, { index: number; size: number; center: Float64Array; norm: number; cost: number; height: number; children: number[] }>();
  for (const b of table.batches) {
    const col = (name: string) => {
      const c = b.getChild(name);
      if (!c) throw Errors.load(`${api}: the saved model at ${path} has no column ${name} in data/data`);
      return c;
    };
    const centers = col('center').data[0]! as AnyData;
    const [ix, sz, nr, cs, ht, ch] = ['index', 'size', 'norm', 'cost', 'height', 'children'].map(col);
    for (let i = 0; i < b.numRows; i++) {
      const v = vectorAt(centers, i);
      if (!v) throw Errors.load(`${api}: node row ${i} of ${path} has no center`);
      const kidsVec = ch!.get(i) as arrow.Vector | null;
      const kids = kidsVec ? Array.from(kidsVec.toArray() as Int32Array, Number) : [];
      const index = Number(ix!.get(i));
      raw.set(index, { index, size: Number(sz!.get(i)), center: Float64Array.from(v.toArray()), norm: Number(nr!.get(i)), cost: Number(cs!.get(i)), height: Number(ht!.get(i)), children: kids });
    }
  }
  const build = (id: number, depth: number): ClusteringTreeNode => {
    const r = raw.get(id);
    if (!r || depth > 1000) throw Errors.load(`${api}: the saved model at ${path} has no node ${id} (or a cycle)`);
    return { index: r.index, size: r.size, center: r.center, norm: r.norm, cost: r.cost, height: r.height, children: r.children.map((c) => build(c, depth + 1)) };
  };
  const trainingCost = typeof md.trainingCost === 'number' ? md.trainingCost : null;
  return { root: build(rootId, 0), distanceMeasure: measure, trainingCost };
}

register('org.apache.spark.ml.clustering.BisectingKMeans', BisectingKMeans);

register('org.apache.spark.ml.clustering.BisectingKMeansModel', BisectingKMeansModel, {
  save: async (m, path, ctx) => {
    await writeMetadata(m, path, ctx);
    await saveModelData(m, path);
  },
  load: async (path, md, ctx) => {
    const { root, trainingCost } = await loadModelData(ctx.api, path);
    const m = BisectingKMeansModel.fromSaved(md.uid, root, trainingCost);
    getAndSetParams(m, md, { api: ctx.api });
    return m;
  },
});

