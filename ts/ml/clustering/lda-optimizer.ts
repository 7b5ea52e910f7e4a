/**
 * LDA's partition summaries and driver updates (STYLE.md §5), as Spark's OnlineLDAOptimizer and
 * EMLDAOptimizer compute them. Everything here is plain data — documents arrive as a CSR block
 * of term ids and counts (`DocPartition`), summaries are typed arrays and numbers — so the same
 * `add` runs on the driver today and on a worker or executor once registered by name.
 *
 * Documents are keyed by their global row index (`rowBase + r`): a document's random draws
 * (mini-batch membership, its initial γ, its EM soft assignments) come from the stream
 * `Rng(seed, rowIndex)`, so 1 or N partitions of the same rows fit the same model (up to the
 * floating-point order of the merges).
 *
 * Online variational Bayes (Hoffman, Blei & Bach 2010), one iteration t:
 *   sample   each row is drawn Poisson(subsamplingRate) times (Spark samples its mini-batch
 *            with replacement), from the stream (sampleSeed, row)
 *   E-step   per sampled non-empty document: γ by `variationalTopicInference` with
 *            expElogbeta = exp(E[log β]) of the current λ; the summary holds
 *            stat[t, w] += expElogtheta_t · cts_w / phiNorm_w, Σ E[log θ] (for α) and counts
 *   M-step   ρ = (learningOffset + t)^(−learningDecay);
 *            λ ← (1 − ρ) λ + ρ (stat ∘ expElogbetaᵀ · D / ⌈subsamplingRate · D⌉ + η)
 *            α ← α + ρ Δα by one Newton step on the Dirichlet likelihood of the batch's
 *            E[log θ] (Huang, "Maximum Likelihood Estimation of Dirichlet Distribution
 *            Parameters" §3.3), applied only when every α stays positive.
 *
 * EM (Asuncion et al. 2009) on the document–term graph, held in memory instead of GraphX: the
 * vertex values are N_kj (per document, kept with its partition) and N_wk (per term, merged by
 * the summary); one iteration sends, for every (document j, term w) with count N_wj,
 *   γ_wjk ∝ (N_wk + η − 1)(N_kj + α − 1) / (N_k + W(η − 1))   (normalised over k)
 * scaled by N_wj to both ends; the new N_kj and N_wk are the sums of what each vertex received,
 * and N_k = Σ_w N_wk. Initial values are random soft assignments (uniform draws normalised per
 * edge), as Spark's EMLDAOptimizer.initialize.
 */
import type { Summary } from '../../src/exec/task.js';
import { Rng, dirichletExpectation, logSumExp, lgamma, poissonAt, trigamma, variationalTopicInference } from './lda-math.js';

/** One partition of documents as a CSR block: row r holds terms indices[indptr[r] .. indptr[r+1]) with counts (only non-zero counts are stored). */
export interface DocPartition {
  /** Global row index of the partition's first row. */
  rowBase: number;
  rows: number;
  indptr: Int32Array;
  indices: Int32Array;
  counts: Float64Array;
}

// ----- online ---------------------------------------------------------------------------------

