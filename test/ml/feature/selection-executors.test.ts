// The missing-value, PCA and selector stages on pool threads: local[2] with more rows than the
// pool runs inline (8,192), so every summary and transform task runs on a worker thread (resolved
// through ts/worker.ts, states cloned across threads), and gives what `local` gives.
import t from 'tap';
import { ChiSqSelector, ConstantImputer, Imputer, IterativeImputer, MissingIndicator, PCA, RandomSampleImputer, UnivariateFeatureSelector, Vectors, type DenseVector } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';

const N = 12_000;
const rows = Array.from({ length: N }, (_, i) => ({
  a: i % 7 === 0 ? null : (i * 37) % 101,
  b: i % 11 === 0 ? NaN : Math.sin(i) * 10,
  features: Vectors.dense([i % 3, (i * 7) % 5, Math.cos(i), (i % 3) * 2 + (i % 2)]),
  cat: Vectors.dense([i % 3, (i * 7) % 5, i % 4, (i % 3) * 2 + (i % 2)]),
  label: i % 3,
}));

async function everything(master: string): Promise<unknown[]> {
  const spark = await Session.builder().appName(`executors-${master}`).master(master).getOrCreate();
  try {
    const df = spark.createDataFrame(rows).repartition(4);
    const out: unknown[] = [];
    for (const strategy of ['mean', 'median', 'mode'] as const) {
      const m = await new Imputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'], strategy }).fit(df);
      out.push(await m.surrogateDF.collect());
      out.push((await m.transform(df).select('x', 'y').collect()).slice(0, 50));
    }
    out.push((await new MissingIndicator({ inputCols: ['a', 'b'] }).transform(new ConstantImputer({ inputCol: 'a', outputCol: 'c', fillValue: -1 }).transform(df)).select('c', 'a_missing', 'b_missing').collect()).slice(0, 50));
    const rs = await new RandomSampleImputer({ inputCol: 'a', outputCol: 'r', seed: 5 }).fit(df);
    out.push((await rs.transform(df).select('r').collect()).slice(0, 50));
    const it = await new IterativeImputer({ inputCols: ['a', 'b'], outputCols: ['p', 'q'] }).fit(df);
    out.push((await it.transform(df).select('p', 'q').collect()).slice(0, 20).map((r) => [Math.round((r.p as number) * 1e6), Math.round((r.q as number) * 1e6)]));
    const pca = await new PCA({ k: 2, inputCol: 'features', outputCol: 'pc' }).fit(df);
    out.push(Array.from(pca.pc.toArray(), (v) => Math.round(v * 1e9)), Array.from(pca.explainedVariance.toArray(), (v) => Math.round(v * 1e9)));
    out.push((await pca.transform(df).select('pc').collect()).slice(0, 20).map((r) => Array.from((r.pc as DenseVector).toArray(), (v) => Math.round(v * 1e6))));
    for (const [featureType, labelType] of [['categorical', 'categorical'], ['continuous', 'categorical'], ['continuous', 'continuous']] as const) {
      const m = await new UnivariateFeatureSelector({ featureType, labelType, selectionThreshold: 2, outputCol: 's', featuresCol: featureType === 'categorical' ? 'cat' : 'features' }).fit(df);
      out.push(m.selectedFeatures, (await m.transform(df).select('s').collect()).slice(0, 10));
    }
    out.push((await new ChiSqSelector({ numTopFeatures: 1, featuresCol: 'cat' }).fit(df)).selectedFeatures);
    return out;
  } finally {
    await spark.stop();
  }
}

t.test('local and local[2] (pool threads) give the same results', async (t) => {
  const one = await everything('local');
  const two = await everything('local[2]');
  t.equal(two.length, one.length);
  one.forEach((v, i) => t.same(two[i], v, `result ${i}`));
});
