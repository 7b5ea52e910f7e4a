/**
 * LDA's executor tasks (docs/ARCHITECTURE.md, "Summaries beside their algorithms"), as Spark's
 * OnlineLDAOptimizer and EMLDAOptimizer compute them, over the corpus packed once by
 * `ldaPackDocs` and kept on the executors (lda-corpus.ts):
 *   - `ldaPackDocs`: one partition's term counts checked and kept as CSR blocks (lda-docs.ts);
 *   - `ldaOnlineStats`: one online iteration's E-step over the mini-batch rows of a block;
 *   - `ldaBoundStats`: the per-document part of the variational bound (logLikelihood);
 *   - EM: `ldaEmState` keeps N_kj beside each block, `ldaEmStats` runs one iteration over a
 *     block and its N_kj (updating them in place), `ldaEmGraph` returns a block's documents and
 *     N_kj once, at the end of the fit (DistributedLDAModel keeps them);
 *   - `ldaTransform`: LDAModel.transform's narrow operator (each document's topic distribution).
 * Summaries merge by adding, in Spark's treeAggregate order (docs/formats/SPARK_DEFINITIONS.md
 * §14). A document's random draws (mini-batch membership, its initial γ, its EM initial
 * assignment) come from the stream `Rng(seed, row)` of its global row number
 * (`rowBases[ctx.partition] + r`), so 1 or N partitions, `local` or `local[N]`, fit the same
 * model up to the floating-point order of the merges.
 *
 * Online variational Bayes (Hoffman, Blei & Bach 2010), per iteration: each row is drawn
 * Poisson(subsamplingRate) times (Spark samples its mini-batch with replacement) from the stream
 * (sampleSeed, row); per sampled non-empty document, γ by `variationalTopicInference` with
 * expElogbeta = exp(E[log β]) of the current λ; the summary holds
 * stat[t, w] += expElogtheta_t · cts_w / phiNorm_w, Σ E[log θ] (for α) and the batch counts.
 *
 * EM (Asuncion et al. 2009) on the document–term graph: for every (document j, term w) with
 * count N_wj, γ_wjk ∝ (N_wk + η − 1)(N_kj + α − 1) / (N_k + W(η − 1)) (normalised over k) is
 * scaled by N_wj and sent to both ends; the new N_kj stay beside the block, the new N_wk are the
 * summary. Initial values are random soft assignments (uniform draws normalised per edge), as
 * Spark's EMLDAOptimizer.initialize. N_kj are kept twice (this iteration's and the next's) and
 * an iteration writes only the half it does not read, so running a task again gives the same
 * result.
 */
import * as arrow from 'apache-arrow';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { Types } from '../../src/dataframe/types.js';
import { resolveIndex } from '../../src/dataframe/eval.js';
import { defineSummary, defineTask, type Kept } from '../../src/exec/task.js';
import type { PackMeta } from '../data/instances-tasks.js';
import { badRowError } from '../data/predictions.js';
import { denseVectorColumn } from '../linalg/columns.js';
import { readDocs, type DocBlock } from './lda-docs.js';
import { Rng, dirichletExpectation, logSumExp, lgamma, poissonAt, variationalTopicInference } from './lda-math.js';

// ----- packing --------------------------------------------------------------------------------

export interface DocsSpec {
  featuresCol: string;
  /** The model's vocabSize, or −1: the first row's size. */
  vocabSize: number;
  /** Row ranges per partition, each kept as its own block. */
  splits: number;
}

/**
 * One partition's documents kept as `splits` CSR blocks. The meta is ml/data's `PackMeta`: rows
 * per block, `d` = the size of the partition's first row (−1 when it has none), its rows, and
 * its first bad row (the driver checks the sizes across partitions).
 */
export const ldaPackDocs = defineTask<arrow.RecordBatch, DocsSpec, Kept<PackMeta>>('lda.packDocs', (batch, spec, ctx) => {
  const n = batch.numRows;
  const col = batch.data.children[resolveIndex('LDA', spec.featuresCol, batch.schema)]! as AnyData;
  const vocab = { size: spec.vocabSize, fixed: spec.vocabSize >= 0 };
  const kept: DocBlock[] = [];
  const parts = Math.max(1, Math.min(spec.splits, n));
  for (let s = 0; s < parts && n > 0; s++) {
    const docs = readDocs(col, spec.featuresCol, Math.floor((s * n) / parts), Math.floor(((s + 1) * n) / parts), vocab, ctx.alloc);
    if ('bad' in docs) return { kept: [], meta: { rows: [], d: vocab.size, n, bad: docs.bad } };
    kept.push(docs);
  }
  return { kept, meta: { rows: kept.map((k) => k.rows), d: vocab.size, n, bad: null } };
});

