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
 *     leaf overall (bisecting-kmeans-tree.ts).
 * Where Spark's result depends on hash-map iteration order (which divisible cluster draws its
 * noise first; ties in cluster size), kindling takes ascending cluster index. Cluster indices
 * are doubles here: a cluster deeper than level 52 is not divided further (Spark's limit is 63).
 *
 * Execution (docs/ARCHITECTURE.md, "Training data stays where it lives"): the features are
 * prepared once on the executors (ml/data/instances.ts: checked and packed where the partitions
 * are); each row's cluster index stays beside its block (Spark's RDD of (index, vector)), and
 * every 2-means round is one treeAggregate of `bisectStepSummary` (bisecting-kmeans-tasks.ts)
 * with the candidate centres broadcast; the reassignment of a level's rows runs in the next
 * level's first round, in place. The summary's sizes and computeCost are one pass of
 * `bisectLeafStats` with the tree broadcast. The driver holds cluster summaries, never rows.
 *
 * Progress: one event per level (kind 'iteration', total k - 1, the most levels there can be).
 *
 * Summary (Spark's BisectingKMeansSummary): k (requested), numIter = maxIter, trainingCost = Σ
 * of the leaves' costs, clusterSizes (rows per leaf by predict), predictions.
 *
 * Persistence is Spark's: `org.apache.spark.ml.clustering.BisectingKMeans` (params) and
 * `…BisectingKMeansModel`, whose `data/` directory is mllib's BisectingKMeansModel save format
 * (bisecting-kmeans-persist.ts). Definitions: docs/formats/SPARK_DEFINITIONS.md (§9, §14).
 */
import type * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import type { DataFrame, SessionLike } from '../../src/dataframe/dataframe.js';
import type { Blocks } from '../../src/exec/jobs.js';
import { prepareInstances, type Instances } from '../data/instances.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { getAndSetParams, register, writeMetadata } from '../persist.js';
import { Estimator, Model, type FitOptions } from '../stage.js';
import { CostSummary, trainingSummaryOf } from './clustering-summary.js';
import { BisectingKMeansParamsMixin, type BisectingKMeansParamsOptions } from './clustering-params.js';
import { loadModelData, saveModelData } from './bisecting-kmeans-persist.js';
import {
  bisectInitAssignments, bisectLeafStats, bisectPredict, bisectStepSummary, type BisectBroadcast, type BisectPredictBroadcast, type BisectSplit, type LeafStatsBroadcast,
} from './bisecting-kmeans-tasks.js';
import { predictInput, withPredictions } from '../data/predictions.js';
import { buildTree, clusterSummaryOf, leafNodes, predictTree, splitCenter, type ClusterSummary, type ClusteringTreeNode } from './bisecting-kmeans-tree.js';
import {
  JavaRandom, appendPredictionField, checkFeaturesColumn, checkFitSchema, costOf, pointOf, type ClusteringDistance,
} from './kmeans-common.js';

export type { BisectingKMeansParamsOptions };
export { bisectStepSummary, type BisectBroadcast, type BisectPartition, type BisectStats } from './bisecting-kmeans-tasks.js';
export { clusterSummaryOf, type ClusteringTreeNode } from './bisecting-kmeans-tree.js';

export type BisectingKMeansOptions = BisectingKMeansParamsOptions;

export interface BisectingKMeansModelOptions extends BisectingKMeansParamsOptions {
  /** The tree (as built by fit or read from a saved model). */
  root?: ClusteringTreeNode;
}

const EPSILON = 2.220446049250313e-16; // Spark's MLUtils.EPSILON (machine epsilon)
const MAX_INDEX = 2 ** 52;

/** The checks a row needs (Spark's: finite values; a non-zero vector for cosine). */
function rowChecks(measure: ClusteringDistance) {
  return { nonZeroNorm: measure === 'cosine', finiteNorm: true };
}

/**
 * The whole algorithm (see the module comment) over training data kept on the executors and
 * the companion blocks of row cluster indices (every row in cluster 1 at the start).
 */
export async function runBisecting(
  session: SessionLike,
  data: Instances,
  assignments: Blocks,
  k: number,
  maxIter: number,
  minDivisibleClusterSize: number,
  seed: number,
  measure: ClusteringDistance,
  onLevel?: (level: number, divided: number, leaves: number) => void,
): Promise<ClusteringTreeNode> {
  const { d } = data;
  const source = data.zip(assignments);
  const round = (b: BisectBroadcast) => session.treeAggregate(bisectStepSummary, source, b);
  // the root: every row in cluster 1, one "child" slot that always wins
  const rootStats = await round({ d, measure, parents: Float64Array.of(1), centers: new Float64Array(2 * d), exists: Uint8Array.of(1, 0) });
  const root = clusterSummaryOf(rootStats.counts[0]!, rootStats.weights[0]!, rootStats.sums.subarray(0, d), rootStats.sqNorms[0]!, measure);
  let active = new Map<number, ClusterSummary>([[1, root]]);
  const inactive = new Map<number, ClusterSummary>();
  const n = root.size;
  const minSize = minDivisibleClusterSize >= 1.0 ? Math.ceil(minDivisibleClusterSize) : Math.ceil(minDivisibleClusterSize * n);
  const random = new JavaRandom(seed);
  let needed = k - 1;
  let level = 1;
  // the last level's split: its rows move to their final children in the next level's first round
  let pending: BisectSplit | null = null;
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
      const st = await round({ d, measure, parents, centers, exists, reassign: iter === 0 ? pending : null });
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
    pending = { parents, centers, exists };
    for (const [i, s] of active) inactive.set(i, s);
    active = newClusters;
    needed -= m;
    onLevel?.(level, m, k - needed);
    level++;
  }
  const clusters = new Map<number, ClusterSummary>([...inactive, ...active]);
  return buildTree(clusters, measure);
}

