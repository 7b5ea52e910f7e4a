// LDA (online variational Bayes and EM, as Spark's OnlineLDAOptimizer / EMLDAOptimizer):
// Spark's params and defaults, the special functions against closed forms, the E-step and the
// driver updates on hand-checkable inputs, planted-topic recovery on a small synthetic corpus,
// the summaries over document blocks (merge(zero, s) = s, a block split two ways, EM's kept
// N_kj), the variational bound along the iterations, determinism (same seed; 1 or several
// partitions, `local` or `local[2]`, give the same model; on the pool the bytes per iteration do
// not grow with the documents), transform / describeTopics, persistence in Spark's layout, and
// the input errors, named over the whole DataFrame.
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, localContext } from '../../ts/src/index.js';
import { createBackend } from '../../ts/src/session.js';
import { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import * as arrow from 'apache-arrow';
import { concatBatches, makeBatch, sliceBatch } from '../../ts/src/dataframe/batch.js';
import { Types } from '../../ts/src/dataframe/types.js';
import { denseVectorColumn } from '../../ts/ml/linalg/columns.js';
import { parquetSource } from '../../ts/src/io/parquet/index.js';
import {
  LDA, LDAModel, LocalLDAModel, DistributedLDAModel, ParamMap, Vectors, DenseVector, Pipeline, PipelineModel,
  digamma, trigamma, lgamma, dirichletExpectation, logSumExp, variationalTopicInference, topicExpectations, Rng,
  ldaOnlineStats, ldaBoundStats, ldaEmStats, ldaLearningRate, ldaUpdateLambda, ldaUpdateAlpha, ldaComputePTopic, ldaSampleCount, readMetadata,
  type DocBlock, type OnlineBroadcast, type BoundBroadcast, type EmBroadcast, type ProgressEvent,
} from '../../ts/ml/index.js';

const spark = await Session.builder().appName('lda-test').master('local[2]').getOrCreate();
const tmp = mkdtempSync(join(tmpdir(), 'kindling-lda-'));
t.teardown(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await spark.stop();
});

