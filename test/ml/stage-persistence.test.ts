// VectorAssembler and the evaluators save and load in Spark's layout (params only), alone and
// inside Pipelines; Spark-written VectorAssembler metadata loads.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  VectorAssembler, BinaryClassificationEvaluator, ClusteringEvaluator, MulticlassClassificationEvaluator,
  MultilabelClassificationEvaluator, RankingEvaluator, RegressionEvaluator, Pipeline, PipelineModel,
} from '../../ts/ml/index.js';
import { Session } from '../../ts/src/index.js';

const spark = await Session.builder().appName('stage-persist').master('local').getOrCreate();
t.teardown(() => spark.stop());

t.test('evaluators round-trip with their params and Spark class names', async (t) => {
  const dir = t.testdir();
  const cases = [
    [new BinaryClassificationEvaluator({ metricName: 'areaUnderPR', numBins: 50 }), 'org.apache.spark.ml.evaluation.BinaryClassificationEvaluator', BinaryClassificationEvaluator],
    [new MulticlassClassificationEvaluator({ metricName: 'accuracy' }), 'org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator', MulticlassClassificationEvaluator],
    [new MultilabelClassificationEvaluator({ metricName: 'microF1Measure' }), 'org.apache.spark.ml.evaluation.MultilabelClassificationEvaluator', MultilabelClassificationEvaluator],
    [new RegressionEvaluator({ metricName: 'r2', throughOrigin: true }), 'org.apache.spark.ml.evaluation.RegressionEvaluator', RegressionEvaluator],
    [new RankingEvaluator({ metricName: 'ndcgAtK', k: 5 }), 'org.apache.spark.ml.evaluation.RankingEvaluator', RankingEvaluator],
    [new ClusteringEvaluator({ distanceMeasure: 'cosine' }), 'org.apache.spark.ml.evaluation.ClusteringEvaluator', ClusteringEvaluator],
  ] as const;
  for (const [e, cls, Ctor] of cases) {
    const p = join(dir, e.uid);
    await e.save(p);
    const meta = JSON.parse(readFileSync(join(p, 'metadata', 'part-00000'), 'utf8'));
    t.equal(meta.class, cls);
    t.equal(meta.uid, e.uid);
    const back = await (Ctor as unknown as { load(p: string): Promise<typeof e> }).load(p);
    t.equal(back.uid, e.uid);
    t.equal(back.explainParams(), e.explainParams());
  }
});

t.test('a Pipeline with a VectorAssembler saves and loads; the Spark 3.5.5 VectorAssembler stage loads', async (t) => {
  const dir = t.testdir();
  const va = new VectorAssembler({ inputCols: ['a', 'b'], outputCol: 'features', handleInvalid: 'skip' });
  const model = await new Pipeline({ stages: [va] }).fit(spark.createDataFrame({ a: new Float64Array([1, 2]), b: new Float64Array([3, NaN]) }));
  await model.save(join(dir, 'm'));
  const back = await PipelineModel.load(join(dir, 'm'));
  const df = spark.createDataFrame({ a: new Float64Array([1, 2]), b: new Float64Array([3, NaN]) });
  t.same((await back.transform(df).collect()).map((r) => Array.from((r.features as { toArray(): Float64Array }).toArray())), [[1, 3]]);
  const shared = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'spark-models', 'pipeline-vecassembler-stdscaler-kmeans-3.5.5', 'stages');
  const stage = await VectorAssembler.load(join(shared, '0_VectorAssembler_3707623a37de'));
  t.equal(stage.getOutputCol(), 'features');
  t.ok(stage.getInputCols().length > 0);
});
