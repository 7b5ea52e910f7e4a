// NaiveBayes (SPARK_DEFINITIONS.md §12): the PySpark docstring example with its documented
// outputs, the four model types against scikit-learn (constants below, computed with
// /usr/bin/python3, scikit-learn 1.2, and numpy for Spark's definitions where they differ),
// Spark's input checks, persistence, and the Spark 3.1.2 text pipeline fixture.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from '../../../ts/src/index.js';
import { NaiveBayes, NaiveBayesModel, PipelineModel, StringIndexerModel, Vectors, type DenseVector, type Vector } from '../../../ts/ml/index.js';

const spark = await Session.builder().appName('naive-bayes').master('local').getOrCreate();
t.teardown(() => spark.stop());

const close = (t: { ok(cond: boolean, msg: string): unknown }, got: ArrayLike<number>, want: ArrayLike<number>, tol: number, msg: string) => {
  const g = Array.from(got);
  const w = Array.from(want);
  t.ok(g.length === w.length && g.every((v, i) => Math.abs(v - w[i]!) <= tol * Math.max(1, Math.abs(w[i]!))), `${msg}: ${g} vs ${w}`);
};

t.test('the PySpark docstring example', async (t) => {
  const df = spark.createDataFrame(
    [
      { label: 0.0, weight: 0.1, features: Vectors.dense(0.0, 0.0) },
      { label: 0.0, weight: 0.5, features: Vectors.dense(0.0, 1.0) },
      { label: 1.0, weight: 1.0, features: Vectors.dense(1.0, 0.0) },
    ],
    'label double, weight double, features vector',
  );
  const nb = new NaiveBayes({ smoothing: 1.0, modelType: 'multinomial', weightCol: 'weight' });
  const model = await nb.fit(df);
  t.equal(model.getSmoothing(), 1.0);
  // DenseVector([-0.81..., -0.58...]); by hand: ln(0.6 + 1) − ln(1.6 + 2), ln(1 + 1) − ln(3.6)
  close(t, model.pi.toArray(), [Math.log(1.6 / 3.6), Math.log(2 / 3.6)], 1e-15, 'pi');
  const doc = (got: ArrayLike<number>, prefixes: string[], msg: string) => t.same(Array.from(got, (v, i) => String(v).startsWith(prefixes[i]!)), prefixes.map(() => true), `${msg}: ${Array.from(got)} starts with ${prefixes}`);
  doc(model.pi.toArray(), ['-0.81', '-0.58'], 'pi DenseVector([-0.81..., -0.58...])');
  // DenseMatrix(2, 2, [-0.91..., -0.51..., -0.40..., -1.09...], 1)
  const theta = model.theta;
  t.equal(theta.isTransposed, true);
  doc(theta.values, ['-0.91', '-0.51', '-0.40', '-1.09'], 'theta');
  close(t, theta.values, [Math.log(1 / 2.5), Math.log(1.5 / 2.5), Math.log(2 / 3), Math.log(1 / 3)], 1e-15, 'theta');
  t.same([theta.numRows, theta.numCols, model.sigma.numRows, model.sigma.numCols], [2, 2, 0, 0]);
  const test0 = Vectors.dense(1.0, 0.0);
  t.equal(model.predict(test0), 1.0);
  close(t, model.predictRaw(test0).toArray(), [Math.log(1.6 / 3.6) + Math.log(1 / 2.5), Math.log(2 / 3.6) + Math.log(2 / 3)], 1e-12, 'predictRaw [-1.72..., -0.99...] (pi + θ·x by hand)');
  doc(model.predictRaw(test0).toArray(), ['-1.72', '-0.99'], 'predictRaw');
  const p = model.predictProbability(test0).toArray();
  doc(p, ['0.32', '0.67'], 'predictProbability DenseVector([0.32..., 0.67...])');
  const result = (await model.transform(spark.createDataFrame([{ features: test0 }], 'features vector')).collect())[0]!;
  t.equal(result.prediction, 1.0);
  close(t, (result.probability as DenseVector).toArray(), p, 1e-15, 'probability column');
  close(t, (result.rawPrediction as DenseVector).toArray(), [Math.log(1.6 / 3.6) + Math.log(1 / 2.5), Math.log(2 / 3.6) + Math.log(2 / 3)], 1e-12, 'rawPrediction column');
  const test1 = spark.createDataFrame([{ features: Vectors.sparse(2, [0], [1.0]) }], 'features vector');
  t.equal((await model.transform(test1).collect())[0]!.prediction, 1.0);

  const dir = mkdtempSync(join(tmpdir(), 'nb-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await nb.save(join(dir, 'nb'));
  t.equal((await NaiveBayes.load(join(dir, 'nb'))).getSmoothing(), 1.0);
  await model.save(join(dir, 'nb_model'));
  const model2 = await NaiveBayesModel.load(join(dir, 'nb_model'));
  t.same(model2.pi.toArray(), model.pi.toArray());
  t.same(model2.theta.toRows(), model.theta.toRows());
  t.same(await model2.transform(test1).collect(), await model.transform(test1).collect());
  const md = JSON.parse(readFileSync(join(dir, 'nb_model', 'metadata', 'part-00000'), 'utf8'));
  t.equal(md.class, 'org.apache.spark.ml.classification.NaiveBayesModel');
  t.equal(md.paramMap.modelType ?? md.defaultParamMap.modelType, 'multinomial');

  nb.setThresholds([0.01, 10.0]);
  const model3 = await nb.fit(df);
  t.equal((await model3.transform(spark.createDataFrame([{ features: test0 }], 'features vector')).collect())[0]!.prediction, 0.0);

  const model4 = await new NaiveBayes().setModelType('gaussian').fit(df);
  t.equal(model4.getModelType(), 'gaussian');
  // DenseMatrix(2, 2, [0.0, 0.25, 0.0, 0.0], 1): PySpark rounds to 4 digits; Spark adds ε = 1e-9 × the largest variance (2/9)
  const eps = (2 / 9) * 1e-9;
  close(t, model4.sigma.values, [eps, 0.25 + eps, eps, eps], 1e-12, 'gaussian sigma');
  t.equal(model4.sigma.isTransposed, true);

  const model5 = await new NaiveBayes({ smoothing: 1.0, modelType: 'complement', weightCol: 'weight' }).fit(df);
  t.equal(model5.getModelType(), 'complement');
  t.same([model5.theta.numRows, model5.theta.numCols, model5.sigma.numRows], [2, 2, 0]);
  // complement sums: class 0 ← class 1's [1, 0]; class 1 ← class 0's [0, 0.5]; θ = −(ln(t + 1) − ln(Σt + 2))
  close(t, model5.theta.values, [-Math.log(2 / 3), -Math.log(1 / 3), -Math.log(1 / 2.5), -Math.log(1.5 / 2.5)], 1e-15, 'complement theta');
});

// A small weighted count matrix, 3 classes (rows, labels, weights) and query rows.
const X = [[3, 0, 1, 0, 0, 2], [2, 1, 0, 0, 1, 1], [4, 0, 2, 1, 0, 0], [0, 3, 0, 2, 1, 0], [1, 4, 0, 3, 0, 0], [0, 2, 1, 1, 0, 1], [0, 0, 3, 0, 4, 1], [1, 0, 2, 0, 3, 2], [0, 1, 4, 0, 2, 0], [2, 0, 0, 1, 0, 3]];
const Y = [0, 0, 0, 1, 1, 1, 2, 2, 2, 0];
const W = [1, 2, 1, 1, 0.5, 1, 1, 1, 3, 1.5];
const Q = [[1, 0, 0, 0, 0, 1], [0, 2, 0, 1, 0, 0], [0, 0, 1, 0, 2, 0], [1, 1, 1, 1, 1, 1]];
// Spark's pi (smoothed; scikit-learn's class_log_prior_ is not): ln(n_c + 1) − ln(N + 3), numpy
const SPARK_PI = [-0.9007865453381898, -1.519825753744413, -0.9808292530117262];
// MultinomialNB(alpha=1).fit(X, Y, sample_weight=W).feature_log_prob_ (= Spark's theta)
const MULTI_THETA = [-0.9295359586241756, -2.538973871058276, -2.251291798606495, -2.3848231912310176, -2.538973871058276, -1.3862943611198908, -2.639057329615259, -0.9650808960435873, -2.3513752571634776, -1.3397743454849977, -2.3513752571634776, -2.3513752571634776, -3.068052935133617, -2.374905754573672, -0.8708283577973979, -3.7612001156935624, -1.122142786078304, -2.374905754573672];
// Spark's raw = pi + θ·q and softmax of it (numpy)
const MULTI_RAW = [-3.216616865082256, -6.51025834052315, -6.423787942719016, -8.36355747868576, -4.789761891316585, -9.491840877852631, -8.230026086061237, -8.573951525234847, -4.095943182965732, -12.93067959703632, -13.51786409637869, -14.552864956861953];
const MULTI_PROB = [0.9279972693183774, 0.03444580828727555, 0.03755692239434694, 0.027045122484018618, 0.9642033936117738, 0.008751483904207713, 0.015590581326654404, 0.011053438230338712, 0.9733559804430069, 0.570334544573505, 0.31704337989841813, 0.1126220755280768];
// ComplementNB(alpha=1, norm=False).feature_log_prob_ (= Spark's theta), Spark's raw (jll − logsumexp, numpy), predict_proba
const COMP_THETA = [3.144152278672264, 1.6625477377480489, 1.1160040313799788, 2.3556949183079943, 1.3523928094442093, 2.451005098112319, 1.544899391296529, 2.525728644308255, 1.2729656758128873, 3.064725145040942, 1.544899391296529, 1.791759469228055, 1.2294518896269209, 1.667706820558076, 2.3608540011180215, 1.8908503718722858, 2.583997552432231, 1.6189166563886441];
const COMP_RAW = [-0.15584132759371805, -2.4143398438537167, -2.9026301583627356, -2.5691745397557266, -0.1337824999023649, -3.0237009205713807, -3.7726230842963377, -3.2306482761587896, -0.06456362858225084, -0.7866090673323161, -1.1234282240139333, -1.5166286490009497];
const COMP_PROB = [0.8556949547772189, 0.08942635479752264, 0.05487869042525834, 0.07659874855618042, 0.8747803087160825, 0.048620942727737, 0.02299167501840396, 0.03953186291549328, 0.9374764620661027, 0.4553863646265268, 0.3251631495442232, 0.2194504858292497];
// BernoulliNB(alpha=1, binarize=None) on X > 0: feature_log_prob_ (= Spark's theta); Spark's raw (with its smoothed pi) and softmax, numpy
const BERN_THETA = [-0.14310084364067333, -0.9162907318741551, -0.9162907318741551, -0.7621400520468966, -0.9162907318741551, -0.3101549283038394, -1.0986122886681096, -0.2513144282809059, -0.8109302162163287, -0.2513144282809059, -0.8109302162163287, -0.8109302162163287, -1.252762968495368, -0.5596157879354227, -0.15415067982725827, -1.9459101490553132, -0.15415067982725827, -0.8472978603872037];
const BERN_RAW = [-3.515127848003048, -7.613096381985638, -7.974158920219385, -6.937527437315807, -4.191279713120745, -8.274263512669723, -7.209461152799449, -7.143092752739902, -3.18666717743734, -4.8650545649520645, -5.55385754762332, -5.89471737853955];
const BERN_PROB = [0.9725923965860539, 0.016151235468494368, 0.011256367945451666, 0.05935863667055482, 0.9250477480097524, 0.015593615319692857, 0.017263532804026108, 0.018448162026195557, 0.9642883051697784, 0.537835610428756, 0.27008857857035096, 0.19207581100089297];

async function fitAndScore(modelType: 'multinomial' | 'complement' | 'bernoulli', bin: boolean) {
  const f = (r: number[]) => Vectors.dense(r.map((v) => (bin ? (v > 0 ? 1 : 0) : v)));
  const train = spark.createDataFrame(X.map((r, i) => ({ features: f(r), label: Y[i], w: W[i] })), 'features vector, label double, w double').repartition(3);
  const model = await new NaiveBayes({ modelType, weightCol: 'w' }).fit(train);
  const rows = await model.transform(spark.createDataFrame(Q.map((r) => ({ features: f(r) })), 'features vector')).collect();
  return { model, raw: rows.flatMap((r) => Array.from((r.rawPrediction as DenseVector).toArray())), prob: rows.flatMap((r) => Array.from((r.probability as DenseVector).toArray())), pred: rows.map((r) => r.prediction) };
}

t.test('multinomial, complement and bernoulli against scikit-learn (weighted, 3 partitions)', async (t) => {
  const m = await fitAndScore('multinomial', false);
  close(t, m.model.pi.values, SPARK_PI, 1e-13, 'multinomial pi');
  close(t, m.model.theta.values, MULTI_THETA, 1e-13, 'multinomial theta = feature_log_prob_');
  close(t, m.raw, MULTI_RAW, 1e-12, 'multinomial raw');
  close(t, m.prob, MULTI_PROB, 1e-12, 'multinomial probability');
  t.same(m.pred, [0, 1, 2, 0], 'MultinomialNB.predict');
  const c = await fitAndScore('complement', false);
  close(t, c.model.theta.values, COMP_THETA, 1e-13, 'complement theta = feature_log_prob_');
  close(t, c.raw, COMP_RAW, 1e-12, 'complement raw');
  close(t, c.prob, COMP_PROB, 1e-12, 'complement probability = predict_proba');
  t.same(c.pred, [0, 1, 2, 0], 'ComplementNB.predict');
  const b = await fitAndScore('bernoulli', true);
  close(t, b.model.pi.values, SPARK_PI, 1e-13, 'bernoulli pi');
  close(t, b.model.theta.values, BERN_THETA, 1e-13, 'bernoulli theta = feature_log_prob_');
  close(t, b.raw, BERN_RAW, 1e-12, 'bernoulli raw');
  close(t, b.prob, BERN_PROB, 1e-12, 'bernoulli probability');
  t.same(b.pred, [0, 1, 2, 0], 'BernoulliNB.predict');
});

t.test('gaussian on iris against scikit-learn GaussianNB (var_smoothing 1e-9 is Spark ε)', async (t) => {
  const names: Record<string, number> = { setosa: 0, versicolor: 1, virginica: 2 };
  const iris = readFileSync(fileURLToPath(new URL('../../fixtures/data/iris.csv', import.meta.url)), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const df = spark.createDataFrame(iris.map((r) => ({ features: Vectors.dense(r.slice(0, 4).map(Number)), label: names[r[4]!] })), 'features vector, label double').repartition(4);
  const model = await new NaiveBayes({ modelType: 'gaussian' }).fit(df);
  // GaussianNB().fit(X, y): theta_, var_, class_prior_ (= exp(Spark's pi))
  close(t, model.theta.values, [5.005999999999999, 3.428000000000001, 1.4620000000000002, 0.2459999999999999, 5.936, 2.7700000000000005, 4.26, 1.3259999999999998, 6.587999999999998, 2.9739999999999998, 5.552, 2.026], 1e-13, 'theta_');
  close(t, model.sigma.values, [0.12176400309550259, 0.14081600309550263, 0.029556003095502676, 0.010884003095502673, 0.2611040030955028, 0.09650000309550268, 0.21640000309550278, 0.03832400309550265, 0.39625600309550263, 0.10192400309550273, 0.2984960030955029, 0.07392400309550265], 1e-11, 'var_');
  close(t, model.pi.values.map(Math.exp), [1 / 3, 1 / 3, 1 / 3], 1e-15, 'class_prior_');
  const q = [[5.9, 3.0, 4.2, 1.5], [6.3, 2.8, 5.1, 1.5], [5.0, 3.6, 1.4, 0.2], [6.0, 2.2, 5.0, 1.5]];
  const rows = await model.transform(spark.createDataFrame(q.map((r) => ({ features: Vectors.dense(r) })), 'features vector')).collect();
  // predict_proba (the 2π constant sklearn keeps and Spark drops cancels)
  const want = [8.39601787104591e-88, 0.9962382863081691, 0.0037617136918309912, 2.6838258262863244e-131, 0.7126451442155293, 0.2873548557844709, 1.0, 4.532919168432318e-19, 2.883899753969469e-26, 6.310865149954135e-126, 0.9581353618712692, 0.041864638128730806];
  const got = rows.flatMap((r) => Array.from((r.probability as DenseVector).toArray()));
  got.forEach((g, i) => t.ok(Math.abs(g - want[i]!) <= 1e-9 * Math.max(want[i]!, 1e-300) + 1e-12, `probability ${i}: ${g} vs ${want[i]}`));
  t.same(rows.map((r) => r.prediction), [1, 1, 0, 1], 'GaussianNB.predict');
});

t.test("Spark's input checks and errors", async (t) => {
  const rows = (fs: number[][], labels = fs.map(() => 0)) => spark.createDataFrame(fs.map((f, i) => ({ features: Vectors.dense(f), label: labels[i] })), 'features vector, label double');
  await t.rejects(new NaiveBayes().fit(rows([[1, 2], [0, 1], [1, -2]])), /row 2 of column features is invalid: Naive Bayes requires nonnegative feature values but found \[1\.0,-2\.0\]\./);
  await t.rejects(new NaiveBayes({ modelType: 'complement' }).fit(rows([[1, 2], [0, -1]])), /row 1 .*nonnegative/);
  await t.rejects(new NaiveBayes({ modelType: 'bernoulli' }).fit(rows([[1, 0], [0, 2]])), /row 1 of column features is invalid: Bernoulli naive Bayes requires 0 or 1 feature values but found \[0\.0,2\.0\]\./);
  const g = await new NaiveBayes({ modelType: 'gaussian' }).fit(rows([[1, -2], [0, 1], [3, 1], [2, 2]], [0, 0, 1, 1]));
  t.equal(g.numClasses, 2, 'gaussian takes negative values');
  await t.rejects(new NaiveBayes().fit(rows([[1, 2]], [0.5])), /row 0 of label column label is 0\.5/);
  await t.rejects(new NaiveBayes({ thresholds: [0.5, 0.5, 0.5] }).fit(rows([[1], [2]], [0, 1])), /non-matching numClasses and thresholds\.length\. numClasses=2, but thresholds has length 3/);
  const weighted = (w: number[]) => spark.createDataFrame(w.map((wi, i) => ({ features: Vectors.dense([1, 2]), label: i % 2, w: wi })), 'features vector, label double, w double');
  await t.rejects(new NaiveBayes({ weightCol: 'w' }).fit(weighted([1, -1])), /row 1 of weight column w is -1: Weights MUST NOT be Negative/);
  await t.rejects(new NaiveBayes({ weightCol: 'w' }).fit(weighted([0, 0])), /total weight of 0/);
  t.throws(() => new NaiveBayes({ modelType: 'poisson' as never }), /modelType/);
  t.throws(() => new NaiveBayes({ smoothing: -1 }), /smoothing/);
  const m = await new NaiveBayes().fit(rows([[1, 2], [2, 1]], [0, 1]));
  await t.rejects(m.transform(rows([[1, -1]])).collect(), /Naive Bayes requires nonnegative feature values but found \[1\.0,-1\.0\]/);
  await t.rejects(m.transform(rows([[1, 1, 1]])).collect(), /has 3 features, but the model was fitted on 2/);
  t.throws(() => m.predict([1, -1]), /nonnegative/);
  // a class without rows: Spark's model has the classes that have rows (warned)
  const warnings: string[] = [];
  const onWarn = (w: Error & { code?: string }) => warnings.push(w.code ?? '');
  process.on('warning', onWarn);
  const gap = await new NaiveBayes().fit(rows([[1, 0], [0, 1]], [0, 2]));
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarn);
  t.equal(gap.numClasses, 2);
  t.ok(warnings.includes('KINDLING_NAIVE_BAYES_MISSING_CLASSES'));
});

t.test('the Spark 3.1.2 text pipeline (RegexTokenizer → StopWordsRemover → CountVectorizer → StringIndexer → NaiveBayes) loads and predicts', async (t) => {
  const dir = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'spark-models', 'pipeline-text-naivebayes-3.1.2');
  const pipeline = await PipelineModel.load(dir);
  const nb = pipeline.stages[4] as NaiveBayesModel;
  t.ok(nb instanceof NaiveBayesModel);
  t.same([nb.numClasses, nb.numFeatures, nb.getModelType(), nb.getSmoothing()], [11, 1031, 'multinomial', 1.0]);
  // log-probabilities: the priors and each class's term distribution sum to 1
  t.ok(Math.abs(nb.pi.values.reduce((a, v) => a + Math.exp(v), 0) - 1) < 1e-9, 'Σ exp(pi) = 1');
  for (const row of nb.theta.toRows()) t.ok(Math.abs(row.reduce((a, v) => a + Math.exp(v), 0) - 1) < 1e-9, 'Σ_j exp(theta_cj) = 1');
  const labels = (pipeline.stages[3] as StringIndexerModel).labelsArray[0]!;
  const docs = ['The team won the football match and the league title', 'New study finds vitamin levels linked to heart health', 'Stocks fell as the market reacted to interest rate news', 'A new movie from the director opens this weekend'];
  const df = spark.createDataFrame(docs.map((description) => ({ description, category: labels[0] })), 'description string, category string');
  const out = await pipeline.transform(df).collect();
  const theta = nb.theta.toRows();
  const pi = nb.pi.toArray();
  for (const row of out) {
    const x = (row.features as Vector).toArray();
    const raw = pi.map((p, c) => p + theta[c]!.reduce((a, v, j) => a + v * x[j]!, 0));
    close(t, (row.rawPrediction as DenseVector).toArray(), raw, 1e-12, 'raw = pi + θ·x');
    const max = Math.max(...raw);
    const e = raw.map((r) => Math.exp(r - max));
    const z = e.reduce((a, b) => a + b, 0);
    close(t, (row.probability as DenseVector).toArray(), e.map((v) => v / z), 1e-12, 'probability');
    t.equal(row.prediction, raw.indexOf(max), 'prediction = argmax');
  }
});
