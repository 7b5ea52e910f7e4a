/**
 * GeneralizedLinearRegression's families and links, as Spark's GeneralizedLinearRegression
 * object (Family, Link, FamilyAndLink): plain data (`FamilyAndLink`: a family name and variance
 * power, a link name and link power) that travels to the executors, and pure functions of it.
 *
 * Families: gaussian (variance 1), binomial (μ(1 − μ)), poisson (μ), gamma (μ²), tweedie (μ^p;
 * p = 0, 1, 2 are gaussian, poisson and gamma, as Spark's Family.fromParams). Links: identity,
 * log, inverse, sqrt and power(q) (tweedie's linkPower; 0, 1, −1, ½ are log, identity, inverse,
 * sqrt), logit, probit (Φ⁻¹), cloglog. Defaults: gaussian identity, binomial logit, poisson log,
 * gamma inverse, tweedie power(1 − p). Spark's allowed pairs (supportedFamilyAndLinkPairs) and
 * messages; `project` keeps μ in the family's range, `initialize` is the IRLS start (and the
 * label's domain check), deviance and the AIC's per-row term as Spark's.
 */
import { Errors } from '../../src/errors.js';
import { lgamma } from '../clustering/lda-math.js';
import { normalCdf } from '../stat/distributions.js';

export type FamilyName = 'gaussian' | 'binomial' | 'poisson' | 'gamma' | 'tweedie';
export type LinkName = 'identity' | 'log' | 'inverse' | 'logit' | 'probit' | 'cloglog' | 'sqrt' | 'power';

export interface FamilyAndLink {
  family: FamilyName;
  /** Tweedie's variance power (0 for the others, unused). */
  variancePower: number;
  link: LinkName;
  /** power's exponent (unused by the named links). */
  linkPower: number;
}

const EPSILON = 1e-16;
/** Spark's Tweedie.delta. */
const DELTA = 0.1;

const PAIRS: Record<Exclude<FamilyName, 'tweedie'>, LinkName[]> = {
  gaussian: ['identity', 'log', 'inverse'],
  binomial: ['logit', 'probit', 'cloglog'],
  poisson: ['log', 'identity', 'sqrt'],
  gamma: ['inverse', 'identity', 'log'],
};

function powerLink(q: number): { link: LinkName; linkPower: number } {
  if (q === 0) return { link: 'log', linkPower: 0 };
  if (q === 1) return { link: 'identity', linkPower: 1 };
  if (q === -1) return { link: 'inverse', linkPower: -1 };
  if (q === 0.5) return { link: 'sqrt', linkPower: 0.5 };
  return { link: 'power', linkPower: q };
}

/**
 * Spark's FamilyAndLink.apply and the pair check of validateAndTransformSchema, from the params
 * (family and link case-insensitive; link / linkPower only when set).
 */
export function familyAndLinkOf(api: string, p: { family: string; variancePower: number; link?: string; linkPower?: number }): FamilyAndLink {
  const name = p.family.toLowerCase() as FamilyName;
  if (name === 'tweedie') {
    const v = p.variancePower;
    const family: FamilyName = v === 0 ? 'gaussian' : v === 1 ? 'poisson' : v === 2 ? 'gamma' : 'tweedie';
    if (p.linkPower !== undefined) return { family, variancePower: v, ...powerLink(p.linkPower) };
    // the family object's default link (Gaussian → identity, Poisson → log, Gamma → inverse, Tweedie → power(1 − p))
    const dflt = family === 'tweedie' ? powerLink(1 - v) : { link: PAIRS[family][0]!, linkPower: 0 };
    return { family, variancePower: v, ...dflt };
  }
  if (p.link === undefined) return { family: name, variancePower: 0, link: PAIRS[name][0]!, linkPower: 0 };
  const link = p.link.toLowerCase() as LinkName;
  if (!PAIRS[name].includes(link)) {
    throw Errors.invalidArg(api, 'link', `a link of the ${name} family: ${PAIRS[name].join(', ')} (Generalized Linear Regression with ${p.family} family does not support ${p.link} link function.)`, p.link);
  }
  return { family: name, variancePower: 0, link, linkPower: 0 };
}

// ----- links --------------------------------------------------------------------------------------

