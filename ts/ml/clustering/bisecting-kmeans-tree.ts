/**
 * BisectingKMeans' clustering tree (Spark's mllib ClusteringTreeNode and the pure pieces of
 * BisectingKMeans.runWithWeight around it), shared by the driver (bisecting-kmeans.ts) and the
 * executor tasks (bisecting-kmeans-tasks.ts), so it stays free of DataFrame and persistence code:
 *   - `clusterSummaryOf`: Spark's DistanceMeasure.centroid + clusterCost from one cluster's
 *     merged sums (count, Σw, Σw·x — cosine: Σw·x/|x| — and Σw·|x|²);
 *   - `splitCenter`: Spark's splitCenter (centre ∓ 1e-4·|centre|·noise, java.util.Random draws);
 *   - `buildTree`: Spark's buildTree, pre-order numbering (leaves 0, 1, …; internal -1, -2, …);
 *   - `predictTree`: Spark's ClusteringTreeNode.predict, down the tree to the nearer child.
 * Spark's definitions: docs/formats/SPARK_DEFINITIONS.md (§9 KMeans' distance measures).
 */
import { cosineDistance, norm2, squaredDistance, type ClusteringDistance, type JavaRandom } from './kmeans-common.js';

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

/** A point cost (squared Euclidean or cosine distance) between row `ao` of a and row `bo` of b. */
export type PointCost = (a: Float64Array, ao: number, b: Float64Array, bo: number, d: number) => number;

/** A cluster's summary (Spark's ClusterSummary). */
export interface ClusterSummary {
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

/** Spark's splitCenter: centre ∓ 1e-4·|centre|·noise (noise: d nextDouble draws); cosine normalises both. */
export function splitCenter(center: Float64Array, random: JavaRandom, measure: ClusteringDistance): [Float64Array, Float64Array] {
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

/** Spark's buildTree over clusters by raw index (root 1, children 2i and 2i + 1): pre-order numbering, leaves 0.., internal -1.. */
export function buildTree(clusters: Map<number, ClusterSummary>, measure: ClusteringDistance): ClusteringTreeNode {
  let leafIndex = 0;
  let internalIndex = -1;
  const dist: PointCost = measure === 'cosine' ? cosineDistance : (a, ao, b, bo, d) => Math.sqrt(squaredDistance(a, ao, b, bo, d));
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

/** The leaves, in index order. */
export function leafNodes(node: ClusteringTreeNode): ClusteringTreeNode[] {
  return node.children.length === 0 ? [node] : node.children.flatMap(leafNodes);
}

/** Spark's getNodes: post-order (children first). */
export function postOrder(node: ClusteringTreeNode): ClusteringTreeNode[] {
  return [...node.children.flatMap(postOrder), node];
}

/** Spark's ClusteringTreeNode.predict: down the tree to the nearer child (the first on ties); the leaf reached. */
export function predictLeaf(root: ClusteringTreeNode, x: Float64Array, o: number, cost: PointCost): ClusteringTreeNode {
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
  return node;
}

/** The index of the leaf `predictLeaf` reaches. */
export function predictTree(root: ClusteringTreeNode, x: Float64Array, o: number, cost: PointCost): number {
  return predictLeaf(root, x, o, cost).index;
}