type TestLike = { ok(value: unknown, message: string): unknown };
function close(t: TestLike, actual: number, expected: number, msg: string, tol = 1e-12): void {
  t.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${msg} (got ${actual}, expected ${expected})`);
}

/** mulberry32: the test corpus' own generator (independent of the code under test). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

// Planted corpus: 3 topics over 15 terms, topic z owns terms 5z .. 5z+4. Document d is about
// topic d % 3: each of its 30 tokens is one of its topic's terms with probability 0.9, else any term.
const V = 15;
const K = 3;
function plantedRows(n = 60): Array<{ id: number; features: DenseVector }> {
  const rnd = mulberry32(20240611);
  const rows: Array<{ id: number; features: DenseVector }> = [];
  for (let d = 0; d < n; d++) {
    const z = d % K;
    const counts = new Array<number>(V).fill(0);
    for (let i = 0; i < 30; i++) counts[rnd() < 0.9 ? 5 * z + Math.floor(rnd() * 5) : Math.floor(rnd() * V)]!++;
    rows.push({ id: d, features: Vectors.dense(counts) });
  }
  return rows;
}
const corpus = spark.createDataFrame(plantedRows());
const all = concatBatches(corpus.schema, await corpus.partitions());
const onePartition = new DataFrame(spark, { op: 'memory', schema: corpus.schema, partitions: [all] });
const threePartitions = new DataFrame(spark, { op: 'memory', schema: corpus.schema, partitions: [sliceBatch(all, 0, 17), sliceBatch(all, 17, 41), sliceBatch(all, 41, 60)] });

/** The planted block (0, 1, 2) of each topic's top-5 terms, or -1 when they are mixed. */
async function topicBlocks(model: LDAModel): Promise<number[]> {
  const rows = await model.describeTopics(5).collect();
  return rows.map((r) => {
    const blocks = new Set((r.termIndices as number[]).map((w) => Math.floor(w / 5)));
    return blocks.size === 1 ? [...blocks][0]! : -1;
  });
}

const online = (o: Record<string, unknown> = {}) => new LDA({ k: K, seed: 2, subsamplingRate: 1.0, learningOffset: 10, maxIter: 50, ...o });

t.test("params: Spark's names, docs and defaults; validation at set time", async (t) => {
  const lda = new LDA();
  t.match(lda.uid, /^LDA_[0-9a-f]{12}$/);
  t.equal(lda.getK(), 10);
  t.equal(lda.getMaxIter(), 20);
  t.equal(lda.getOptimizer(), 'online');
  t.equal(lda.getLearningOffset(), 1024);
  t.equal(lda.getLearningDecay(), 0.51);
  t.equal(lda.getSubsamplingRate(), 0.05);
  t.equal(lda.getOptimizeDocConcentration(), true);
  t.equal(lda.getKeepLastCheckpoint(), true);
  t.equal(lda.getCheckpointInterval(), 10);
  t.equal(lda.getTopicDistributionCol(), 'topicDistribution');
  t.equal(lda.getFeaturesCol(), 'features');
  // Spark: this.getClass.getName.hashCode for org.apache.spark.ml.clustering.LDA
  t.equal(lda.getSeed(), (() => { let h = 0; for (const c of 'org.apache.spark.ml.clustering.LDA') h = (Math.imul(31, h) + c.charCodeAt(0)) | 0; return h; })());
  t.notOk(lda.isDefined(lda.docConcentration), 'docConcentration is automatic (unset)');
  t.notOk(lda.isDefined(lda.topicConcentration), 'topicConcentration is automatic (unset)');
  const explained = lda.explainParams();
  t.match(explained, 'k: The number of topics (clusters) to infer. Must be > 1. (default: 10)');
  t.match(explained, 'docConcentration: Concentration parameter (commonly named "alpha") for the prior placed on documents\' distributions over topics ("theta"). (undefined)');
  t.match(explained, 'optimizer: Optimizer or inference algorithm used to estimate the LDA model. Currently supported (case-insensitive): online, em (default: online)');
  t.match(explained, 'subsamplingRate: (For online optimizer) Fraction of the corpus to be sampled and used in each iteration of mini-batch gradient descent, in range (0, 1]. (default: 0.05)');
  t.throws(() => new LDA({ k: 1 }), /LDA: expected integer > 1 for k, got 1 \(number\)/);
  t.throws(() => new LDA({ subsamplingRate: 0 }), /expected a number in \(0, 1\] for subsamplingRate/);
  t.throws(() => new LDA({ optimizer: 'gibbs' as never }), /expected one of online, em \(case-insensitive\) for optimizer/);
  t.throws(() => new LDA({ docConcentration: [-1] }), /expected an array of numbers >= 0 for docConcentration/);
  t.throws(() => new LDA({ checkpointInterval: 0 }), /checkpointInterval/);
  t.equal(new LDA({ optimizer: 'EM' as never }).getOptimizer(), 'EM', 'optimizer names are case-insensitive, kept as given');
  t.same(new LDA({ docConcentration: 0.3 }).getDocConcentration(), [0.3], 'a scalar docConcentration is the array [x] (Spark setDocConcentration(Double))');
  t.same(new LDA().setDocConcentration([0.1, 0.2]).getDocConcentration(), [0.1, 0.2]);
});

t.test('special functions against closed forms', async (t) => {
  const gammaE = 0.5772156649015329;
  close(t, digamma(1), -gammaE, 'ψ(1) = −γ', 1e-15);
  close(t, digamma(0.5), -gammaE - 2 * Math.LN2, 'ψ(1/2) = −γ − 2 ln 2', 1e-15);
  close(t, digamma(10), 1 + 1 / 2 + 1 / 3 + 1 / 4 + 1 / 5 + 1 / 6 + 1 / 7 + 1 / 8 + 1 / 9 - gammaE, 'ψ(10) = H_9 − γ', 1e-15);
  close(t, digamma(1e-3), -1000.5755719318103, 'ψ(0.001)', 1e-14);
  t.equal(digamma(0), -Infinity);
  close(t, trigamma(1), (Math.PI * Math.PI) / 6, "ψ'(1) = π²/6", 1e-15);
  close(t, trigamma(0.5), (Math.PI * Math.PI) / 2, "ψ'(1/2) = π²/2", 1e-15);
  close(t, trigamma(3), (Math.PI * Math.PI) / 6 - 1 - 1 / 4, "ψ'(3) = π²/6 − 1 − 1/4", 1e-15);
  close(t, lgamma(0.5), 0.5 * Math.log(Math.PI), 'lnΓ(1/2) = ln √π', 1e-14);
  close(t, lgamma(10), Math.log(362880), 'lnΓ(10) = ln 9!', 1e-14);
  close(t, lgamma(171), 706.5730622457874, 'lnΓ(171)', 1e-14);
  close(t, lgamma(1e-3), 6.907178885383854, 'lnΓ(0.001)', 1e-13);
  t.equal(lgamma(1), 0);
  t.equal(lgamma(0), Infinity);
  const de = dirichletExpectation([1, 1]);
  close(t, de[0]!, digamma(1) - digamma(2), 'E[log θ] = ψ(α) − ψ(Σα)', 0);
  close(t, de[0]!, -1, 'for α = (1, 1): ψ(1) − ψ(2) = −1', 1e-15);
  close(t, logSumExp([Math.log(1), Math.log(2), Math.log(3)]), Math.log(6), 'logSumExp', 1e-15);
  close(t, logSumExp([-1000, -1000]), -1000 + Math.LN2, 'logSumExp does not underflow', 1e-15);
});

t.test('seeded streams: reproducible, distinct per (seed, stream), Gamma(100, 1/100) has mean 1', async (t) => {
  const a = new Rng(42, 7);
  const b = new Rng(42, 7);
  const xs = Array.from({ length: 5 }, () => a.nextDouble());
  t.same(Array.from({ length: 5 }, () => b.nextDouble()), xs);
  t.not(new Rng(42, 8).nextDouble(), xs[0]);
  t.not(new Rng(43, 7).nextDouble(), xs[0]);
  t.not(new Rng(-42, 7).nextDouble(), xs[0]);
  const g = new Rng(1).gammaVector(20000, 100);
  const mean = g.reduce((s, x) => s + x, 0) / g.length;
  const variance = g.reduce((s, x) => s + (x - mean) ** 2, 0) / g.length;
  close(t, mean, 1, 'mean of Gamma(100, 1/100)', 2e-3);
  close(t, variance, 0.01, 'variance of Gamma(100, 1/100) = 1/100', 0.05);
  const u = new Rng(9);
  let inUnit = true;
  for (let i = 0; i < 1000; i++) {
    const x = u.nextDouble();
    if (!(x >= 0 && x < 1)) inUnit = false;
  }
  t.ok(inUnit, 'uniform draws in [0, 1)');
});

t.test('E-step on hand-checkable documents (Spark variationalTopicInference)', async (t) => {
  // Two topics over two terms where term 0 only occurs in topic 0 and term 1 only in topic 1
  // (expElogbeta term-major: row w = (topic 0, topic 1)). Every token's topic is then certain:
  // the first update gives γ = α + (c0, c1) exactly, the second changes nothing.
  const e1 = 0.7;
  const e2 = 0.4;
  const expElogbeta = Float64Array.from([e1, 0, 0, e2]);
  const alpha = [0.1, 0.2];
  const inf = variationalTopicInference([0, 1], [3, 5], expElogbeta, alpha, 100, 2, new Rng(5));
  close(t, inf.gamma[0]!, 3.1, 'γ_0 = α_0 + c_0', 1e-14);
  close(t, inf.gamma[1]!, 5.2, 'γ_1 = α_1 + c_1', 1e-14);
  t.equal(inf.iterations, 2, 'converged on the second pass (mean |Δγ| = 0 <= 1e-3)');
  const elog = dirichletExpectation([3.1, 5.2]);
  close(t, inf.expElogtheta[0]!, Math.exp(elog[0]!), 'expElogtheta = exp(ψ(γ) − ψ(Σγ))', 1e-14);
  // sufficient statistics sstats[t, w] = expElogtheta_t · c_w / phiNorm_w; times expElogbeta they are the counts
  close(t, inf.expElogtheta[0]! * inf.ctsOverPhiNorm[0]! * e1, 3, 'stat[0, 0] · expElogbeta = c_0', 1e-14);
  close(t, inf.expElogtheta[1]! * inf.ctsOverPhiNorm[1]! * e2, 5, 'stat[1, 1] · expElogbeta = c_1', 1e-14);
  close(t, inf.ctsOverPhiNorm[0]!, 3 / (e1 * inf.expElogtheta[0]!), 'phiNorm_0 = e1 · expElogtheta_0 (+1e-100)', 1e-14);
  // one topic: γ = α + Σ c whatever the initialisation
  const one = variationalTopicInference([0, 2], [2, 4], Float64Array.from([0.2, 0.5, 0.3]), [0.5], 100, 1, new Rng(77));
  close(t, one.gamma[0]!, 6.5, 'k = 1: γ = α + N', 1e-14);

  // A generic document: the fixed point of γ_t = expElogtheta_t Σ_w expElogbeta[w,t] c_w / phiNorm_w + α_t
  const lambda = Float64Array.from([2, 1, 0.5, 3, 0.5, 1, 2, 1]); // k = 2 × V = 4, topic-major
  const eb = topicExpectations(lambda, 2, 4);
  close(t, eb[1 * 2 + 0]!, Math.exp(digamma(1) - digamma(6.5)), 'topicExpectations: exp(ψ(λ_tw) − ψ(Σ_w λ_tw)), term-major', 1e-14);
  const g = variationalTopicInference([0, 1, 3], [4, 1, 2], eb, [0.5, 0.5], 100, 2, new Rng(3));
  const et = dirichletExpectation(g.gamma).map(Math.exp);
  const fixed = [0, 1].map((k) => {
    let s = 0;
    for (const [w, c] of [[0, 4], [1, 1], [3, 2]] as const) s += (eb[w * 2 + k]! * c) / (eb[w * 2]! * et[0]! + eb[w * 2 + 1]! * et[1]! + 1e-100);
    return et[k]! * s + 0.5;
  });
  close(t, g.gamma[0]!, fixed[0]!, 'γ_0 is (within the 1e-3 tolerance) a fixed point', 1e-3);
  close(t, g.gamma[1]!, fixed[1]!, 'γ_1 is (within the 1e-3 tolerance) a fixed point', 1e-3);
  close(t, g.gamma[0]! + g.gamma[1]!, 7 + 1, 'Σγ = N + Σα at the fixed point', 1e-3);
});

t.test('driver updates: ρ, λ and the Newton step on α (Spark updateLambda / updateAlpha)', async (t) => {
  close(t, ldaLearningRate(1024, 0.51, 1), Math.pow(1025, -0.51), 'ρ_1 = (τ0 + 1)^−κ', 0);
  const lambda = Float64Array.from([1, 2, 3, 4]); // k = 2, V = 2
  const stat = Float64Array.from([10, 0, 0, 20]);
  const expElogbeta = Float64Array.from([0.5, 0.1, 0.2, 0.25]); // term-major
  ldaUpdateLambda(lambda, stat, expElogbeta, 2, 2, 0.25, 100, 10, 0.5);
  // λ_tw ← 0.75 λ_tw + 0.25 (stat_tw · expElogbeta_wt · 100 / 10 + 0.5)
  t.same(Array.from(lambda), [0.75 * 1 + 0.25 * (10 * 0.5 * 10 + 0.5), 0.75 * 2 + 0.25 * 0.5, 0.75 * 3 + 0.25 * 0.5, 0.75 * 4 + 0.25 * (20 * 0.25 * 10 + 0.5)]);
  // the gradient vanishes when the batch's mean E[log θ] is the prior's: α stays
  const alpha = Float64Array.from([0.3, 0.7]);
  const same = ldaUpdateAlpha(alpha, dirichletExpectation(alpha), 50, 0.5)!;
  close(t, same[0]!, 0.3, 'α_0 kept', 1e-14);
  close(t, same[1]!, 0.7, 'α_1 kept', 1e-14);
  // one step by the formula
  const logphat = [-1.2, -0.6];
  const n = 10;
  const rho = 0.3;
  const de = dirichletExpectation(alpha);
  const gr = [0, 1].map((i) => n * (-de[i]! + logphat[i]!));
  const c = n * trigamma(1);
  const q = [0, 1].map((i) => -n * trigamma(alpha[i]!));
  const b = (gr[0]! / q[0]! + gr[1]! / q[1]!) / (1 / c + 1 / q[0]! + 1 / q[1]!);
  const step = ldaUpdateAlpha(alpha, logphat, n, rho)!;
  close(t, step[0]!, 0.3 + rho * (-(gr[0]! - b) / q[0]!), 'α_0 + ρ Δα_0', 1e-14);
  close(t, step[1]!, 0.7 + rho * (-(gr[1]! - b) / q[1]!), 'α_1 + ρ Δα_1', 1e-14);
  t.equal(ldaUpdateAlpha(alpha, [-200, 5], 1, 1), null, 'a step that would make some α <= 0 is refused (α kept)');
  // EM's γ_wjk ∝ (N_wk + η − 1)(N_kj + α − 1) / (N_k + W(η − 1))
  const p = ldaComputePTopic(Float64Array.from([2, 6]), 0, Float64Array.from([1, 3]), 0, Float64Array.from([10, 20]), 5, 1.1, 2, new Float64Array(2));
  const raw = [((1 + 0.1) * (2 + 1)) / (10 + 0.5), ((3 + 0.1) * (6 + 1)) / (20 + 0.5)];
  close(t, p[0]!, raw[0]! / (raw[0]! + raw[1]!), 'computePTopic (normalised)', 1e-15);
  close(t, p[1]!, raw[1]! / (raw[0]! + raw[1]!), 'computePTopic (normalised)', 1e-15);
});

t.test('summaries over document blocks: merge(zero, s) = s; a block split two ways folds the same', async (t) => {
  // documents as kept by the pack task: CSR blocks; global row numbers come from the broadcast's rowBases by block
  const part: DocBlock = { rows: 3, indptr: Int32Array.from([0, 2, 2, 4]), indices: Int32Array.from([0, 2, 1, 2]), counts: Float64Array.from([1, 2, 3, 1]) };
  const first: DocBlock = { rows: 1, indptr: Int32Array.from([0, 2]), indices: Int32Array.from([0, 2]), counts: Float64Array.from([1, 2]) };
  const rest: DocBlock = { rows: 2, indptr: Int32Array.from([0, 0, 2]), indices: Int32Array.from([1, 2]), counts: Float64Array.from([3, 1]) };
  const lambda = Float64Array.from([1, 2, 3, 3, 2, 1]);
  const b: OnlineBroadcast = {
    k: 2, vocabSize: 3, expElogbeta: topicExpectations(lambda, 2, 3), alpha: Float64Array.from([0.5, 0.5]),
    gammaShape: 100, sampleSeed: 11, inferSeed: 12, subsamplingRate: 1, withReplacement: false, optimizeDocConcentration: true, rowBases: [0],
  };
  const s = ldaOnlineStats.add(ldaOnlineStats.zero(b), part, b, localContext(0));
  t.equal(s.sampledDocs, 3, 'without replacement at rate 1 every row is in the batch');
  t.equal(s.nonEmptyDocs, 2, 'the empty row is sampled but not inferred');
  const merged = ldaOnlineStats.merge(ldaOnlineStats.zero(b), ldaOnlineStats.add(ldaOnlineStats.zero(b), part, b, localContext(0)));
  t.same(Array.from(merged.stat), Array.from(s.stat));
  t.same(Array.from(merged.logphat), Array.from(s.logphat));
  const b2 = { ...b, rowBases: [0, 1] };
  const split = ldaOnlineStats.merge(ldaOnlineStats.add(ldaOnlineStats.zero(b2), first, b2, localContext(0)), ldaOnlineStats.add(ldaOnlineStats.zero(b2), rest, b2, localContext(1)));
  t.same(Array.from(split.stat), Array.from(s.stat), 'documents keep their draws when the rows are split (streams keyed by row)');
  const shifted = ldaOnlineStats.add(ldaOnlineStats.zero(b2), part, { ...b, rowBases: [5] }, localContext(0));
  t.not(Array.from(shifted.stat).join(), Array.from(s.stat).join(), "a block's rowBase keys its documents' draws");

  // the bound: the same split, the same sums
  const Elogbeta = topicExpectations(lambda, 2, 3, true);
  const bb: BoundBroadcast = { k: 2, vocabSize: 3, Elogbeta, expElogbeta: b.expElogbeta, alpha: b.alpha, gammaShape: 100, seed: 7, rowBases: [0, 1] };
  const whole = ldaBoundStats.add(ldaBoundStats.zero(bb), part, { ...bb, rowBases: [0] }, localContext(0));
  t.equal(whole.tokens, 7, 'tokens: every count');
  const halves = ldaBoundStats.merge(ldaBoundStats.add(ldaBoundStats.zero(bb), first, bb, localContext(0)), ldaBoundStats.add(ldaBoundStats.zero(bb), rest, bb, localContext(1)));
  close(t, halves.corpusPart, whole.corpusPart, 'bound: split or not, same document part', 1e-15);
  t.same(ldaBoundStats.merge(ldaBoundStats.zero(bb), whole), whole, 'bound: merge(zero, s) = s');

  // EM: N_kj kept beside the block (two halves: read one, write the other), N_wk as the summary
  const eb: EmBroadcast = { k: 2, vocabSize: 3, eta: 1.1, alpha: 2, topicTotals: new Float64Array(2), termTopic: new Float64Array(0), initSeed: 3, write: 0, rowBases: [0] };
  const state = new Float64Array(2 * 3 * 2);
  const init = ldaEmStats.add(ldaEmStats.zero(eb), [part, state], eb, localContext(0));
  close(t, init.termTopic.reduce((x, y) => x + y, 0), 7, 'initial N_wk sum to the tokens', 1e-15);
  t.same(Array.from(state.subarray(2, 4)), [0, 0], 'an empty document keeps N_kj = 0');
  close(t, state[0]! + state[1]!, 3, 'N_kj of document 0 sum to its tokens', 1e-15);
  const firstState = new Float64Array(2 * 1 * 2);
  const restState = new Float64Array(2 * 2 * 2);
  const ebSplit = { ...eb, rowBases: [0, 1] };
  const initSplit = ldaEmStats.merge(ldaEmStats.add(ldaEmStats.zero(ebSplit), [first, firstState], ebSplit, localContext(0)), ldaEmStats.add(ldaEmStats.zero(ebSplit), [rest, restState], ebSplit, localContext(1)));
  t.same(Array.from(initSplit.termTopic), Array.from(init.termTopic), 'EM: the initial assignment is drawn per row');
  const totals = Float64Array.from([init.termTopic[0]! + init.termTopic[2]! + init.termTopic[4]!, init.termTopic[1]! + init.termTopic[3]! + init.termTopic[5]!]);
  const step: EmBroadcast = { ...eb, initSeed: null, termTopic: init.termTopic, topicTotals: totals, write: 1 };
  const once = ldaEmStats.add(ldaEmStats.zero(step), [part, state], step, localContext(0));
  const before = Array.from(state);
  const again = ldaEmStats.add(ldaEmStats.zero(step), [part, state], step, localContext(0));
  t.same(Array.from(again.termTopic), Array.from(once.termTopic), 'an iteration run twice on a block gives the same N_wk (it writes only the half it does not read)');
  t.same(Array.from(state), before, 'and the same N_kj');
  const p0 = ldaComputePTopic(state, 0, init.termTopic, 0, totals, 3, 1.1, 2, new Float64Array(2));
  close(t, state[6]!, 1 * p0[0]! + 2 * ldaComputePTopic(state, 0, init.termTopic, 4, totals, 3, 1.1, 2, new Float64Array(2))[0]!, 'new N_kj = Σ_w N_wj γ_wjk', 1e-14);
  // sampling with replacement: Poisson counts, mean ≈ rate
  let total = 0;
  for (let r = 0; r < 20000; r++) total += ldaSampleCount(3, r, 0.05, true);
  close(t, total / 20000, 0.05, 'Poisson(0.05) draws per row average 0.05', 0.1);
  t.equal(ldaSampleCount(3, 5, 1, false), 1, 'without replacement at rate 1: always in');
});

t.test('online LDA recovers planted topics; transform assigns each document its topic', async (t) => {
  const events: ProgressEvent[] = [];
  const lda = online();
  const model = await lda.fit(corpus, undefined, { onProgress: (e) => events.push(e) });
  t.ok(model instanceof LocalLDAModel);
  t.equal(model.isDistributed(), false);
  t.equal(model.parent, lda);
  t.equal(model.uid, lda.uid, 'the model keeps the estimator uid (Spark copyValues)');
  t.equal(events.length, 50, 'one progress event per iteration');
  t.match(events[49], { stage: lda.uid, kind: 'iteration', current: 50, total: 50 });
  t.equal(model.vocabSize(), V);
  const tm = model.topicsMatrix();
  t.equal(tm.numRows, V);
  t.equal(tm.numCols, K);
  const blocks = await topicBlocks(model);
  t.same([...blocks].sort(), [0, 1, 2], `each topic's top 5 terms are one planted block (got ${blocks})`);
  const described = await model.describeTopics(5).collect();
  t.same(Object.keys(described[0]!), ['topic', 'termIndices', 'termWeights']);
  t.same(described.map((r) => r.topic), [0, 1, 2]);
  for (const r of described) {
    const w = r.termWeights as number[];
    t.ok(w.every((x, i) => i === 0 || x <= w[i - 1]!), 'weights in decreasing order');
  }
  const full = await model.describeTopics(V).collect();
  close(t, (full[0]!.termWeights as number[]).reduce((s, x) => s + x, 0), 1, 'all term weights of a topic sum to 1 (normalised λ column)', 1e-12);
  t.equal(((await model.describeTopics().collect())[0]!.termIndices as number[]).length, 10, 'maxTermsPerTopic defaults to 10');

  const out = await model.transform(corpus).collect();
  t.same(Object.keys(out[0]!), ['id', 'features', 'topicDistribution']);
  let agree = 0;
  for (const r of out) {
    const theta = (r.topicDistribution as DenseVector).toArray();
    close(t, theta.reduce((s, x) => s + x, 0), 1, 'θ sums to 1', 1e-12);
    const planted = (r.id as number) % K;
    if (blocks[theta.indexOf(Math.max(...theta))] === planted) agree++;
  }
  t.ok(agree >= 57, `argmax θ names the planted topic for ${agree} of 60 documents`);
  const alpha = model.estimatedDocConcentration();
  t.equal(alpha.size, K);
  t.ok(alpha.toArray().every((x) => x > 0), 'α stays positive');
  t.not(alpha.toArray()[0], 1 / K, 'optimizeDocConcentration moved α from 1/k');
  const fixed = (await online({ optimizeDocConcentration: false }).fit(corpus)).estimatedDocConcentration();
  t.same(fixed.toArray(), [1 / K, 1 / K, 1 / K], 'optimizeDocConcentration = false keeps α = 1/k');
  const given = (await online({ optimizeDocConcentration: false, docConcentration: [0.2, 0.3, 0.4], maxIter: 2 }).fit(corpus)).estimatedDocConcentration();
  t.same(given.toArray(), [0.2, 0.3, 0.4], 'an asymmetric docConcentration is used as given');
});