/** The global row number of each block's first row, by block (the task's partition). */
interface RowBases {
  rowBases: number[];
}

// ----- online ---------------------------------------------------------------------------------

export interface OnlineBroadcast extends RowBases {
  k: number;
  vocabSize: number;
  /** exp(E[log β]) term-major (vocabSize × k). */
  expElogbeta: Float64Array;
  alpha: Float64Array;
  gammaShape: number;
  sampleSeed: number;
  inferSeed: number;
  subsamplingRate: number;
  withReplacement: boolean;
  optimizeDocConcentration: boolean;
}

export interface OnlineStats {
  /** Σ over the batch of the sufficient statistics, topic-major (k × vocabSize). */
  stat: Float64Array;
  /** Σ over the batch's non-empty documents of E[log θ_d] (zeros unless optimizeDocConcentration). */
  logphat: Float64Array;
  /** Non-empty documents in the batch (with multiplicity). */
  nonEmptyDocs: number;
  /** Documents in the batch, empty ones included (with multiplicity). */
  sampledDocs: number;
}

/** How many times row `row` is in the mini-batch of the iteration drawn with `seed`. */
export function sampleCount(seed: number, row: number, fraction: number, withReplacement: boolean): number {
  const u = new Rng(seed, row).nextDouble();
  if (withReplacement) return poissonAt(fraction, u);
  return u < fraction ? 1 : 0;
}

export const ldaOnlineStats = defineSummary<OnlineStats, DocBlock, OnlineBroadcast>('lda.onlineStats', {
  zero: (b) => ({ stat: new Float64Array(b.k * b.vocabSize), logphat: new Float64Array(b.k), nonEmptyDocs: 0, sampledDocs: 0 }),
  add: (s, docs, b, ctx) => {
    const { k, vocabSize: V } = b;
    const base = b.rowBases[ctx.partition]!;
    const elog = new Float64Array(k);
    for (let r = 0; r < docs.rows; r++) {
      const row = base + r;
      const m = sampleCount(b.sampleSeed, row, b.subsamplingRate, b.withReplacement);
      if (m === 0) continue;
      s.sampledDocs += m;
      const lo = docs.indptr[r]!;
      const hi = docs.indptr[r + 1]!;
      if (hi === lo) continue;
      s.nonEmptyDocs += m;
      const ids = docs.indices.subarray(lo, hi);
      const inf = variationalTopicInference(ids, docs.counts.subarray(lo, hi), b.expElogbeta, b.alpha, b.gammaShape, k, new Rng(b.inferSeed, row));
      for (let t = 0; t < k; t++) {
        const e = inf.expElogtheta[t]! * m;
        const at = t * V;
        for (let j = 0; j < ids.length; j++) s.stat[at + ids[j]!] += e * inf.ctsOverPhiNorm[j]!;
      }
      if (b.optimizeDocConcentration) {
        dirichletExpectation(inf.gamma, elog);
        for (let t = 0; t < k; t++) s.logphat[t] += m * elog[t]!;
      }
    }
    return s;
  },
  merge: (a, b) => {
    addInto(a.stat, b.stat);
    addInto(a.logphat, b.logphat);
    a.nonEmptyDocs += b.nonEmptyDocs;
    a.sampledDocs += b.sampledDocs;
    return a;
  },
});

function addInto(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i]!;
}

// ----- variational bound (logLikelihood / logPerplexity) --------------------------------------

export interface BoundBroadcast extends RowBases {
  k: number;
  vocabSize: number;
  /** E[log β] term-major (vocabSize × k). */
  Elogbeta: Float64Array;
  /** exp(E[log β]) term-major. */
  expElogbeta: Float64Array;
  alpha: Float64Array;
  gammaShape: number;
  seed: number;
}

export interface BoundStats {
  /** Σ over non-empty documents of the document part of the bound. */
  corpusPart: number;
  /** Σ of all term counts (every document). */
  tokens: number;
}

