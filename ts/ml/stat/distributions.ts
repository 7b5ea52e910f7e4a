/**
 * The distributions behind kindling's p-values: the univariate selectors' (Spark's ChiSquareTest,
 * ANOVATest and FValueTest, which call Apache Commons Math) and the linear models' summaries
 * (LinearRegressionSummary.pValues, GLR's, which call Breeze): the chi-squared, F, Student t and
 * standard normal distributions through the regularised incomplete gamma and beta functions.
 *
 *   - lnGamma: Lanczos (g = 7, 9 terms), about 1e-15 relative;
 *   - P(a, x) / Q(a, x): the series for x < a + 1, else Lentz's continued fraction (Numerical
 *     Recipes 3rd ed. §6.2), each to 1e-16 relative;
 *   - I_x(a, b): Lentz's continued fraction on the side of (a + 1) / (a + b + 2) where it
 *     converges fast (Numerical Recipes §6.4);
 *   - chi-squared with k degrees of freedom: cdf = P(k/2, x/2), sf = Q(k/2, x/2);
 *   - F(d1, d2): cdf = I_{d1 x / (d1 x + d2)}(d1/2, d2/2), sf = I_{d2 / (d2 + d1 x)}(d2/2, d1/2).
 *   - Student t with df degrees of freedom: the tail ½ I_{df/(df+t²)}(df/2, ½);
 *   - standard normal: Φ(x) = ½(1 + erf(x/√2)), erf(x) = sign(x) P(½, x²) (Breeze's Gaussian(0, 1).cdf).
 * Spark takes its p-values as 1 - cdf (so a tiny p-value rounds to 0, and ties between such
 * features are broken by feature index); the selectors do the same (`sparkPValue…`), the sf
 * functions are exact in the tail.
 */
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 10_000;

function gammaSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < MAX_ITER; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

/** The regularised lower incomplete gamma function P(a, x). */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** The regularised upper incomplete gamma function Q(a, x) = 1 - P(a, x). */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

export function chiSquaredCdf(x: number, k: number): number {
  return regularizedGammaP(k / 2, x / 2);
}

export function chiSquaredSf(x: number, k: number): number {
  return regularizedGammaQ(k / 2, x / 2);
}

export function fCdf(x: number, d1: number, d2: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return regularizedBeta((d1 * x) / (d1 * x + d2), d1 / 2, d2 / 2);
}

export function fSf(x: number, d1: number, d2: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return regularizedBeta(d2 / (d2 + d1 * x), d2 / 2, d1 / 2);
}

/** Spark's chi-squared p-value: 1 - cdf. */
export function sparkChiSquaredPValue(x: number, k: number): number {
  return 1 - chiSquaredCdf(x, k);
}

/** Spark's F p-value: 1 - cdf. */
export function sparkFPValue(x: number, d1: number, d2: number): number {
  return 1 - fCdf(x, d1, d2);
}

/** Student's t CDF with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** erf(x) = sign(x)·P(½, x²). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const p = regularizedGammaP(0.5, x * x);
  return x < 0 ? -p : p;
}

/** The standard normal CDF, as Breeze's Gaussian(0, 1).cdf: ½(1 + erf(x/√2)). */
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

/** Spark's two-sided p-value of a t statistic (the linear models' summaries): 2·(1 − F(|t|)). */
export function tPValue(t: number, df: number): number {
  return 2 * (1 - studentTCdf(Math.abs(t), df));
}

/** Spark's two-sided p-value of a z statistic: 2·(1 − Φ(|z|)). */
export function zPValue(z: number): number {
  return 2 * (1 - normalCdf(Math.abs(z)));
}
