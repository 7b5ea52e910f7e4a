/**
 * Spark's OnlineLDAOptimizer on the driver (online variational Bayes, Hoffman, Blei & Bach
 * 2010): λ initialised Gamma(100, 1/100), then per iteration t one `treeAggregate` of
 * `ldaOnlineStats` (lda-tasks.ts) over the corpus kept on the executors — the broadcast is
 * exp(E[log β]) of the current λ, α and the iteration's seeds; the summary is the mini-batch's
 * sufficient statistics — and the M-step here:
 *   ρ = (learningOffset + t)^(−learningDecay);
 *   λ ← (1 − ρ) λ + ρ (stat ∘ expElogbetaᵀ · D / ⌈subsamplingRate · D⌉ + η)
 *   α ← α + ρ Δα by one Newton step on the Dirichlet likelihood of the batch's E[log θ] (Huang,
 *   "Maximum Likelihood Estimation of Dirichlet Distribution Parameters" §3.3), applied only
 *   when every α stays positive (optimizeDocConcentration).
 * An iteration whose mini-batch is empty does not count (Spark skips it).
 */
import type { SessionLike } from '../../src/dataframe/dataframe.js';
import type { Instances } from '../data/instances.js';
import { GAMMA_SHAPE, type LocalLDAState } from './lda-common.js';
import { Rng, dirichletExpectation, topicExpectations, trigamma } from './lda-math.js';
import { ldaOnlineStats, type OnlineBroadcast } from './lda-tasks.js';

/** What the online optimizer reads of LDA's params (α and η resolved: Spark's defaults are 1/k). */
export interface OnlineSettings {
  k: number;
  alpha: Float64Array;
  eta: number;
  seed: number;
  learningOffset: number;
  learningDecay: number;
  subsamplingRate: number;
  optimizeDocConcentration: boolean;
  maxIter: number;
}

/** Spark's OnlineLDAOptimizer (initialize, then maxIter × next()) over the corpus `docs` (d = vocabSize). */
export async function fitOnline(session: SessionLike, docs: Instances, o: OnlineSettings, onIteration: (it: number, message: string) => void): Promise<LocalLDAState> {
  const { k, eta } = o;
  const V = docs.d;
  const D = docs.n;
  const alpha = o.alpha.slice();
  const rng = new Rng(o.seed);
  // λ (k × V) ~ Gamma(100, 1/100)
  const lambda = new Rng(rng.nextSeed()).gammaVector(k * V, GAMMA_SHAPE);
  let iteration = 0;
  for (let it = 1; it <= o.maxIter; it++) {
    const sampleSeed = rng.nextSeed();
    const inferSeed = rng.nextSeed();
    const expElogbeta = topicExpectations(lambda, k, V);
    const b: OnlineBroadcast = {
      k,
      vocabSize: V,
      expElogbeta,
      alpha,
      gammaShape: GAMMA_SHAPE,
      sampleSeed,
      inferSeed,
      subsamplingRate: o.subsamplingRate,
      withReplacement: true,
      optimizeDocConcentration: o.optimizeDocConcentration,
      rowBases: docs.rowBases,
    };
    const stats = await session.treeAggregate(ldaOnlineStats, docs, b);
    if (stats.sampledDocs > 0) {
      iteration++;
      if (stats.nonEmptyDocs > 0) {
        const rho = learningRate(o.learningOffset, o.learningDecay, iteration);
        updateLambda(lambda, stats.stat, expElogbeta, k, V, rho, D, Math.ceil(o.subsamplingRate * D), eta);
        if (o.optimizeDocConcentration) {
          const n = stats.nonEmptyDocs;
          for (let t = 0; t < k; t++) stats.logphat[t] = stats.logphat[t]! / n;
          const next = updateAlpha(alpha, stats.logphat, n, rho);
          if (next) alpha.set(next);
        }
      }
    }
    onIteration(it, `online LDA: ${stats.sampledDocs} documents in the mini-batch`);
  }
  return { k, vocabSize: V, lambda, alpha, eta, gammaShape: GAMMA_SHAPE };
}

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