t.test('the variational bound: finite, and the log perplexity decreases along the iterations', async (t) => {
  const perplexities: number[] = [];
  for (const maxIter of [1, 2, 5, 10, 20, 40]) {
    const model = await online({ maxIter }).fit(corpus);
    const ll = await model.logLikelihood(corpus);
    const lp = await model.logPerplexity(corpus);
    t.ok(Number.isFinite(ll) && Number.isFinite(lp), `finite after ${maxIter} iterations (${ll}, ${lp})`);
    close(t, lp, -ll / (60 * 30), 'logPerplexity = −logLikelihood / token count', 1e-14);
    perplexities.push(lp);
  }
  t.ok(perplexities.every((x, i) => i === 0 || x < perplexities[i - 1]!), `decreasing: ${perplexities.map((x) => x.toFixed(5)).join(' > ')}`);
  // held-out documents from the same planted topics are scored too (rows keep their own γ streams)
  const model = await online().fit(corpus);
  const heldOut = spark.createDataFrame(plantedRows(90).slice(60));
  const lpHeld = await model.logPerplexity(heldOut);
  t.ok(Number.isFinite(lpHeld) && lpHeld < Math.log(V), `held-out log perplexity ${lpHeld} beats the uniform model's ln V = ${Math.log(V)}`);
});

