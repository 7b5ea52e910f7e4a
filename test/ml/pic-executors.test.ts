// PowerIterationClustering on the executors (docs/ARCHITECTURE.md, "Training data stays where it
// lives"): the edges are packed once where the partitions are and each power iteration ships
// the vertex vector out and partial products back. On `local` and `local[2]` (enough edges for
// the pool's worker threads to run the tasks), from 1 or 4 partitions: the same clusters, equal
// to the in-memory reference's; bad rows named over the whole DataFrame; the bytes of one
// iteration bounded by the vertices, not the edges.
import t from 'tap';
import { Session } from '../../ts/src/index.js';
import { PowerIterationClustering, kMeans1d, picPowerIteration, type PicGraph } from '../../ts/ml/index.js';
import { mulberry32 } from '../reference/rng.js';

type Edge = [number, number, number];

/** Two cliques (260 and 200 vertices, weights in [0.5, 1.5)) joined by five weak edges: 53,575 edges. */
function twoCliques(): { edges: Edge[]; groups: number[][] } {
  const r = mulberry32(21);
  const edges: Edge[] = [];
  const groups = [Array.from({ length: 260 }, (_, i) => i), Array.from({ length: 200 }, (_, i) => 260 + i)];
  for (const g of groups) for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++) edges.push([g[i]!, g[j]!, 0.5 + r()]);
  for (let b = 0; b < 5; b++) edges.push([b * 7, 260 + b * 11, 0.001]);
  return { edges, groups };
}

/** The in-memory reference: CSR of the same graph, the power iteration, the exact 1-d split. */
function reference(n: number, edges: Edge[], initMode: 'degree' | 'random', maxIter: number): number[][] {
  const adj = Array.from({ length: n }, () => [] as Array<[number, number]>);
  for (const [i, j, s] of edges) {
    adj[i]!.push([j, s]);
    adj[j]!.push([i, s]);
  }
  const degrees = Float64Array.from(adj.map((l) => l.reduce((x, [, s]) => x + s, 0)));
  const indptr = new Int32Array(n + 1);
  const neighbors: number[] = [];
  const weights: number[] = [];
  adj.forEach((l, i) => {
    for (const [j, s] of l) {
      neighbors.push(j);
      weights.push(s / degrees[i]!);
    }
    indptr[i + 1] = neighbors.length;
  });
  const g: PicGraph = { n, ids: Array.from({ length: n }, (_, i) => i), degrees, indptr, neighbors: Int32Array.from(neighbors), weights: Float64Array.from(weights) };
  return partition(kMeans1d(picPowerIteration(g, initMode, maxIter), 2));
}

/** Cluster labels (by vertex) as sorted groups of vertices. */
function partition(labels: ArrayLike<number>): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) groups.set(labels[i]!, [...(groups.get(labels[i]!) ?? []), i]);
  return [...groups.values()].sort((a, b) => a[0]! - b[0]!);
}

t.test('local and local[2], 1 and 4 partitions: the same clusters as the in-memory reference', async (t) => {
  const { edges, groups } = twoCliques();
  t.ok(edges.length >= 50_000, `${edges.length} edges: the pool's threads run the tasks`);
  for (const initMode of ['degree', 'random'] as const) t.same(reference(460, edges, initMode, 20), groups, `${initMode}: the reference finds the two cliques`);
  for (const master of ['local', 'local[2]']) {
    const spark = await Session.builder().master(master).getOrCreate();
    try {
      const df = spark.createDataFrame(edges, 'src int, dst int, weight double');
      for (const parts of [1, 4]) {
        for (const initMode of ['degree', 'random'] as const) {
          const rows = await (await new PowerIterationClustering({ initMode, weightCol: 'weight' }).assignClusters(df.repartition(parts))).collect();
          t.same(rows.map((row) => Number(row.id)), Array.from({ length: 460 }, (_, i) => i), `${master}, ${parts} partition(s): one row per vertex, by id`);
          t.same(partition(rows.map((row) => row.cluster as number)), groups, `${master}, ${parts} partition(s), ${initMode}: the two cliques`);
        }
      }
    } finally {
      await spark.stop();
    }
  }
});

t.test('local[2]: bad rows named over the whole DataFrame; one iteration moves O(vertices) bytes', async (t) => {
  const spark = await Session.builder().master('local[2]').getOrCreate();
  t.teardown(() => spark.stop());
  const { edges } = twoCliques();
  const pic = new PowerIterationClustering({ initMode: 'degree', weightCol: 'weight' });
  const withRow = (at: number, row: [number | null, number, number]) => spark.createDataFrame(edges.map((e, i) => (i === at ? row : e)), 'src int, dst int, weight double');
  await t.rejects(pic.assignClusters(withRow(41_234, [1, 2, NaN])), { message: /row 41234 of weight column weight is null or NaN: Weights MUST NOT be Null or NaN/ });
  await t.rejects(pic.assignClusters(withRow(50_001, [1, 2, -0.5])), { message: /row 50001 of weight column weight is -0\.5: Weights MUST NOT be Negative or Infinity/ });
  await t.rejects(pic.assignClusters(withRow(30_000, [null, 2, 1])), { message: /row 30000 of column src is null; every edge needs a source and a destination vertex id/ });
  // the bytes of the second iteration: the vertex vector out, partial products back — not the edges
  const df = spark.createDataFrame(edges, 'src int, dst int, weight double').cache();
  t.equal(await df.count(), edges.length);
  const bytes = async (maxIter: number) => {
    const before = spark.metrics.bytesToExecutors + spark.metrics.bytesFromExecutors;
    await new PowerIterationClustering({ initMode: 'degree', weightCol: 'weight', maxIter }).assignClusters(df);
    return spark.metrics.bytesToExecutors + spark.metrics.bytesFromExecutors - before;
  };
  const one = (await bytes(2)) - (await bytes(1));
  const tasks = 2;
  t.ok(one > 0 && one <= tasks * 460 * (8 + 8 + 4) + 4096, `one iteration: ${one} bytes for ${edges.length} edges (${edges.length * 16} bytes of edges)`);
});