/** The per-document part of Spark's LocalLDAModel.logLikelihoodBound, γ seeded per row. */
export const ldaBoundStats = defineSummary<BoundStats, DocBlock, BoundBroadcast>('lda.boundStats', {
  zero: () => ({ corpusPart: 0, tokens: 0 }),
  add: (s, docs, b, ctx) => {
    const { k, alpha } = b;
    const base = b.rowBases[ctx.partition]!;
    let sumAlpha = 0;
    let lgAlpha = 0;
    for (let t = 0; t < k; t++) {
      sumAlpha += alpha[t]!;
      lgAlpha += lgamma(alpha[t]!);
    }
    const lgSumAlpha = lgamma(sumAlpha);
    const elogtheta = new Float64Array(k);
    const tmp = new Float64Array(k);
    for (let r = 0; r < docs.rows; r++) {
      const lo = docs.indptr[r]!;
      const hi = docs.indptr[r + 1]!;
      if (hi === lo) continue;
      const ids = docs.indices.subarray(lo, hi);
      const cts = docs.counts.subarray(lo, hi);
      const gamma = variationalTopicInference(ids, cts, b.expElogbeta, alpha, b.gammaShape, k, new Rng(b.seed, base + r)).gamma;
      dirichletExpectation(gamma, elogtheta);
      let doc = 0;
      for (let j = 0; j < ids.length; j++) {
        const at = ids[j]! * k;
        for (let t = 0; t < k; t++) tmp[t] = elogtheta[t]! + b.Elogbeta[at + t]!;
        doc += cts[j]! * logSumExp(tmp);
        s.tokens += cts[j]!;
      }
      let sumGamma = 0;
      for (let t = 0; t < k; t++) {
        doc += (alpha[t]! - gamma[t]!) * elogtheta[t]!;
        doc += lgamma(gamma[t]!);
        sumGamma += gamma[t]!;
      }
      doc += -lgAlpha + lgSumAlpha - lgamma(sumGamma);
      s.corpusPart += doc;
    }
    return s;
  },
  merge: (a, b) => {
    a.corpusPart += b.corpusPart;
    a.tokens += b.tokens;
    return a;
  },
});

// ----- EM -------------------------------------------------------------------------------------

/** Beside each block: N_kj twice (rows × k, row-major, two halves), zeros until the first iteration writes half 0. */
export const ldaEmState = defineTask<DocBlock, { k: number }, Kept<null>>('lda.emState', (docs, b, ctx) => ({ kept: [ctx.alloc(Float64Array, 2 * docs.rows * b.k)], meta: null }));

export interface EmBroadcast extends RowBases {
  k: number;
  vocabSize: number;
  /** η (topicConcentration, > 1). */
  eta: number;
  /** α (symmetric docConcentration, > 1). */
  alpha: number;
  /** N_k. */
  topicTotals: Float64Array;
  /** N_wk term-major (vocabSize × k); empty for the initial assignment. */
  termTopic: Float64Array;
  /** When set, the random initial assignment of Spark's EMLDAOptimizer.initialize (seeded per row). */
  initSeed: number | null;
  /** The half of the kept N_kj this iteration writes (it reads the other). */
  write: 0 | 1;
}

export interface EmStats {
  /** New N_wk, term-major (vocabSize × k). */
  termTopic: Float64Array;
}

/**
 * Spark's EMLDAOptimizer.computePTopic into `out`: γ_k ∝ (N_wk + η − 1)(N_kj + α − 1) / (N_k + W(η − 1)),
 * normalised to sum 1. `docTopic`/`termTopic` are read at offsets `docOff`/`termOff`.
 */
export function computePTopic(
  docTopic: Float64Array,
  docOff: number,
  termTopic: Float64Array,
  termOff: number,
  topicTotals: Float64Array,
  vocabSize: number,
  eta: number,
  alpha: number,
  out: Float64Array,
): Float64Array {
  const k = out.length;
  const eta1 = eta - 1;
  const alpha1 = alpha - 1;
  const weta1 = vocabSize * eta1;
  let sum = 0;
  for (let t = 0; t < k; t++) {
    const g = ((termTopic[termOff + t]! + eta1) * (docTopic[docOff + t]! + alpha1)) / (topicTotals[t]! + weta1);
    out[t] = g;
    sum += g;
  }
  for (let t = 0; t < k; t++) out[t] = out[t]! / sum;
  return out;
}

/** The half `which` (0 or 1) of a block's kept N_kj. */
function half(state: Float64Array, which: number): Float64Array {
  const n = state.length / 2;
  return state.subarray(which * n, (which + 1) * n);
}