export interface OnlineBroadcast {
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

export const onlineLdaSummary: Summary<OnlineStats, DocPartition, OnlineBroadcast> = {
  zero: (b) => ({ stat: new Float64Array(b.k * b.vocabSize), logphat: new Float64Array(b.k), nonEmptyDocs: 0, sampledDocs: 0 }),
  add: (s, part, b) => {
    const { k, vocabSize: V } = b;
    const elog = new Float64Array(k);
    for (let r = 0; r < part.rows; r++) {
      const row = part.rowBase + r;
      const m = sampleCount(b.sampleSeed, row, b.subsamplingRate, b.withReplacement);
      if (m === 0) continue;
      s.sampledDocs += m;
      const lo = part.indptr[r]!;
      const hi = part.indptr[r + 1]!;
      if (hi === lo) continue;
      s.nonEmptyDocs += m;
      const ids = part.indices.subarray(lo, hi);
      const cts = part.counts.subarray(lo, hi);
      const inf = variationalTopicInference(ids, cts, b.expElogbeta, b.alpha, b.gammaShape, k, new Rng(b.inferSeed, row));
      for (let t = 0; t < k; t++) {
        const e = inf.expElogtheta[t]! * m;
        const base = t * V;
        for (let j = 0; j < ids.length; j++) s.stat[base + ids[j]!] += e * inf.ctsOverPhiNorm[j]!;
      }
      if (b.optimizeDocConcentration) {
        dirichletExpectation(inf.gamma, elog);
        for (let t = 0; t < k; t++) s.logphat[t] += m * elog[t]!;
      }
    }
    return s;
  },
  merge: (a, b) => {
    for (let i = 0; i < a.stat.length; i++) a.stat[i] += b.stat[i]!;
    for (let i = 0; i < a.logphat.length; i++) a.logphat[i] += b.logphat[i]!;
    a.nonEmptyDocs += b.nonEmptyDocs;
    a.sampledDocs += b.sampledDocs;
    return a;
  },
};

/** ρ = (τ0 + t)^(−κ), Spark's OnlineLDAOptimizer.rho. */
export function learningRate(learningOffset: number, learningDecay: number, iteration: number): number {
  return Math.pow(learningOffset + iteration, -learningDecay);
}

/**
 * Spark's updateLambda after `batchResult = stat ∘ expElogbetaᵀ`:
 * λ ← (1 − ρ) λ + ρ (batchResult · D / batchSize + η), in place (λ and stat topic-major k × V).
 */
export function updateLambda(
  lambda: Float64Array,
  stat: Float64Array,
  expElogbeta: Float64Array,
  k: number,
  vocabSize: number,
  rho: number,
  corpusSize: number,
  batchSize: number,
  eta: number,
): void {
  const scale = corpusSize / batchSize;
  for (let t = 0; t < k; t++) {
    const base = t * vocabSize;
    for (let w = 0; w < vocabSize; w++) {
      const batchResult = stat[base + w]! * expElogbeta[w * k + t]!;
      lambda[base + w] = (1 - rho) * lambda[base + w]! + rho * (batchResult * scale + eta);
    }
  }
}

/**
 * Spark's updateAlpha: one Newton–Raphson step for a Dirichlet with sufficient statistic
 * `logphat` (mean E[log θ] over the batch's n non-empty documents), damped by ρ:
 *   g = n (−(ψ(α) − ψ(Σα)) + logphat),  c = n ψ'(Σα),  q = −n ψ'(α),
 *   b = Σ(g / q) / (1/c + Σ 1/q),  Δα = −(g − b) / q,
 *   α ← α + ρ Δα  when every entry stays > 0 (else α is kept).
 * Returns the new α, or null when the step was refused.
 */
export function updateAlpha(alpha: Float64Array, logphat: ArrayLike<number>, n: number, rho: number): Float64Array | null {
  const k = alpha.length;
  const de = dirichletExpectation(alpha);
  let sumAlpha = 0;
  for (let i = 0; i < k; i++) sumAlpha += alpha[i]!;
  const c = n * trigamma(sumAlpha);
  const g = new Float64Array(k);
  const q = new Float64Array(k);
  let gq = 0;
  let invQ = 0;
  for (let i = 0; i < k; i++) {
    g[i] = n * (-de[i]! + logphat[i]!);
    q[i] = -n * trigamma(alpha[i]!);
    gq += g[i]! / q[i]!;
    invQ += 1 / q[i]!;
  }
  const b = gq / (1 / c + invQ);
  const next = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const dalpha = -(g[i]! - b) / q[i]!;
    next[i] = rho * dalpha + alpha[i]!;
    if (!(next[i]! > 0)) return null;
  }
  return next;
}

// ----- variational bound (logLikelihood / logPerplexity) --------------------------------------