/** Φ⁻¹ (Acklam's rational approximation refined by one Halley step on Φ, ~1e-15). */
export function normalInverseCdf(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

export function link(fl: FamilyAndLink, mu: number): number {
  switch (fl.link) {
    case 'identity': return mu;
    case 'log': return Math.log(mu);
    case 'inverse': return 1 / mu;
    case 'sqrt': return Math.sqrt(mu);
    case 'power': return Math.pow(mu, fl.linkPower);
    case 'logit': return Math.log(mu / (1 - mu));
    case 'probit': return normalInverseCdf(mu);
    case 'cloglog': return Math.log(-Math.log1p(-mu));
  }
}

export function linkDeriv(fl: FamilyAndLink, mu: number): number {
  switch (fl.link) {
    case 'identity': return 1;
    case 'log': return 1 / mu;
    case 'inverse': return -Math.pow(mu, -2);
    case 'sqrt': return 1 / (2 * Math.sqrt(mu));
    case 'power': return fl.linkPower * Math.pow(mu, fl.linkPower - 1);
    case 'logit': return 1 / (mu * (1 - mu));
    case 'probit': return 1 / normalPdf(normalInverseCdf(mu));
    case 'cloglog': return 1 / ((mu - 1) * Math.log1p(-mu));
  }
}

export function unlink(fl: FamilyAndLink, eta: number): number {
  switch (fl.link) {
    case 'identity': return eta;
    case 'log': return Math.exp(eta);
    case 'inverse': return 1 / eta;
    case 'sqrt': return eta * eta;
    case 'power': return Math.pow(eta, 1 / fl.linkPower);
    case 'logit': return 1 / (1 + Math.exp(-eta));
    case 'probit': return normalCdf(eta);
    case 'cloglog': return 1 - Math.exp(-Math.exp(eta));
  }
}

// ----- families -----------------------------------------------------------------------------------

export function variance(fl: FamilyAndLink, mu: number): number {
  switch (fl.family) {
    case 'gaussian': return 1;
    case 'binomial': return mu * (1 - mu);
    case 'poisson': return mu;
    case 'gamma': return mu * mu;
    case 'tweedie': return Math.pow(mu, fl.variancePower);
  }
}

/** Keeps μ in the family's range (Spark's Family.project). */
export function project(fl: FamilyAndLink, mu: number): number {
  switch (fl.family) {
    case 'gaussian': return mu === -Infinity ? -Number.MAX_VALUE : mu === Infinity ? Number.MAX_VALUE : mu;
    case 'binomial': return mu < EPSILON ? EPSILON : mu > 1 - EPSILON ? 1 - EPSILON : mu;
    default: return mu < EPSILON ? EPSILON : mu === Infinity ? Number.MAX_VALUE : mu;
  }
}

/** The fitted mean of a linear predictor (Spark's FamilyAndLink.fitted). */
export function fitted(fl: FamilyAndLink, eta: number): number {
  return project(fl, unlink(fl, eta));
}

/**
 * The label's domain (Spark's Family.initialize requirements; binomial's labels in [0, 1]):
 * null when `y` fits, else why not, in Spark's words.
 */
export function labelProblem(fl: FamilyAndLink, y: number): string | null {
  switch (fl.family) {
    case 'gaussian': return null;
    case 'binomial': return y >= 0 && y <= 1 ? null : `The response variable of Binomial family should be in range [0, 1], but got ${y}`;
    case 'poisson': return y >= 0 ? null : `The response variable of Poisson family should be non-negative, but got ${y}`;
    case 'gamma': return y > 0 ? null : `The response variable of Gamma family should be positive, but got ${y}`;
    case 'tweedie': {
      const p = fl.variancePower;
      if (p >= 1 && p < 2 && !(y >= 0)) return `The response variable of tweedie(${p}) family should be non-negative, but got ${y}`;
      if (p >= 2 && !(y > 0)) return `The response variable of tweedie(${p}) family should be positive, but got ${y}`;
      return null;
    }
  }
}

/** The starting μ of IRLS (Spark's Family.initialize; the domain is checked by labelProblem). */
export function initialMu(fl: FamilyAndLink, y: number, w: number): number {
  switch (fl.family) {
    case 'gaussian': return y;
    case 'binomial': return (w * y + 0.5) / (w + 1);
    case 'poisson': return Math.max(y, DELTA);
    case 'gamma': return y;
    case 'tweedie': return y === 0 ? DELTA : y;
  }
}

function ylogy(y: number, mu: number): number {
  return y === 0 ? 0 : y * Math.log(y / mu);
}

function yp(y: number, mu: number, p: number): number {
  return p === 0 ? Math.log(y / mu) : (Math.pow(y, p) - Math.pow(mu, p)) / p;
}

/** The deviance of one row (Spark's Family.deviance). */
export function deviance(fl: FamilyAndLink, y: number, mu: number, w: number): number {
  switch (fl.family) {
    case 'gaussian': return w * (y - mu) * (y - mu);
    case 'binomial': return 2 * w * (ylogy(y, mu) + ylogy(1 - y, 1 - mu));
    case 'poisson': return 2 * w * (ylogy(y, mu) - (y - mu));
    case 'gamma': return -2 * w * (Math.log(y / mu) - (y - mu) / mu);
    case 'tweedie': {
      const p = fl.variancePower;
      const y1 = p >= 1 && p < 2 ? Math.max(y, DELTA) : y;
      return 2 * w * (y * yp(y1, mu, 1 - p) - yp(y, mu, 2 - p));
    }
  }
}

/** log C(n, k) + k log p + (n − k) log(1 − p): Breeze's Binomial(n, p).logProbabilityOf(k). */
function binomialLogPmf(n: number, p: number, k: number): number {
  const lc = lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
  const a = k === 0 ? 0 : k * Math.log(p);
  const b = n - k === 0 ? 0 : (n - k) * Math.log1p(-p);
  return lc + a + b;
}

/**
 * The per-row part of Spark's Family.aic, summed on the executors: binomial −2·log Binomial(round(w), μ)
 * at round(y·w); poisson −2·w·log Poisson(μ) at trunc(y); gamma −2·w·log Gamma(1/disp, μ·disp) at y
 * (disp = deviance / Σw, so gamma needs the deviance first); gaussian Σ log w. Tweedie has none.
 */
export function aicTerm(fl: FamilyAndLink, y: number, mu: number, w: number, gammaDispersion: number): number {
  switch (fl.family) {
    case 'gaussian': return Math.log(w);
    case 'binomial': {
      const n = Math.round(w);
      if (n === 0) return 0;
      return -2 * binomialLogPmf(n, mu, Math.round(y * w));
    }
    case 'poisson': {
      const k = Math.trunc(y);
      return -2 * w * (k * Math.log(mu) - mu - lgamma(k + 1));
    }
    case 'gamma': {
      const shape = 1 / gammaDispersion;
      const scale = mu * gammaDispersion;
      return -2 * w * ((shape - 1) * Math.log(y) - y / scale - lgamma(shape) - shape * Math.log(scale));
    }
    case 'tweedie': return 0;
  }
}