t.test('determinism: same seed → identical model; 1 vs 3 partitions agree', async (t) => {
  const a = (await online({ maxIter: 10 }).fit(corpus)) as LocalLDAModel;
  const b = (await online({ maxIter: 10 }).fit(corpus)) as LocalLDAModel;
  t.same(Array.from(a.getState().lambda), Array.from(b.getState().lambda), 'same seed: λ bit for bit');
  t.same(Array.from(a.getState().alpha), Array.from(b.getState().alpha), 'same seed: α bit for bit');
  const c = (await online({ maxIter: 10, seed: 3 }).fit(corpus)) as LocalLDAModel;
  t.not(c.getState().lambda[0], a.getState().lambda[0], 'another seed, another model');
  const relDiff = (x: Float64Array, y: Float64Array) => x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!) / Math.max(1e-300, Math.abs(v))), 0);
  const one = (await online({ maxIter: 10 }).fit(onePartition)) as LocalLDAModel;
  const three = (await online({ maxIter: 10 }).fit(threePartitions)) as LocalLDAModel;
  t.ok(relDiff(one.getState().lambda, three.getState().lambda) < 1e-12, `online, subsamplingRate 1.0: λ agrees (${relDiff(one.getState().lambda, three.getState().lambda)})`);
  t.ok(relDiff(one.getState().alpha, three.getState().alpha) < 1e-12, 'online: α agrees');
  close(t, await one.logLikelihood(threePartitions), await one.logLikelihood(onePartition), 'logLikelihood does not depend on the partitioning', 1e-12);
  const sampledOne = (await online({ maxIter: 10, subsamplingRate: 0.3 }).fit(onePartition)) as LocalLDAModel;
  const sampledThree = (await online({ maxIter: 10, subsamplingRate: 0.3 }).fit(threePartitions)) as LocalLDAModel;
  t.ok(relDiff(sampledOne.getState().lambda, sampledThree.getState().lambda) < 1e-12, 'mini-batches sampled per row: subsamplingRate 0.3 agrees too');
  const emOne = (await new LDA({ k: K, optimizer: 'em', maxIter: 10, seed: 2 }).fit(onePartition)) as DistributedLDAModel;
  const emThree = (await new LDA({ k: K, optimizer: 'em', maxIter: 10, seed: 2 }).fit(threePartitions)) as DistributedLDAModel;
  t.ok(relDiff(emOne.topicsMatrix().values, emThree.topicsMatrix().values) < 1e-12, 'EM: N_wk agrees');
});

