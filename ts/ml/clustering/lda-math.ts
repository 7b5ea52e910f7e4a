/**
 * Numerical pieces of LDA (and the seeded randomness PowerIterationClustering also uses), as
 * plain functions over numbers and typed arrays so partition summaries can run them anywhere:
 *
 *   - `digamma`, `trigamma`, `lgamma` (Breeze's numerics, which Spark's LDA calls): recurrence
 *     up to x >= 10 and the asymptotic series (digamma, trigamma), Lanczos g = 7 (lgamma);
 *     relative error below 1e-14 on the positive reals LDA evaluates them at;
 *   - `dirichletExpectation` (Spark's LDAUtils): E[log θ] = ψ(γ) − ψ(Σγ), and `logSumExp`;
 *   - `Rng`: a seeded xoshiro128** generator (uniform, Gaussian, Gamma by Marsaglia–Tsang).
 *     Streams are keyed by (seed, stream): LDA keys a document's draws by its global row index,
 *     so results do not depend on how the rows are partitioned. The draws are not the JVM's
 *     (Spark samples with commons-math's MersenneTwister and Breeze's Gamma), so a kindling
 *     model is not bit-identical to Spark's for the same seed — only deterministic;
 *   - `variationalTopicInference`: the per-document E-step of Spark's OnlineLDAOptimizer, and
 *     `topicExpectations` / `topicsBound`: E[log β] of λ and the topic part of the bound.
 */
import { fmix32 } from '../../src/kernels/hash.js';

// ----- special functions ----------------------------------------------------------------------

/** ψ(x), the digamma function. ψ(0) = −∞; poles at the negative integers give NaN. */
export function digamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return Infinity;
  if (x === 0) return -Infinity;
  if (x < 0) {
    if (Number.isInteger(x)) return NaN;
    // reflection: ψ(1 − x) − ψ(x) = π cot(πx)
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let r = 0;
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  // ln x − 1/(2x) − Σ B_2n / (2n x^2n)
  const series = f * (-1 / 12 + f * (1 / 120 + f * (-1 / 252 + f * (1 / 240 + f * (-1 / 132 + f * (691 / 32760 + f * (-1 / 12)))))));
  return r + Math.log(x) - 0.5 / x + series;
}

/** ψ'(x), the trigamma function (+∞ at 0 and the negative integers). */
export function trigamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return 0;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0) {
    // reflection: ψ'(1 − x) + ψ'(x) = π² / sin²(πx)
    const s = Math.sin(Math.PI * x);
    return (Math.PI * Math.PI) / (s * s) - trigamma(1 - x);
  }
  let r = 0;
  while (x < 10) {
    r += 1 / (x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  // 1/x + 1/(2x²) + Σ B_2n / x^(2n+1)
  const series = (f / x) * (1 / 6 + f * (-1 / 30 + f * (1 / 42 + f * (-1 / 30 + f * (5 / 66 + f * (-691 / 2730 + f * (7 / 6)))))));
  return r + 1 / x + 0.5 * f + series;
}

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (and ln|Γ(x)| for negative non-integers); +∞ at 0 and the negative integers. */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity || x === -Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x === 1 || x === 2) return 0;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i);
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Spark's LDAUtils.dirichletExpectation of one vector: ψ(x_i) − ψ(Σx), into `out` (allocated when absent). */
export function dirichletExpectation(x: ArrayLike<number>, out: Float64Array = new Float64Array(x.length)): Float64Array {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  const ds = digamma(s);
  for (let i = 0; i < x.length; i++) out[i] = digamma(x[i]!) - ds;
  return out;
}

/** log Σ exp(x_i), shifted by the maximum (Spark's LDAUtils.logSumExp). */
export function logSumExp(x: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i]! > m) m = x[i]!;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp(x[i]! - m);
  return m + Math.log(s);
}

// ----- seeded randomness ----------------------------------------------------------------------

const TWO32 = 4294967296;


/** The low and high 32-bit words of an integer-valued double (two's complement for negatives). */
function words(x: number): [number, number] {
  const v = Math.trunc(x);
  const hi = Math.floor(v / TWO32);
  const lo = v - hi * TWO32;
  return [lo >>> 0, hi | 0];
}

