// MultilabelClassifier (kindling's binary relevance) with gaussian NaiveBayes against scikit-learn's
// MultiOutputClassifier(GaussianNB()) — Spark's gaussian NB and GaussianNB give the same
// probabilities (naive-bayes.test.ts) — on make_multilabel_classification(n_samples=24,
// n_features=3, n_classes=3, n_labels=1, allow_unlabeled=False, random_state=3), evaluated with
// MultilabelClassificationEvaluator against scikit-learn's metrics; persistence; errors.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../../ts/src/index.js';
import { MultilabelClassificationEvaluator, MultilabelClassificationModel, MultilabelClassifier, NaiveBayes, NaiveBayesModel, Vectors, type DenseVector } from '../../../ts/ml/index.js';

const spark = await Session.builder().appName('multilabel').master('local').getOrCreate();
t.teardown(() => spark.stop());

const X = [[46, 5, 1], [20, 7, 10], [23, 8, 12], [39, 4, 15], [24, 7, 26], [19, 13, 20], [39, 10, 8], [27, 4, 16], [23, 9, 20], [21, 2, 25], [44, 6, 0], [33, 5, 21], [17, 8, 22], [32, 3, 20], [28, 1, 13], [30, 6, 17], [31, 12, 1], [34, 4, 9], [20, 7, 26], [39, 10, 1], [36, 0, 17], [37, 11, 1], [32, 4, 21], [32, 14, 1]];
const Y = [[1], [0, 1], [0, 1], [0, 2], [0], [0], [0, 1], [0, 1], [0], [0], [1], [0], [0], [2], [2], [0, 1, 2], [1], [1, 2], [0], [1], [2], [1], [0], [1]];
// MultiOutputClassifier(GaussianNB()).fit(X, Y).predict(X), as label lists
const P = [[1], [0, 1], [0, 1], [1, 2], [0], [0], [1], [0, 2], [0], [0], [1], [0, 2], [0], [0, 2], [0, 2], [0], [1], [1, 2], [0], [1], [2], [1], [0, 2], [1]];
// predict_proba(X)[label][:, 1] of the first 4 rows, row-major
const PROB4 = [0.001929828133901477, 0.9999986771278675, 2.3949859869035974e-05, 0.9747972748574102, 0.8834431741947819, 0.0004958830554733771, 0.956816261277824, 0.7411995381628925, 0.002932027016558003, 0.38794625538299526, 0.5064675858480713, 0.7785715792774063];

t.test('binary relevance with gaussian NaiveBayes = MultiOutputClassifier(GaussianNB); the evaluator agrees with scikit-learn', async (t) => {
  for (const type of ['array<double>', 'array<int>']) {
    const df = spark.createDataFrame(X.map((x, i) => ({ features: Vectors.dense(x), labels: Y[i] })), `features vector, labels ${type}`);
    const mlc = new MultilabelClassifier({ classifier: new NaiveBayes({ modelType: 'gaussian' }), probabilityCol: 'probability', parallelism: 2 });
    const model = await mlc.fit(df);
    t.equal(model.models.length, 3);
    t.equal(model.getNumLabels(), 3);
    t.ok(model.models.every((m) => m instanceof NaiveBayesModel));
    const out = model.transform(df);
    t.same(out.columns, ['features', 'labels', 'prediction', 'probability']);
    const rows = await out.collect();
    t.same(rows.map((r) => Array.from(r.prediction as number[])), P, `${type}: predictions`);
    const prob = rows.slice(0, 4).flatMap((r) => Array.from((r.probability as DenseVector).toArray()));
    t.ok(prob.every((p, i) => Math.abs(p - PROB4[i]!) < 1e-9), `${type}: probabilities ${prob}`);
    if (type === 'array<int>') continue;
    // accuracy_score, hamming_loss, jaccard_score / f1_score / precision_score / recall_score (average='samples')
    const want: Record<string, number> = { subsetAccuracy: 0.6666666666666666, hammingLoss: 0.1527777777777778, accuracy: 0.8125, f1Measure: 0.8680555555555555, precision: 0.875, recall: 0.9097222222222222 };
    for (const [metricName, v] of Object.entries(want)) {
      const got = await new MultilabelClassificationEvaluator({ metricName: metricName as never, labelCol: 'labels' }).evaluate(out);
      t.ok(Math.abs(got - v) < 1e-12, `${metricName}: ${got} vs ${v}`);
    }
  }
});

t.test('persistence in kindling’s namespace; output params; errors', async (t) => {
  const df = spark.createDataFrame(X.map((x, i) => ({ features: Vectors.dense(x), labels: Y[i] })), 'features vector, labels array<double>');
  const model = await new MultilabelClassifier({ classifier: new NaiveBayes({ modelType: 'gaussian' }), labelCol: 'labels' }).fit(df);
  t.same(model.transform(df).columns, ['features', 'labels', 'prediction'], 'no probability column by default');
  const dir = mkdtempSync(join(tmpdir(), 'mlc-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await model.save(join(dir, 'm'));
  const md = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(md.class, 'org.kindling.ml.classification.MultilabelClassificationModel');
  t.equal(md.numLabels, 3);
  t.ok(['classifier', 'model_0', 'model_2'].every((d) => existsSync(join(dir, 'm', d, 'metadata', 'part-00000'))));
  const back = await MultilabelClassificationModel.load(join(dir, 'm'));
  t.same(await back.transform(df).collect(), await model.transform(df).collect());
  await new MultilabelClassifier({ classifier: new NaiveBayes() }).save(join(dir, 'e'));
  t.ok((await MultilabelClassifier.load(join(dir, 'e'))).getClassifier() instanceof NaiveBayes);

  const rows = (labels: unknown[]) => spark.createDataFrame(labels.map((l, i) => ({ features: Vectors.dense([i, 1]), labels: l })), 'features vector, labels array<double>');
  const fit = (df: ReturnType<typeof rows>, numLabels?: number) => new MultilabelClassifier({ classifier: new NaiveBayes({ modelType: 'gaussian' }), ...(numLabels ? { numLabels } : {}) }).fit(df);
  await t.rejects(fit(rows([[0], [1], null])), /row 2 of column labels/);
  await t.rejects(fit(rows([[0], [1.5]])), /row 1 of label column labels holds the label 1\.5/);
  await t.rejects(fit(rows([[0], [-1]])), /row 1 .*label -1/);
  await t.rejects(fit(rows([[0], [0, 1], [2]]), 2), /holds the label 2, but numLabels = 2/);
  await t.rejects(fit(rows([[0], [0, 1]])), /label 0 of column labels is in every row/);
  await t.rejects(fit(rows([[0], [1], [0]]), 3), /label 2 of column labels is in no row/);
  await t.rejects(new MultilabelClassifier().fit(rows([[0], [1]])), /classifier/);
  t.throws(() => new MultilabelClassifier({ classifier: new NaiveBayes() }).transformSchema(spark.createDataFrame([{ features: Vectors.dense([1]), labels: 1 }], 'features vector, labels double').schema), /array of numbers/);
});