t.test('local and local[2], 1 or several partitions (some empty): the same model for both optimizers', async (t) => {
  const inline = new Session('lda-inline', 'local', createBackend('local'), new Map());
  await inline.backend.ready();
  t.teardown(() => inline.stop());
  const splits = [
    [all],
    [sliceBatch(all, 0, 17), sliceBatch(all, 17, 41), sliceBatch(all, 41, 60)],
    [sliceBatch(all, 0, 0), sliceBatch(all, 0, 5), sliceBatch(all, 5, 31), sliceBatch(all, 31, 31), sliceBatch(all, 31, 60)],
  ];
  const frames = [inline, spark].flatMap((s) => splits.map((parts) => ({ name: `${s.master}, ${parts.length} partition(s)`, df: new DataFrame(s, { op: 'memory', schema: corpus.schema, partitions: parts }) })));
  const [ref, ...others] = frames;
  const relDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => Array.from(x).reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!) / Math.max(1e-300, Math.abs(v))), 0);
  const fitOnline = async (df: DataFrame) => (await online({ maxIter: 8, subsamplingRate: 0.3 }).fit(df)) as LocalLDAModel;
  const fitEm = async (df: DataFrame) => (await new LDA({ k: K, optimizer: 'em', maxIter: 8, seed: 5 }).fit(df)) as DistributedLDAModel;
  const a = await fitOnline(ref!.df);
  const e = await fitEm(ref!.df);
  const ll = await a.logLikelihood(ref!.df);
  for (const f of others) {
    const m = await fitOnline(f.df);
    t.ok(relDiff(a.getState().lambda, m.getState().lambda) < 1e-12, `online (mini-batches at 0.3), ${f.name}: λ agrees`);
    t.ok(relDiff(a.getState().alpha, m.getState().alpha) < 1e-12, `online, ${f.name}: α agrees`);
    close(t, await a.logLikelihood(f.df), ll, `logLikelihood, ${f.name}`, 1e-12);
    const g = await fitEm(f.df);
    t.ok(relDiff(e.topicsMatrix().values, g.topicsMatrix().values) < 1e-12, `EM, ${f.name}: N_wk agrees`);
    t.ok(relDiff(e.getGraph().docTopic, g.getGraph().docTopic) < 1e-12, `EM, ${f.name}: N_kj agree`);
    t.same(Array.from(g.getGraph().docIds), Array.from(e.getGraph().docIds), `EM, ${f.name}: document ids are the rows`);
    close(t, g.trainingLogLikelihood(), e.trainingLogLikelihood(), `EM, ${f.name}: trainingLogLikelihood`, 1e-12);
  }
  // bad rows are named over the whole DataFrame, whichever partition and executor holds them
  for (const s of [inline, spark]) {
    const threeOf = async (change: (rows: Array<{ id: number; features: DenseVector | null }>) => void) => {
      const rows: Array<{ id: number; features: DenseVector | null }> = plantedRows();
      change(rows);
      const df = s.createDataFrame(rows, 'id int, features vector');
      const b = concatBatches(df.schema, await df.partitions());
      return new DataFrame(s, { op: 'memory', schema: b.schema, partitions: [sliceBatch(b, 0, 17), sliceBatch(b, 17, 41), sliceBatch(b, 41, 60)] });
    };
    const lda = online({ maxIter: 1 });
    await t.rejects(lda.fit(await threeOf((r) => (r[45]!.features = Vectors.sparse(V, [3], [-2]) as never))), { message: /^LDA\.fit: row 45 of column features has term count -2 at index 3; LDA needs finite, non-negative term counts$/ }, `${s.master}: a count`);
    await t.rejects(lda.fit(await threeOf((r) => (r[41]!.features = Vectors.dense(new Array<number>(14).fill(1))))), { message: /^LDA\.fit: row 41 of column features has size 14, but the first row has size 15; every document must be a term-count vector of length vocabSize$/ }, `${s.master}: the size of a partition's first row`);
    await t.rejects(lda.fit(await threeOf((r) => {
      r[17]!.features = null;
      r[50]!.features = Vectors.dense([1]);
    })), { message: /^LDA\.fit: row 17 of column features is null; LDA needs a term-count vector in every row$/ }, `${s.master}: the first bad row wins`);
    await t.rejects(a.logLikelihood(await threeOf((r) => (r[20]!.features = Vectors.dense(new Array<number>(14).fill(1))))), { message: /^LocalLDAModel\.logLikelihood: row 20 of column features has size 14, but the model has vocabSize 15;/ }, `${s.master}: logLikelihood names the row too`);
  }
});