export interface BoundBroadcast {
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
export const ldaBoundSummary: Summary<BoundStats, DocPartition, BoundBroadcast> = {
  zero: () => ({ corpusPart: 0, tokens: 0 }),
  add: (s, part, b) => {
    const { k, alpha } = b;
    let sumAlpha = 0;
    let lgAlpha = 0;
    for (let t = 0; t < k; t++) {
      sumAlpha += alpha[t]!;
      lgAlpha += lgamma(alpha[t]!);
    }
    const lgSumAlpha = lgamma(sumAlpha);
    const elogtheta = new Float64Array(k);
    const tmp = new Float64Array(k);
    for (let r = 0; r < part.rows; r++) {
      const lo = part.indptr[r]!;
      const hi = part.indptr[r + 1]!;
      if (hi === lo) continue;
      const ids = part.indices.subarray(lo, hi);
      const cts = part.counts.subarray(lo, hi);
      const inf = variationalTopicInference(ids, cts, b.expElogbeta, alpha, b.gammaShape, k, new Rng(b.seed, part.rowBase + r));
      const gamma = inf.gamma;
      dirichletExpectation(gamma, elogtheta);
      let doc = 0;
      for (let j = 0; j < ids.length; j++) {
        const base = ids[j]! * k;
        for (let t = 0; t < k; t++) tmp[t] = elogtheta[t]! + b.Elogbeta[base + t]!;
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
};

/**
 * The topic part of the bound, E[log p(β | η) − log q(β | λ)], with λ topic-major (k × V) and
 * E[log β] term-major:
 *   Σ (η − λ) E[log β] + Σ (lnΓ(λ) − lnΓ(η)) + Σ_k (lnΓ(Vη) − lnΓ(Σ_w λ_kw)).
 */
export function topicsBound(lambda: Float64Array, Elogbeta: Float64Array, k: number, vocabSize: number, eta: number): number {
  const lgEta = lgamma(eta);
  const lgSumEta = lgamma(eta * vocabSize);
  let total = 0;
  for (let t = 0; t < k; t++) {
    const base = t * vocabSize;
    let rowSum = 0;
    for (let w = 0; w < vocabSize; w++) {
      const l = lambda[base + w]!;
      total += (eta - l) * Elogbeta[w * k + t]! + lgamma(l) - lgEta;
      rowSum += l;
    }
    total += lgSumEta - lgamma(rowSum);
  }
  return total;
}

// ----- EM -------------------------------------------------------------------------------------

export interface EmPartition {
  /** Index of the partition (where its new N_kj go back). */
  part: number;
  docs: DocPartition;
  /** N_kj of the partition's rows, row-major (rows × k); empty rows stay zero. */
  docTopic: Float64Array;
}

export interface EmBroadcast {
  k: number;
  vocabSize: number;
  /** η (topicConcentration, > 1). */
  eta: number;
  /** α (symmetric docConcentration, > 1). */
  alpha: number;
  /** N_k. */
  topicTotals: Float64Array;
  /** N_wk term-major (vocabSize × k). */
  termTopic: Float64Array;
  /** When set, the random initial assignment of Spark's EMLDAOptimizer.initialize (seeded per row). */
  initSeed: number | null;
}

export interface EmStats {
  /** New N_wk, term-major (vocabSize × k). */
  termTopic: Float64Array;
  /** New N_kj per partition. */
  docTopics: Array<{ part: number; values: Float64Array }>;
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

export const emLdaSummary: Summary<EmStats, EmPartition, EmBroadcast> = {
  zero: (b) => ({ termTopic: new Float64Array(b.k * b.vocabSize), docTopics: [] }),
  add: (s, p, b) => {
    const { k } = b;
    const { docs } = p;
    const next = new Float64Array(docs.rows * k);
    const g = new Float64Array(k);
    for (let r = 0; r < docs.rows; r++) {
      const lo = docs.indptr[r]!;
      const hi = docs.indptr[r + 1]!;
      if (hi === lo) continue;
      const rng = b.initSeed === null ? null : new Rng(b.initSeed, docs.rowBase + r);
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
        } else computePTopic(p.docTopic, r * k, b.termTopic, w * k, b.topicTotals, b.vocabSize, b.eta, b.alpha, g);
        for (let t = 0; t < k; t++) {
          const x = g[t]! * n;
          next[r * k + t] += x;
          s.termTopic[w * k + t] += x;
        }
      }
    }
    s.docTopics.push({ part: p.part, values: next });
    return s;
  },
  merge: (a, b) => {
    for (let i = 0; i < a.termTopic.length; i++) a.termTopic[i] += b.termTopic[i]!;
    for (const d of b.docTopics) a.docTopics.push(d);
    return a;
  },
};

/** N_k = Σ_w N_wk. */
export function topicTotalsOf(termTopic: Float64Array, k: number, vocabSize: number): Float64Array {
  const out = new Float64Array(k);
  for (let w = 0; w < vocabSize; w++) for (let t = 0; t < k; t++) out[t] += termTopic[w * k + t]!;
  return out;
}
