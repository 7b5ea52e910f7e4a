"""Reference values for test/ml/regression/generalized-linear-regression.test.ts
(run: /usr/bin/python3 test/reference/glr-reference.py > test/reference/glr-reference.json).

Spark's GeneralizedLinearRegression by IRLS in numpy (statsmodels is not installed): the start is
WLS of link(initialize(y)) - offset, each step WLS of the working labels
z = eta - offset + (y - mu) g'(mu) with weights w / (g'(mu)^2 V(mu)), solving
  min 1/(2W) sum w'(z - x.b - c)^2 + regParam/2 |b|^2   (W = sum of the working weights)
to convergence (1e-14). With regParam 0 this is the maximum likelihood GLM (what statsmodels'
GLM fits). Standard errors sqrt(diag((X'W'X)^-1) * dispersion); dispersion Pearson/(n - rank)
except binomial/poisson (1); deviance, null deviance and AIC with the families' formulas (scipy.stats).
Gaussian with identity: Spark's WeightedLeastSquares with standardised features and label
(penalty regParam/(2 sy) sum (s_j b_j)^2, biased stds).
"""
import json
import numpy as np
from scipy import stats
from scipy.special import gammaln

def ident():
    return dict(link=lambda m: m, unlink=lambda e: e, deriv=lambda m: np.ones_like(m))
LINKS = {
    'identity': ident(),
    'log': dict(link=np.log, unlink=np.exp, deriv=lambda m: 1 / m),
    'inverse': dict(link=lambda m: 1 / m, unlink=lambda e: 1 / e, deriv=lambda m: -m ** -2.0),
    'sqrt': dict(link=np.sqrt, unlink=lambda e: e * e, deriv=lambda m: 1 / (2 * np.sqrt(m))),
    'logit': dict(link=lambda m: np.log(m / (1 - m)), unlink=lambda e: 1 / (1 + np.exp(-e)), deriv=lambda m: 1 / (m * (1 - m))),
    'probit': dict(link=stats.norm.ppf, unlink=stats.norm.cdf, deriv=lambda m: 1 / stats.norm.pdf(stats.norm.ppf(m))),
    'cloglog': dict(link=lambda m: np.log(-np.log1p(-m)), unlink=lambda e: 1 - np.exp(-np.exp(e)), deriv=lambda m: 1 / ((m - 1) * np.log1p(-m))),
}
def power(q):
    return dict(link=lambda m: m ** q, unlink=lambda e: e ** (1 / q), deriv=lambda m: q * m ** (q - 1))

def ylogy(y, mu):
    return np.where(y == 0, 0.0, y * np.log(np.where(y == 0, 1, y) / mu))

def family(name, p=0.0):
    if name == 'gaussian':
        return dict(var=lambda m: np.ones_like(m), init=lambda y, w: y, dev=lambda y, m, w: w * (y - m) ** 2, project=lambda m: m)
    if name == 'binomial':
        return dict(var=lambda m: m * (1 - m), init=lambda y, w: (w * y + 0.5) / (w + 1), dev=lambda y, m, w: 2 * w * (ylogy(y, m) + ylogy(1 - y, 1 - m)),
                    project=lambda m: np.clip(m, 1e-16, 1 - 1e-16))
    proj = lambda m: np.maximum(m, 1e-16)
    if name == 'poisson':
        return dict(var=lambda m: m, init=lambda y, w: np.maximum(y, 0.1), dev=lambda y, m, w: 2 * w * (ylogy(y, m) - (y - m)), project=proj)
    if name == 'gamma':
        return dict(var=lambda m: m * m, init=lambda y, w: y, dev=lambda y, m, w: -2 * w * (np.log(y / m) - (y - m) / m), project=proj)
    def yp(y, m, q):
        return np.log(y / m) if q == 0 else (y ** q - m ** q) / q
    return dict(var=lambda m: m ** p, init=lambda y, w: np.where(y == 0, 0.1, y),
                dev=lambda y, m, w: 2 * w * (y * yp(np.maximum(y, 0.1) if 1 <= p < 2 else y, m, 1 - p) - yp(y, m, 2 - p)), project=proj)

def wls(X, z, w, lam, standardized, fi=True):
    W = w.sum()
    xm = (w[:, None] * X).sum(0) / W if fi else np.zeros(X.shape[1])
    zm = (w * z).sum() / W if fi else 0.0
    Xc = X - xm; zc = z - zm
    A = (Xc * w[:, None]).T @ Xc / W
    if lam == 0:
        P = 0 * A
    elif standardized:
        mx = (w[:, None] * X).sum(0) / W; mz = (w * z).sum() / W
        s = np.sqrt(np.maximum(((w[:, None] * X ** 2).sum(0) / W) - mx ** 2, 0))
        sy = np.sqrt(max((w * z * z).sum() / W - mz ** 2, 0))
        P = lam / sy * np.diag(s ** 2)
    else:
        P = lam * np.eye(X.shape[1])
    b = np.linalg.solve(A + P, (Xc * w[:, None]).T @ zc / W)
    return b, zm - xm @ b