t.test('local[2] on the pool (jobs of 8,192 rows or more): documents stay on the executors; bytes per iteration do not grow with them', async (t) => {
  const inline = new Session('lda-inline', 'local', createBackend('local'), new Map());
  await inline.backend.ready();
  t.teardown(() => inline.stop());
  const moved: Record<string, Array<{ n: number; to: number[]; from: number[] }>> = { online: [], em: [] };
  // planted documents built straight as a vector column (80,000 rows as objects would take longer than the fits)
  const rnd = mulberry32(7);
  const counts = new Float64Array(80_000 * V);
  for (let d = 0; d < 80_000; d++) for (let i = 0; i < 30; i++) counts[d * V + (rnd() < 0.9 ? 5 * (d % K) + Math.floor(rnd() * 5) : Math.floor(rnd() * V))]! += 1;
  const schema = new arrow.Schema([new arrow.Field('features', Types.vector(V), true)]);
  for (const n of [50_000, 80_000]) {
    const batch = makeBatch(schema, [denseVectorColumn(counts.subarray(0, n * V), V)], n);
    const df = new DataFrame(spark, { op: 'memory', schema, partitions: [sliceBatch(batch, 0, n >> 1), sliceBatch(batch, n >> 1, n)] });
    const fits = {
      online: () => online({ maxIter: 3, subsamplingRate: 0.01 }),
      em: () => new LDA({ k: K, optimizer: 'em', maxIter: 3, seed: 5 }),
    };
    for (const [name, make] of Object.entries(fits)) {
      const marks: Array<{ to: number; from: number }> = [];
      const model = await make().fit(df, undefined, { onProgress: () => marks.push({ to: spark.metrics.bytesToExecutors, from: spark.metrics.bytesFromExecutors }) });
      moved[name]!.push({ n, to: marks.slice(1).map((m, i) => m.to - marks[i]!.to), from: marks.slice(1).map((m, i) => m.from - marks[i]!.from) });
      if (n === 50_000) {
        // the same fit on one thread: workers compute what the driver's thread would
        const here = await make().fit(new DataFrame(inline, { op: 'memory', schema: df.schema, partitions: await df.partitions() }));
        const x = model.topicsMatrix().values;
        const y = here.topicsMatrix().values;
        t.ok(x.every((v, i) => Math.abs(v - y[i]!) <= 1e-12 * Math.abs(v)), `${name}: local[2] and local fit the same topics`);
      }
    }
  }
  for (const [name, [small, large]] of Object.entries(moved)) {
    t.equal(small!.to.length, 2, `${name}: three iterations, two intervals`);
    t.same(large!.to, small!.to, `${name}: bytes sent per iteration are the same for 60% more documents`);
    t.same(large!.from, small!.from, `${name}: bytes received per iteration are the same for 60% more documents`);
    // per task: the broadcast topics (k x V doubles) and a few numbers out, the k x V summary back; never documents
    t.ok(small!.to.every((b) => b > 0 && b < 2 * (2 * K * V * 8 + 1024)) && small!.from.every((b) => b > 0 && b < 2 * (K * V * 8 + 1024)), `${name}: ${small!.to.join(', ')} bytes out, ${small!.from.join(', ')} back per iteration`);
  }
});

t.test('EM LDA: planted topics, N_wk topics, training likelihood and prior, toLocal', async (t) => {
  const lda = new LDA({ k: K, optimizer: 'em', maxIter: 30, seed: 2 });
  const model = (await lda.fit(corpus)) as DistributedLDAModel;
  t.ok(model instanceof DistributedLDAModel);
  t.equal(model.isDistributed(), true);
  const blocks = await topicBlocks(model);
  t.same([...blocks].sort(), [0, 1, 2], `EM topics are the planted blocks (got ${blocks})`);
  const g = model.getGraph();
  t.equal(g.alpha, 50 / K + 1, 'default α = 50/k + 1');
  t.equal(g.eta, 1.1, 'default η = 0.1 + 1');
  t.same(model.estimatedDocConcentration().toArray(), [g.alpha, g.alpha, g.alpha]);
  close(t, g.topicTotals.reduce((s, x) => s + x, 0), 60 * 30, 'Σ_k N_k = number of tokens', 1e-12);
  close(t, g.docTopic.slice(0, K).reduce((s, x) => s + x, 0), 30, 'Σ_k N_kj = tokens of document j', 1e-12);
  const tm = model.topicsMatrix();
  close(t, tm.apply(0, 0), g.termTopic[0]!, 'topicsMatrix(w, k) = N_wk', 0);
  const full = await model.describeTopics(V).collect();
  close(t, (full[1]!.termWeights as number[]).reduce((s, x) => s + x, 0), 1, 'term weights N_wk / N_k sum to 1', 1e-12);
  t.equal(g.iterationTimes.length, 30);
  t.same(model.getCheckpointFiles(), []);
  // MAP-EM never decreases the log posterior (training log likelihood + log prior)
  const posterior: number[] = [];
  for (const maxIter of [1, 5, 10, 20]) {
    const m = (await new LDA({ k: K, optimizer: 'em', maxIter, seed: 2 }).fit(corpus)) as DistributedLDAModel;
    posterior.push(m.trainingLogLikelihood() + m.logPrior());
  }
  t.ok(posterior.every((x, i) => i === 0 || x >= posterior[i - 1]!), `log posterior increases: ${posterior.map((x) => x.toFixed(2)).join(' <= ')}`);
  const local = model.toLocal();
  t.ok(local instanceof LocalLDAModel);
  t.equal(local.uid, model.uid);
  t.same(Array.from(local.topicsMatrix().values), Array.from(tm.values), 'toLocal keeps topicsMatrix');
  close(t, await local.logLikelihood(corpus), await model.logLikelihood(corpus), 'logLikelihood goes through the local model', 0);
  await t.rejects(new LDA({ k: K, optimizer: 'em', docConcentration: [1.0] }).fit(corpus), /values > 1\.0 for the EM optimizer/);
  await t.rejects(new LDA({ k: K, optimizer: 'em', docConcentration: [2, 3, 4] }).fit(corpus), /symmetric prior/);
  await t.rejects(new LDA({ k: K, optimizer: 'em', topicConcentration: 0.5 }).fit(corpus), /a value > 1\.0 for the EM optimizer for topicConcentration/);
});

