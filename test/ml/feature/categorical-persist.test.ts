// The categorical estimators and transformers save and load (params only, Spark's
// DefaultParamsWriter layout) under Spark's class names, or kindling's org.kindling.ml.feature.*
// for the stages Spark does not have.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ML from '../../../ts/ml/index.js';

t.test('each stage round-trips with its params and class name', async (t) => {
  const dir = t.testdir();
  const spark = 'org.apache.spark.ml.feature';
  const own = 'org.kindling.ml.feature';
  const cases: Array<[ML.Params & { save(p: string): Promise<void> }, string, { load(p: string): Promise<ML.Params> }]> = [
    [new ML.StringIndexer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'], stringOrderType: 'alphabetAsc', handleInvalid: 'skip' }), `${spark}.StringIndexer`, ML.StringIndexer],
    [new ML.IndexToString({ inputCol: 'i', outputCol: 's', labels: ['a', 'b'] }), `${spark}.IndexToString`, ML.IndexToString],
    [new ML.OneHotEncoder({ inputCol: 'i', outputCol: 'v', dropLast: false, handleInvalid: 'keep' }), `${spark}.OneHotEncoder`, ML.OneHotEncoder],
    [new ML.FeatureHasher({ inputCols: ['a'], outputCol: 'f', numFeatures: 64 }), `${spark}.FeatureHasher`, ML.FeatureHasher],
    [new ML.VectorIndexer({ inputCol: 'v', outputCol: 'o', maxCategories: 5, handleInvalid: 'keep' }), `${spark}.VectorIndexer`, ML.VectorIndexer],
    [new ML.CountEncoder({ inputCol: 'a', outputCol: 'c', normalize: true }), `${own}.CountEncoder`, ML.CountEncoder],
    [new ML.OrdinalEncoder({ inputCols: ['a'], outputCols: ['o'], categoryOrders: [['x', 'y']] }), `${own}.OrdinalEncoder`, ML.OrdinalEncoder],
    [new ML.WeightOfEvidenceEncoder({ inputCol: 'a', outputCol: 'w', labelCol: 'y', smoothing: 0.25 }), `${own}.WeightOfEvidenceEncoder`, ML.WeightOfEvidenceEncoder],
    [new ML.RareLabelEncoder({ inputCol: 'a', outputCol: 'r', tolerance: 0.1, replacement: 'other', minCategories: 3 }), `${own}.RareLabelEncoder`, ML.RareLabelEncoder],
  ];
  for (const [stage, cls, Ctor] of cases) {
    const p = join(dir, stage.uid);
    await stage.save(p);
    const meta = JSON.parse(readFileSync(join(p, 'metadata', 'part-00000'), 'utf8'));
    t.equal(meta.class, cls);
    const back = await Ctor.load(p);
    t.equal(back.uid, stage.uid);
    t.equal(back.explainParams(), stage.explainParams(), `${cls} params`);
  }
});