def glr(X, y, fam, lnk, w=None, off=None, lam=0.0, p=0.0, fi=True):
    n, d = X.shape
    w = np.ones(n) if w is None else w
    off = np.zeros(n) if off is None else off
    F = family(fam, p)
    L = LINKS[lnk] if isinstance(lnk, str) else LINKS[{0.0: 'log', 1.0: 'identity', -1.0: 'inverse', 0.5: 'sqrt'}[lnk]] if lnk in (0.0, 1.0, -1.0, 0.5) else power(lnk)
    if fam == 'gaussian' and lnk == 'identity':
        b, c = wls(X, y - off, w, lam, True, fi)
        it = 1
    else:
        b, c = wls(X, L['link'](F['project'](F['init'](y, w))) - off, w, lam, True, fi)
        for it in range(1, 1000):
            eta = X @ b + c + off
            mu = F['project'](L['unlink'](eta))
            g = L['deriv'](mu)
            z = eta - off + (y - mu) * g
            ww = w / (g * g * F['var'](mu))
            b2, c2 = wls(X, z, ww, lam, False, fi)
            done = max(np.max(np.abs(b2 - b)), abs(c2 - c)) < 1e-11 * max(1.0, np.max(np.abs(b2)))
            b, c = b2, c2
            if done:
                break
    eta = X @ b + c + off
    mu = F['project'](L['unlink'](eta))
    g = L['deriv'](mu)
    ww = w / (g * g * F['var'](mu))
    Xa = np.hstack([X, np.ones((n, 1))]) if fi else X
    rank = d + 1 if fi else d
    pearson = (w * (y - mu) ** 2 / F['var'](mu)).sum()
    disp = 1.0 if fam in ('binomial', 'poisson') else pearson / (n - rank)
    se = np.sqrt(np.diag(np.linalg.inv(Xa.T @ (ww[:, None] * Xa))) * disp)
    t = (np.concatenate([b, [c]]) if fi else b) / se
    pv = 2 * stats.norm.sf(np.abs(t)) if fam in ('binomial', 'poisson') else 2 * stats.t.sf(np.abs(t), n - rank)
    dev = F['dev'](y, mu, w).sum()
    W = w.sum()
    if not fi:
        c0 = 0.0
    elif off.any() and not (fam == 'gaussian' and lnk == 'identity'):
        c0 = 0.0
        c0 = (w * (L['link'](F['project'](F['init'](y, w))) - off)).sum() / W
        for _ in range(1000):
            eta0 = c0 + off
            m0 = F['project'](L['unlink'](eta0))
            g0 = L['deriv'](m0)
            w0 = w / (g0 * g0 * F['var'](m0))
            c1 = (w0 * (eta0 - off + (y - m0) * g0)).sum() / w0.sum()
            done = abs(c1 - c0) < 1e-14
            c0 = c1
            if done:
                break
    else:
        c0 = L['link']((w * (y - off)).sum() / W)
    nulldev = F['dev'](y, L['unlink'](c0 + off), w).sum()
    if fam == 'gaussian':
        aic = n * (np.log(dev / n * 2 * np.pi) + 1) + 2 - np.log(w).sum()
    elif fam == 'binomial':
        aic = -2 * stats.binom.logpmf(np.round(y * w), np.round(w), mu).sum()
    elif fam == 'poisson':
        aic = -2 * (w * stats.poisson.logpmf(np.trunc(y), mu)).sum()
    elif fam == 'gamma':
        dsp = dev / W
        aic = -2 * (w * stats.gamma.logpdf(y, 1 / dsp, scale=mu * dsp)).sum() + 2
    else:
        aic = None
    if aic is not None:
        aic += 2 * rank
    return dict(coef=b.tolist(), intercept=c, se=se.tolist(), t=t.tolist(), p=pv.tolist(), deviance=dev, nullDeviance=nulldev,
                dispersion=disp, aic=aic, iterations=it, devres=(np.sign(y - mu) * np.sqrt(np.maximum(F['dev'](y, mu, w), 0)))[:5].tolist(),
                pearsonres=((y - mu) * np.sqrt(w) / np.sqrt(F['var'](mu)))[:5].tolist(), workingres=((y - mu) * g)[:5].tolist())

a = np.loadtxt('test/fixtures/data/diabetes.csv', delimiter=',', skiprows=1)
X, y = a[:, :-1], a[:, -1]
n = len(y)
wv = 1.0 + (np.arange(n) % 3)
offv = 0.1 * (np.arange(n) % 4)
iris = np.genfromtxt('test/fixtures/data/iris.csv', delimiter=',', skip_header=1, usecols=(0, 1, 2, 3))
species = np.genfromtxt('test/fixtures/data/iris.csv', delimiter=',', skip_header=1, usecols=(4,), dtype=str)
Xi = iris[:, :2]
yi = (species == 'versicolor').astype(float)

out = {
    'gaussian': glr(X, y, 'gaussian', 'identity'),
    'gaussianRidge': glr(X, y, 'gaussian', 'identity', lam=0.5),
    'gaussianLog': glr(X, y, 'gaussian', 'log'),
    'poisson': glr(X, y, 'poisson', 'log'),
    'poissonWOffset': glr(X, y, 'poisson', 'log', w=wv, off=offv),
    'poissonRidge': glr(X, y, 'poisson', 'log', lam=0.1),
    'poissonSqrt': glr(X, y, 'poisson', 'sqrt'),
    'gammaLog': glr(X, y, 'gamma', 'log'),
    'gammaInverse': glr(X, y, 'gamma', 'inverse'),
    'tweedie': glr(X, y, 'tweedie', 0.0, p=1.5),
    'binomialLogit': glr(Xi, yi, 'binomial', 'logit'),
    'binomialProbit': glr(Xi, yi, 'binomial', 'probit'),
    'binomialCloglog': glr(Xi, yi, 'binomial', 'cloglog'),
    # binomial with weights = trials (label = proportion of successes)
    'binomialTrials': glr(Xi, (yi + (np.arange(len(yi)) % 3)) / 3.0, 'binomial', 'logit', w=np.full(len(yi), 3.0)),
    # iris: floor(petal length) against sepal length and width, through the origin
    'poissonNoIntercept': glr(Xi, np.floor(iris[:, 2]), 'poisson', 'log', fi=False),
}
print(json.dumps(out, indent=1))