t.test('transform: an empty document gets zeros; a document gets the same θ wherever it is; copy(extra)', async (t) => {
  const model = await online({ maxIter: 20 }).fit(corpus);
  const df = spark.createDataFrame([
    { features: Vectors.sparse(V, [0, 1], [3, 4]) },
    { features: Vectors.sparse(V, [], []) },
    { features: Vectors.dense([3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) },
  ]);
  const rows = await model.transform(df).collect();
  t.same((rows[1]!.topicDistribution as DenseVector).toArray(), [0, 0, 0], 'empty document → zeros (Spark)');
  t.same((rows[0]!.topicDistribution as DenseVector).toArray(), (rows[2]!.topicDistribution as DenseVector).toArray(), 'sparse and dense forms of one document: same θ');
  const renamed = model.transform(df, ParamMap.of([model.topicDistributionCol, 'theta']));
  t.same(renamed.columns, ['features', 'theta']);
  t.equal(model.getTopicDistributionCol(), 'topicDistribution', 'extra params apply to a copy only');
  const copy = model.copy();
  t.ok(copy instanceof LocalLDAModel);
  t.equal(copy.parent, model.parent);
  t.same(Array.from(copy.topicsMatrix().values), Array.from(model.topicsMatrix().values), 'copy keeps the topics');
  const arrays = spark.createDataFrame([{ features: [3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5] }], 'features array<double>');
  t.equal(((await model.transform(arrays).collect())[0]!.topicDistribution as DenseVector).size, K, 'array<double> features are accepted (Spark 3)');
  t.same(model.setTopicDistributionCol('').transform(df).columns, ['features'], 'an empty topicDistributionCol adds nothing');
  model.setTopicDistributionCol('topicDistribution');
  t.throws(() => model.transform(model.transform(df)), /Column topicDistribution already exists\./);
});

t.test("persistence in Spark's layout: LDA, LocalLDAModel, DistributedLDAModel", async (t) => {
  const lda = online({ maxIter: 5, docConcentration: [0.5] });
  await lda.save(join(tmp, 'lda'));
  const ldaMd = await readMetadata(join(tmp, 'lda'));
  t.equal(ldaMd.className, 'org.apache.spark.ml.clustering.LDA');
  t.same(ldaMd.paramMap.docConcentration, [0.5]);
  t.match(readFileSync(join(tmp, 'lda', 'metadata', 'part-00000'), 'utf8'), /"docConcentration":\[0\.5\]/);
  t.match(readFileSync(join(tmp, 'lda', 'metadata', 'part-00000'), 'utf8'), /"learningOffset":10\.0/);
  const ldaBack = await LDA.load(join(tmp, 'lda'));
  t.equal(ldaBack.uid, lda.uid);
  t.same(ldaBack.getDocConcentration(), [0.5]);
  t.equal(ldaBack.getSubsamplingRate(), 1);

  const model = (await lda.fit(corpus)) as LocalLDAModel;
  await model.save(join(tmp, 'local'));
  const md = await readMetadata(join(tmp, 'local'));
  t.equal(md.className, 'org.apache.spark.ml.clustering.LocalLDAModel');
  t.equal(md.uid, lda.uid);
  const files = readdirSync(join(tmp, 'local', 'data')).filter((f) => f.endsWith('.parquet'));
  t.equal(files.length, 1);
  const src = await parquetSource([join(tmp, 'local', 'data', files[0]!)]);
  t.same(src.schema.fields.map((f) => f.name), ['vocabSize', 'topicsMatrix', 'docConcentration', 'topicConcentration', 'gammaShape'], 'Spark LocalLDAModelWriter Data columns');
  const back = await LocalLDAModel.load(join(tmp, 'local'));
  t.ok(back instanceof LocalLDAModel);
  t.equal(back.uid, model.uid);
  t.same(Array.from(back.topicsMatrix().values), Array.from(model.topicsMatrix().values), 'topicsMatrix round-trips');
  t.same(back.estimatedDocConcentration().toArray(), model.estimatedDocConcentration().toArray(), 'docConcentration round-trips');
  t.equal(back.getState().eta, model.getState().eta);
  t.equal(back.getState().gammaShape, 100);
  t.equal(back.getLearningOffset(), 10);
  t.equal(back.getSeed(), 2);
  const [x, y] = await Promise.all([model.transform(corpus).collect(), back.transform(corpus).collect()]);
  t.same(x.map((r) => String(r.topicDistribution)), y.map((r) => String(r.topicDistribution)), 'the loaded model transforms identically');
  close(t, await back.logLikelihood(corpus), await model.logLikelihood(corpus), 'and scores identically', 0);
  await t.rejects(DistributedLDAModel.load(join(tmp, 'local')), /expected a saved org\.apache\.spark\.ml\.clustering\.DistributedLDAModel/);

  const em = (await new LDA({ k: K, optimizer: 'em', maxIter: 8, seed: 4 }).fit(corpus)) as DistributedLDAModel;
  await em.save(join(tmp, 'em'));
  t.equal((await readMetadata(join(tmp, 'em'))).className, 'org.apache.spark.ml.clustering.DistributedLDAModel');
  const oldMeta = JSON.parse(readFileSync(join(tmp, 'em', 'oldModel', 'metadata', 'part-00000'), 'utf8'));
  t.same(Object.keys(oldMeta), ['class', 'version', 'k', 'vocabSize', 'docConcentration', 'topicConcentration', 'iterationTimes', 'gammaShape'], "spark.mllib DistributedLDAModel SaveLoadV1_0 metadata keys");
  t.equal(oldMeta.class, 'org.apache.spark.mllib.clustering.DistributedLDAModel');
  t.equal(oldMeta.version, '1.0');
  t.equal(oldMeta.iterationTimes.length, 8);
  for (const [dir, cols] of [['globalTopicTotals', ['globalTopicTotals']], ['topicCounts', ['id', 'topicWeights']], ['tokenCounts', ['srcId', 'dstId', 'tokenCounts']]] as const) {
    const f = readdirSync(join(tmp, 'em', 'oldModel', 'data', dir)).find((n) => n.endsWith('.parquet'))!;
    const s = await parquetSource([join(tmp, 'em', 'oldModel', 'data', dir, f)]);
    t.same(s.schema.fields.map((x) => x.name), cols, `oldModel/data/${dir} columns`);
    const raw = readFileSync(join(tmp, 'em', 'oldModel', 'data', dir, f)).toString('latin1');
    if (dir !== 'tokenCounts') t.match(raw, /org\.apache\.spark\.mllib\.linalg\.VectorUDT/, `${dir}: vectors carry mllib's VectorUDT, as Spark's loader checks`);
  }
  const emBack = await DistributedLDAModel.load(join(tmp, 'em'));
  t.ok(emBack instanceof DistributedLDAModel);
  t.same(Array.from(emBack.topicsMatrix().values), Array.from(em.topicsMatrix().values), 'N_wk round-trip');
  close(t, emBack.trainingLogLikelihood(), em.trainingLogLikelihood(), 'trainingLogLikelihood round-trips', 1e-12);
  close(t, emBack.logPrior(), em.logPrior(), 'logPrior round-trips', 1e-12);
  t.same(await emBack.describeTopics(4).collect(), await em.describeTopics(4).collect(), 'describeTopics round-trips');
  t.same(emBack.getGraph().iterationTimes, em.getGraph().iterationTimes);
});

t.test('the PySpark LDA doctest flow (EM, k = 2, seed = 1, maxIter = 10; its printed values depend on the JVM draws)', async (t) => {
  // pyspark.ml.clustering.LDA docstring (https://spark.apache.org/docs/latest/api/python/reference/api/pyspark.ml.clustering.LDA.html):
  // two one-token documents over a vocabulary of 2
  const df = spark.createDataFrame([{ id: 1, features: Vectors.dense([0.0, 1.0]) }, { id: 2, features: Vectors.sparse(2, [0], [1.0]) }]);
  const lda = new LDA({ k: 2, seed: 1, optimizer: 'em' });
  lda.setMaxIter(10);
  t.equal(lda.getMaxIter(), 10);
  const model = (await lda.fit(df)) as DistributedLDAModel;
  t.equal(model.getTopicDistributionCol(), 'topicDistribution');
  t.equal(model.isDistributed(), true);
  const localModel = model.toLocal();
  t.equal(localModel.isDistributed(), false);
  t.equal(model.vocabSize(), 2);
  t.same((await model.describeTopics().collect()).map((r) => (r.termIndices as number[]).length), [2, 2], 'describeTopics: both terms for both topics');
  const m = model.topicsMatrix();
  t.same([m.numRows, m.numCols], [2, 2]);
  // Spark prints DenseMatrix(2, 2, [0.496..., 0.504..., 0.503..., 0.496...], 0): each term's counts sum to its one token
  close(t, m.apply(0, 0) + m.apply(0, 1), 1, 'term 0: N_w0 + N_w1 = 1 token', 1e-12);
  close(t, m.apply(1, 0) + m.apply(1, 1), 1, 'term 1: N_w0 + N_w1 = 1 token', 1e-12);
  t.ok(Number.isFinite(await model.logLikelihood(df)) && Number.isFinite(await model.logPerplexity(df)));
  await lda.save(join(tmp, 'doctest-lda'));
  t.equal((await LDA.load(join(tmp, 'doctest-lda'))).getMaxIter(), 10);
  await model.save(join(tmp, 'doctest-distributed'));
  t.ok((await DistributedLDAModel.load(join(tmp, 'doctest-distributed'))).isDistributed());
  await localModel.save(join(tmp, 'doctest-local'));
  const sameLocalModel = await LocalLDAModel.load(join(tmp, 'doctest-local'));
  t.same(String((await model.transform(df).take(1))[0]!.topicDistribution), String((await sameLocalModel.transform(df).take(1))[0]!.topicDistribution), 'model.transform(df).take(1) == sameLocalModel.transform(df).take(1)');
});

t.test('inside a Pipeline: fit, save, load, transform', async (t) => {
  const pipeline = new Pipeline({ stages: [online({ maxIter: 5 })] });
  const fitted = await pipeline.fit(corpus);
  await fitted.save(join(tmp, 'pipeline'));
  const back = await PipelineModel.load(join(tmp, 'pipeline'));
  t.ok(back.stages[0] instanceof LocalLDAModel);
  const [x, y] = await Promise.all([fitted.transform(corpus).collect(), back.transform(corpus).collect()]);
  t.same(y.map((r) => String(r.topicDistribution)), x.map((r) => String(r.topicDistribution)));
});

t.test('errors: non-vector features, negative or non-finite counts, nulls, sizes, empty input', async (t) => {
  const lda = online({ maxIter: 1 });
  const strings = spark.createDataFrame([{ features: 'a b c' }]);
  t.throws(() => lda.transformSchema(strings.schema), /LDA: Column features must be of type vector or array<double> or array<float> but was actually of type string\./);
  await t.rejects(lda.fit(strings), { code: 'ERR_KINDLING_SCHEMA' });
  await t.rejects(lda.fit(spark.createDataFrame([{ x: Vectors.dense([1]) }])), /cannot resolve column "features"/);
  const negative = spark.createDataFrame([{ features: Vectors.dense([1, 2]) }, { features: Vectors.sparse(2, [1], [-1]) }]);
  await t.rejects(lda.fit(negative), /LDA\.fit: row 1 of column features has term count -1 at index 1; LDA needs finite, non-negative term counts/);
  await t.rejects(lda.fit(spark.createDataFrame([{ features: Vectors.dense([1, NaN]) }])), /has term count NaN at index 1/);
  await t.rejects(lda.fit(spark.createDataFrame([{ features: Vectors.dense([1, 2]) }, { features: null }], 'features vector')), /LDA\.fit: row 1 of column features is null/);
  await t.rejects(lda.fit(spark.createDataFrame([{ features: Vectors.dense([1, 2]) }, { features: Vectors.dense([1, 2, 3]) }])), /row 1 of column features has size 3, but the first row has size 2/);
  await t.rejects(lda.fit(corpus.limit(0)), /at least one document/);
  const model = await lda.fit(corpus);
  await t.rejects(model.logLikelihood(spark.createDataFrame([{ features: Vectors.dense([1, 2]) }])), /has size 2, but the model has vocabSize 15/);
  await t.rejects(model.transform(spark.createDataFrame([{ features: Vectors.sparse(V, [2], [-3]) }])).collect(), /LocalLDAModel\.transform: row 0 of column features has term count -3/);
  await t.rejects(new LDA({ k: 2, docConcentration: [0.1, 0.2, 0.3] }).fit(corpus), /docConcentration was of length 3, but k = 2/);
  t.throws(() => new LocalLDAModel().topicsMatrix(), { code: 'ERR_KINDLING_NOT_FITTED' });
});