/** Rows per leaf by the tree walk and Σ w·cost, over prepared data (one pass on the executors). */
function leafStats(session: SessionLike, data: Instances, root: ClusteringTreeNode, measure: ClusteringDistance, weighted: boolean) {
  const b: LeafStatsBroadcast = { root, leaves: leafNodes(root).length, measure, weighted: weighted && data.weighted };
  return session.treeAggregate(bisectLeafStats, data, b);
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
    const session = df.session;
    const data = await prepareInstances(api, df, { featuresCol: this.getFeaturesCol(), weightCol: this.getWeightCol(), checks: rowChecks(measure), emptyMessage: 'clustering needs at least one point' });
    try {
      const assignments = await session.keepTasks<unknown, null, null>(bisectInitAssignments, data, null);
      let root: ClusteringTreeNode;
      try {
        root = await runBisecting(session, data, assignments, k, maxIter, this.getMinDivisibleClusterSize(), this.getSeed(), measure, (level, divided, leaves) => {
          options.onProgress?.({ stage: this.uid, kind: 'iteration', current: level, total: k - 1, message: `level ${level}: ${divided} cluster(s) divided, ${leaves} leaves` });
        });
      } finally {
        assignments.release();
      }
      const counts = (await leafStats(session, data, root, measure, false)).counts;
      const sizes = Array.from({ length: k }, (_, j) => (j < counts.length ? counts[j]! : 0));
      const model = this.copyValues(new BisectingKMeansModel({ root }, this.uid));
      model.setParent(this);
      const trainingCost = leafNodes(root).reduce((s, l) => s + l.cost, 0);
      model.setSummary(new BisectingKMeansSummary(model.transform(df), model.getPredictionCol(), model.getFeaturesCol(), k, maxIter, trainingCost, sizes));
      return model;
    } finally {
      data.release();
    }
  }
}

/**
 * Spark's BisectingKMeansSummary: trainingCost is the sum of the leaves' costs; numIter is
 * maxIter (each split runs that many 2-means rounds); clusterSizes the rows predicted into each leaf.
 */
export class BisectingKMeansSummary extends CostSummary {}

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
    return trainingSummaryOf(this, this.trainingSummary);
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
    const measure = this.getDistanceMeasure();
    const input = predictInput(this.stageName, df, this.getFeaturesCol(), root.center.length, { nonZeroNorm: measure === 'cosine', finiteNorm: true });
    const b: BisectPredictBroadcast = { input, predictionCol: this.getPredictionCol(), root, measure };
    return withPredictions(df, bisectPredict, b, this.transformSchema(df.schema));
  }

  /** Σ weight x cost of each row to the leaf it is predicted into (Spark 2.x's computeCost, with weightCol when set). */
  async computeCost(df: DataFrame): Promise<number> {
    const api = `${this.stageName}.computeCost`;
    const root = this.root;
    const measure = this.getDistanceMeasure();
    const data = await prepareInstances(api, df, { featuresCol: this.getFeaturesCol(), weightCol: this.getWeightCol(), checks: rowChecks(measure), emptyMessage: 'clustering needs at least one point' });
    try {
      const d = root.center.length;
      if (data.d !== d) throw Errors.schema(`${api}: column ${this.getFeaturesCol()} has ${data.d} features, but the model was fitted on ${d}`);
      return (await leafStats(df.session, data, root, measure, true)).cost;
    } finally {
      data.release();
    }
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

