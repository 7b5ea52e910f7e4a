// GaussianMixture on the execution engine (docs/ARCHITECTURE.md, "Training data stays where it
// lives"): the data is prepared once on the executors and every step runs there — the data's
// scale and distinct points, Spark's takeSample draws (counter-based, per global row), the
// E-steps and the cluster sizes — so `local` and `local[2]`, and 1 or several partitions, give
// the same model from the same seed, and the bytes moved per EM iteration do not grow with the
// rows.
import t from 'tap';
import * as arrow from 'apache-arrow';
import { Session } from '../../ts/src/index.js';
import { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import { GaussianMixture, denseVectorColumn, type GaussianMixtureModel } from '../../ts/ml/index.js';
import { gaussian, mulberry32 } from '../reference/rng.js';

const d = 3;

/** n points around 3 centres, seeded. */
function points(n: number): Float64Array {
  const g = gaussian(mulberry32(n));
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) x[i * d + t] = 4 * ((i % 3) - 1) * (t === i % d ? 1 : 0.3) + g();
  return x;
}

/** The rows of `x` in `parts` contiguous partitions (row order kept), with weights 1 + i % 4. */
function frame(spark: Session, x: Float64Array, parts: number): DataFrame {
  const n = x.length / d;
  const table = new arrow.Table({ features: arrow.makeVector(denseVectorColumn(x, d) as never), w: arrow.makeVector(Float64Array.from({ length: n }, (_, i) => 1 + (i % 4))) });
  const b = table.batches[0]!;
  const batches = Array.from({ length: parts }, (_, p) => b.slice(Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)));
  return new DataFrame(spark, { op: 'memory', schema: table.schema, partitions: batches });
}

function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

type Fit = { master: string; parts: number; model: GaussianMixtureModel };
const fits: Fit[] = [];
const x = points(900);

for (const master of ['local', 'local[2]']) {
  t.test(`${master}: a seeded fit (Spark's init on the executors) is the same for 1, 2 and 5 partitions`, async (t) => {
    const spark = await Session.builder().appName('gmm-engine').master(master).getOrCreate();
    t.teardown(() => spark.stop());
    for (const parts of [1, 2, 5]) {
      const model = await new GaussianMixture({ k: 3, seed: 17, weightCol: 'w', maxIter: 30 }).fit(frame(spark, x, parts));
      fits.push({ master, parts, model });
    }
  });
}

t.test('every fit agrees: local and local[2], 1, 2 and 5 partitions', async (t) => {
  const [ref, ...rest] = fits;
  t.equal(fits.length, 6);
  const means = (m: GaussianMixtureModel) => m.gaussians.flatMap((g) => Array.from(g.mean.toArray()));
  const covs = (m: GaussianMixtureModel) => m.gaussians.flatMap((g) => Array.from(g.cov.toArray()));
  for (const f of rest) {
    const what = `${f.master}, ${f.parts} partition(s) vs ${ref!.master}, ${ref!.parts}`;
    t.equal(f.model.summary.numIter, ref!.model.summary.numIter, `${what}: iterations`);
    t.ok(relDiff([f.model.summary.logLikelihood], [ref!.model.summary.logLikelihood]) <= 1e-10, `${what}: log-likelihood`);
    t.ok(relDiff(f.model.weights, ref!.model.weights) <= 1e-9, `${what}: weights`);
    t.ok(relDiff(means(f.model), means(ref!.model)) <= 1e-9, `${what}: means`);
    t.ok(relDiff(covs(f.model), covs(ref!.model)) <= 1e-8, `${what}: covariances`);
    t.same(f.model.summary.clusterSizes, ref!.model.summary.clusterSizes, `${what}: cluster sizes`);
  }
  t.equal(ref!.model.summary.clusterSizes.reduce((a, b) => a + b, 0), 900, 'cluster sizes count every row');
});

t.test('local[2]: bytes moved per EM iteration do not grow with the number of rows', async (t) => {
  const spark = await Session.builder().appName('gmm-engine').master('local[2]').getOrCreate();
  t.teardown(() => spark.stop());
  const perIteration: Array<{ to: number[]; from: number[] }> = [];
  for (const n of [12_000, 48_000]) { // both above the pool backend's 8,192-row inline threshold
    const marks: Array<{ to: number; from: number }> = [];
    await new GaussianMixture({ k: 3, seed: 1, maxIter: 5, tol: 0 }).fit(frame(spark, points(n), 2), undefined, {
      onProgress: () => marks.push({ to: spark.metrics.bytesToExecutors, from: spark.metrics.bytesFromExecutors }),
    });
    perIteration.push({ to: marks.slice(1).map((m, i) => m.to - marks[i]!.to), from: marks.slice(1).map((m, i) => m.from - marks[i]!.from) });
  }
  const [small, large] = perIteration;
  t.equal(small!.to.length, 4, 'five iterations: four intervals');
  t.same(large!.to, small!.to, 'bytes sent per iteration are the same for 4x the rows');
  t.same(large!.from, small!.from, 'bytes received per iteration are the same for 4x the rows');
  // the tasks ran on the pool (bytes moved), and what moves is k x d state, never rows
  t.ok(small!.to.every((b) => b > 0 && b < 4096) && small!.from.every((b) => b > 0 && b < 4096), `per iteration: ${small!.to.join(', ')} bytes out, ${small!.from.join(', ')} back`);
});