/**
 * A seeded xoshiro128** generator. `new Rng(seed, stream)` is a distinct, reproducible stream
 * per (seed, stream) pair, both integers within ±2^53.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number, stream = 0) {
    const [a, b] = words(seed);
    const [c, d] = words(stream);
    let h = fmix32(a ^ 0x9e3779b9);
    h = fmix32(h ^ b ^ 0x85ebca6b);
    h = fmix32(h ^ c ^ 0xc2b2ae35);
    h = fmix32(h ^ d ^ 0x27d4eb2f);
    // splitmix32 expands the hash into the four state words (never all zero)
    let z = h;
    const next = () => {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z ^ (z >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      t ^= t >>> 15;
      return t >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A non-negative integer below 2^53, for seeding other streams. */
  nextSeed(): number {
    const hi = this.nextUint32() >>> 11; // 21 bits
    const lo = this.nextUint32();
    return hi * TWO32 + lo;
  }

  /** A standard normal draw (Marsaglia's polar method). */
  nextGaussian(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    for (;;) {
      const u = 2 * this.nextDouble() - 1;
      const v = 2 * this.nextDouble() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * m;
        return u * m;
      }
    }
  }

  /** A Gamma(shape, scale) draw (Marsaglia & Tsang; shape < 1 by the u^(1/shape) boost). */
  nextGamma(shape: number, scale: number): number {
    if (shape < 1) {
      const u = this.nextDouble();
      return this.nextGamma(shape + 1, scale) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.nextGaussian();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  /** k Gamma(shape, 1/shape) draws (mean 1): Spark's random initialisation of γ and λ. */
  gammaVector(k: number, shape: number, out: Float64Array = new Float64Array(k)): Float64Array {
    for (let i = 0; i < k; i++) out[i] = this.nextGamma(shape, 1 / shape);
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Number of draws of a Poisson(mean) variable at uniform u (inversion), for sampling with replacement. */
export function poissonAt(mean: number, u: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let s = p;
  while (u > s && k < 1000) {
    k++;
    p *= mean / k;
    s += p;
  }
  return k;
}

// ----- the per-document E-step ----------------------------------------------------------------

/** Spark's convergence threshold on the mean absolute change of γ. */
export const GAMMA_TOLERANCE = 1e-3;
/** The cap on E-step iterations (Spark loops until convergence; Hoffman's onlineldavb stops at 100). */
export const MAX_INNER_ITERATIONS = 100;

export interface TopicInference {
  /** The variational Dirichlet parameter γ of the document (length k). */
  gamma: Float64Array;
  /** exp(E[log θ]) at the final γ (length k). */
  expElogtheta: Float64Array;
  /** cts[j] / phiNorm[j] per stored term j of the document; the sufficient statistics are expElogtheta[t] · this[j]. */
  ctsOverPhiNorm: Float64Array;
  /** E-step iterations run. */
  iterations: number;
}

/**
 * Spark's OnlineLDAOptimizer.variationalTopicInference for one document given as term ids and
 * counts (`ids[j]`, `cts[j]`), with `expElogbeta` stored term-major (vocabSize × k: entry
 * `expElogbeta[w * k + t]`), the prior `alpha` (length k), and γ initialised from `rng` as
 * Gamma(gammaShape, 1/gammaShape):
 *
 *   phiNorm_j = Σ_t expElogbeta[ids_j, t] · expElogtheta_t + 1e-100
 *   repeat    γ_t = expElogtheta_t · Σ_j expElogbeta[ids_j, t] · cts_j / phiNorm_j + α_t
 *             expElogtheta = exp(ψ(γ) − ψ(Σγ)); phiNorm as above
 *   until     Σ_t |γ_t − γ'_t| / k <= 1e-3 (or 100 iterations).
 */
export function variationalTopicInference(
  ids: ArrayLike<number>,
  cts: ArrayLike<number>,
  expElogbeta: Float64Array,
  alpha: ArrayLike<number>,
  gammaShape: number,
  k: number,
  rng: Rng,
  maxIterations = MAX_INNER_ITERATIONS,
): TopicInference {
  const n = ids.length;
  const gamma = rng.gammaVector(k, gammaShape);
  const expElogtheta = new Float64Array(k);
  const elog = new Float64Array(k);
  const expTheta = (): void => {
    dirichletExpectation(gamma, elog);
    for (let t = 0; t < k; t++) expElogtheta[t] = Math.exp(elog[t]!);
  };
  expTheta();
  const ratio = new Float64Array(n);
  const phiNorm = (): void => {
    for (let j = 0; j < n; j++) {
      const base = ids[j]! * k;
      let s = 0;
      for (let t = 0; t < k; t++) s += expElogbeta[base + t]! * expElogtheta[t]!;
      ratio[j] = cts[j]! / (s + 1e-100);
    }
  };
  phiNorm();
  const last = new Float64Array(k);
  const acc = new Float64Array(k);
  let change = 1;
  let iterations = 0;
  while (change > GAMMA_TOLERANCE && iterations < maxIterations) {
    iterations++;
    last.set(gamma);
    acc.fill(0);
    for (let j = 0; j < n; j++) {
      const base = ids[j]! * k;
      const r = ratio[j]!;
      for (let t = 0; t < k; t++) acc[t] += expElogbeta[base + t]! * r;
    }
    for (let t = 0; t < k; t++) gamma[t] = expElogtheta[t]! * acc[t]! + alpha[t]!;
    expTheta();
    phiNorm();
    let diff = 0;
    for (let t = 0; t < k; t++) diff += Math.abs(gamma[t]! - last[t]!);
    change = diff / k;
  }
  return { gamma, expElogtheta, ctsOverPhiNorm: ratio, iterations };
}

/**
 * exp(E[log β]) of topics given as λ (k × vocabSize, topic-major: `lambda[t * V + w]`), returned
 * term-major (`out[w * k + t]`) as the E-step reads it. With `log`, returns E[log β] itself.
 */
export function topicExpectations(lambda: Float64Array, k: number, vocabSize: number, log = false): Float64Array {
  const out = new Float64Array(k * vocabSize);
  for (let t = 0; t < k; t++) {
    let s = 0;
    const row = t * vocabSize;
    for (let w = 0; w < vocabSize; w++) s += lambda[row + w]!;
    const ds = digamma(s);
    for (let w = 0; w < vocabSize; w++) {
      const e = digamma(lambda[row + w]!) - ds;
      out[w * k + t] = log ? e : Math.exp(e);
    }
  }
  return out;
}

/**
 * The topic part of the variational bound (logLikelihood), E[log p(β | η) − log q(β | λ)], with
 * λ topic-major (k × V) and E[log β] term-major:
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
