// The whole Spark 3.5.5 PipelineModel fixture (VectorAssembler -> StandardScalerModel(withMean,
// withStd) -> KMeansModel(k=5)) loads and predicts: each prediction is the nearest centre of the
// row scaled by hand with the loaded mean and std.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineModel, StandardScalerModel, KMeansModel, type DenseVector } from '../../ts/ml/index.js';
import { Session } from '../../ts/src/index.js';

const spark = await Session.builder().appName('spark-pipeline').master('local').getOrCreate();
t.teardown(() => spark.stop());
const dir = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'spark-models', 'pipeline-vecassembler-stdscaler-kmeans-3.5.5');

t.test('PipelineModel.load of a Spark 3.5.5 pipeline, then transform', async (t) => {
  const model = await PipelineModel.load(dir);
  t.equal(model.stages.length, 3);
  const inputs = JSON.parse(readFileSync(join(dir, 'stages', '0_VectorAssembler_3707623a37de', 'metadata', 'part-00000'), 'utf8')).paramMap.inputCols as string[];
  const scaler = model.stages[1] as StandardScalerModel;
  const km = model.stages[2] as KMeansModel;
  t.ok(scaler instanceof StandardScalerModel && km instanceof KMeansModel);
  const mean = scaler.mean.toArray();
  const std = scaler.std.toArray();
  // rows around the training mean (several std away in varying directions)
  const rows = Array.from({ length: 6 }, (_, r) => Object.fromEntries(inputs.map((c, j) => [c, mean[j]! + ((((r * 7 + j * 3) % 5) - 2) * 0.7) * std[j]!])));
  const df = spark.createDataFrame(rows, inputs.map((c) => `\`${c}\` double`).join(', '));
  const out = await model.transform(df).select('scaled_features', 'cluster').collect();
  const centres = km.clusterCenters.map((c: DenseVector) => c.toArray());
  out.forEach((row, r) => {
    const x = inputs.map((c, j) => (std[j] === 0 ? 0 : ((rows[r]![c] as number) - mean[j]!) / std[j]!));
    const got = (row.scaled_features as DenseVector).toArray();
    t.ok(x.every((v, j) => Math.abs(v - got[j]!) < 1e-9), `row ${r} scaled by hand`);
    let best = 0;
    let bestD = Infinity;
    centres.forEach((c, k) => {
      let d = 0;
      for (let j = 0; j < x.length; j++) d += (x[j]! - c[j]!) ** 2;
      if (d < bestD) { bestD = d; best = k; }
    });
    t.equal(row.cluster, best, `row ${r} nearest centre`);
  });
});