/** One EM iteration over a block and its N_kj: the new N_kj into half `write`, the block's part of the new N_wk. */
export const ldaEmStats = defineSummary<EmStats, [DocBlock, Float64Array], EmBroadcast>('lda.emStats', {
  zero: (b) => ({ termTopic: new Float64Array(b.k * b.vocabSize) }),
  add: (s, [docs, state], b, ctx) => {
    const { k } = b;
    const base = b.rowBases[ctx.partition]!;
    const docTopic = half(state, 1 - b.write);
    const next = half(state, b.write).fill(0);
    const g = new Float64Array(k);
    for (let r = 0; r < docs.rows; r++) {
      const lo = docs.indptr[r]!;
      const hi = docs.indptr[r + 1]!;
      if (hi === lo) continue;
      const rng = b.initSeed === null ? null : new Rng(b.initSeed, base + r);
      for (let e = lo; e < hi; e++) {
        const w = docs.indices[e]!;
        const n = docs.counts[e]!;
        if (rng) {
          let sum = 0;
          for (let t = 0; t < k; t++) {
            g[t] = rng.nextDouble();
            sum += g[t]!;
          }
          for (let t = 0; t < k; t++) g[t] = g[t]! / sum;
        } else computePTopic(docTopic, r * k, b.termTopic, w * k, b.topicTotals, b.vocabSize, b.eta, b.alpha, g);
        for (let t = 0; t < k; t++) {
          const x = g[t]! * n;
          next[r * k + t] += x;
          s.termTopic[w * k + t] += x;
        }
      }
    }
    return s;
  },
  merge: (a, b) => {
    addInto(a.termTopic, b.termTopic);
    return a;
  },
});

/** A block's non-empty documents (row numbers, CSR edges) with their N_kj: what DistributedLDAModel keeps. */
export interface EmGraphPart {
  docIds: Float64Array;
  indptr: Int32Array;
  terms: Int32Array;
  counts: Float64Array;
  /** N_kj, documents × k row-major. */
  docTopic: Float64Array;
}

/** The block's documents with the N_kj in half `read` of its kept state (once, at the end of the fit). */
export const ldaEmGraph = defineTask<[DocBlock, Float64Array], RowBases & { k: number; read: 0 | 1 }, EmGraphPart>('lda.emGraph', ([docs, state], b, ctx) => {
  const { k } = b;
  const base = b.rowBases[ctx.partition]!;
  const docTopic = half(state, b.read);
  const rows: number[] = [];
  for (let r = 0; r < docs.rows; r++) if (docs.indptr[r + 1]! > docs.indptr[r]!) rows.push(r);
  const out: EmGraphPart = { docIds: new Float64Array(rows.length), indptr: new Int32Array(rows.length + 1), terms: docs.indices.slice(), counts: docs.counts.slice(), docTopic: new Float64Array(rows.length * k) };
  rows.forEach((r, j) => {
    out.docIds[j] = base + r;
    out.indptr[j + 1] = docs.indptr[r + 1]!;
    out.docTopic.set(docTopic.subarray(r * k, (r + 1) * k), j * k);
  });
  return out;
});

export interface LdaTransformBroadcast {
  api: string;
  featuresCol: string;
  outputCol: string;
  k: number;
  vocabSize: number;
  expElogbeta: Float64Array;
  alpha: Float64Array;
  gammaShape: number;
  seed: number;
}

/** Appends each document's topic distribution (γ normalised, Spark's LDAModel.transform; all zeros for an empty document). */
export const ldaTransform = defineTask<arrow.RecordBatch, LdaTransformBroadcast, arrow.RecordBatch>('lda.transform', (batch, b, ctx) => {
  const n = batch.numRows;
  const col = batch.data.children[resolveIndex(b.api, b.featuresCol, batch.schema)]! as AnyData;
  const docs = readDocs(col, b.featuresCol, 0, n, { size: b.vocabSize, fixed: true });
  if ('bad' in docs) throw badRowError(b.api, docs.bad, ctx.partition, ctx.rowBase);
  const values = new Float64Array(n * b.k);
  for (let r = 0; r < n; r++) {
    const lo = docs.indptr[r]!;
    const hi = docs.indptr[r + 1]!;
    if (hi === lo) continue;
    const inf = variationalTopicInference(docs.indices.subarray(lo, hi), docs.counts.subarray(lo, hi), b.expElogbeta, b.alpha, b.gammaShape, b.k, new Rng(b.seed, 0));
    let sum = 0;
    for (let t = 0; t < b.k; t++) sum += inf.gamma[t]!;
    for (let t = 0; t < b.k; t++) values[r * b.k + t] = inf.gamma[t]! / sum;
  }
  const schema = new arrow.Schema([...batch.schema.fields, new arrow.Field(b.outputCol, Types.vector(b.k), true)]);
  return makeBatch(schema, [...(batch.data.children as AnyData[]), denseVectorColumn(values, b.k)], n);
});
