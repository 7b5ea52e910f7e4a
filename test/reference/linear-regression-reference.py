"""Reference values for test/ml/regression/linear-regression.test.ts (run: /usr/bin/python3 test/reference/linear-regression-reference.py).

Spark's LinearRegression objective, in the original space (derived from LeastSquaresAggregator /
WeightedLeastSquares in the standardised space, see ts/ml/regression/linear-regression.ts):
  1/(2W) sum w (y - x.b - c)^2 + lam * ( (1-a)/(2 sy) sum (s_j b_j)^2 + a sum s_j |b_j| )
with s_j = std of feature j when standardization is on, else 1; sy = std of the label. The normal
solver (WeightedLeastSquares) uses biased weighted stds, l-bfgs unbiased ones (Summarizer).
Ridge: closed form; elastic net: coordinate descent to 1e-15. OLS: numpy lstsq and the usual
standard errors sqrt(diag((X'WX)^-1) * RSS/(n-p-1)).
"""
import json
import numpy as np
from scipy import stats

def load(path):
    a = np.loadtxt(path, delimiter=',', skiprows=1)
    return a[:, :-1], a[:, -1]

def wstd(v, w, unbiased):
    W = w.sum(); m = (w * v).sum() / W
    ss = (w * (v - m) ** 2).sum()
    if unbiased:
        return np.sqrt(ss / (W - (w ** 2).sum() / W))
    return np.sqrt(ss / W)

def fit(X, y, w, lam, alpha, standardization, fit_intercept, unbiased):
    n, d = X.shape
    W = w.sum()
    s = np.array([wstd(X[:, j], w, unbiased) for j in range(d)]) if standardization else np.ones(d)
    sy = wstd(y, w, unbiased)
    if fit_intercept:
        xm = (w[:, None] * X).sum(0) / W; ym = (w * y).sum() / W
    else:
        xm = np.zeros(d); ym = 0.0
    Xc = X - xm; yc = y - ym
    A = (Xc * w[:, None]).T @ Xc / W
    bvec = (Xc * w[:, None]).T @ yc / W
    l2 = lam * (1 - alpha) / sy
    l1 = lam * alpha
    if l1 == 0:
        beta = np.linalg.solve(A + l2 * np.diag(s ** 2), bvec)
    else:
        beta = np.zeros(d)
        for it in range(200000):
            old = beta.copy()
            for j in range(d):
                r = bvec[j] - A[j] @ beta + A[j, j] * beta[j]
                den = A[j, j] + l2 * s[j] ** 2
                beta[j] = np.sign(r) * max(abs(r) - l1 * s[j], 0) / den
            if np.max(np.abs(beta - old)) < 1e-15:
                break
    c = ym - xm @ beta if fit_intercept else 0.0
    return beta, c

out = {}
X, y = load('test/fixtures/data/diabetes.csv')
n, d = X.shape
w1 = np.ones(n)
wv = 1.0 + (np.arange(n) % 3)  # weights 1, 2, 3, 1, 2, 3, ...

# OLS with statistics
Xa = np.hstack([X, np.ones((n, 1))])
coef, *_ = np.linalg.lstsq(Xa, y, rcond=None)
pred = Xa @ coef
res = y - pred
dof = n - d - 1
rss = (res ** 2).sum()
inv = np.linalg.inv(Xa.T @ Xa)
se = np.sqrt(np.diag(inv) * rss / dof)
t = coef / se
p = 2 * stats.t.sf(np.abs(t), dof)
ybar = y.mean()
r2 = 1 - rss / ((y - ybar) ** 2).sum()
out['ols'] = dict(coef=coef[:-1].tolist(), intercept=coef[-1], se=se.tolist(), t=t.tolist(), p=p.tolist(), r2=r2,
                  r2adj=1 - (1 - r2) * (n - 1) / (n - d - 1), mse=rss / n, mae=np.abs(res).mean(),
                  ev=((pred - ybar) ** 2).mean(), devres=[res.min(), res.max()], dof=dof)

# weighted OLS with statistics (weights 1,2,3 repeating)
Wd = np.diag(wv)
coefw = np.linalg.solve(Xa.T @ (wv[:, None] * Xa), Xa.T @ (wv * y))
resw = y - Xa @ coefw
rssw = (wv * resw ** 2).sum()
sew = np.sqrt(np.diag(np.linalg.inv(Xa.T @ (wv[:, None] * Xa))) * rssw / dof)
out['wols'] = dict(coef=coefw[:-1].tolist(), intercept=coefw[-1], se=sew.tolist(), devres=[(np.sqrt(wv) * resw).min(), (np.sqrt(wv) * resw).max()])

# no intercept OLS
coef0, *_ = np.linalg.lstsq(X, y, rcond=None)
out['ols0'] = dict(coef=coef0.tolist())

cases = {}
for name, lam, alpha, std, fi, w in [
    ('ridge', 0.5, 0.0, True, True, w1),
    ('ridgeNoStd', 0.5, 0.0, False, True, w1),
    ('enet', 0.3, 0.5, True, True, w1),
    ('enetNoStd', 0.3, 0.5, False, True, w1),
    ('lassoW', 1.0, 1.0, True, True, wv),
    ('ridgeNoIntercept', 0.5, 0.0, True, False, w1),
]:
    for solver, unb in [('normal', False), ('lbfgs', True)]:
        b, c = fit(X, y, w, lam, alpha, std, fi, unb)
        cases[f'{name}_{solver}'] = dict(coef=b.tolist(), intercept=c)
out['cases'] = cases

# iris: petal_width ~ sepal_length, sepal_width, petal_length
iris = np.genfromtxt('test/fixtures/data/iris.csv', delimiter=',', skip_header=1, usecols=(0, 1, 2, 3))
Xi, yi = iris[:, :3], iris[:, 3]
Xia = np.hstack([Xi, np.ones((len(yi), 1))])
ci, *_ = np.linalg.lstsq(Xia, yi, rcond=None)
out['iris_ols'] = dict(coef=ci[:-1].tolist(), intercept=ci[-1])
ci0, *_ = np.linalg.lstsq(Xi, yi, rcond=None)
out['iris_ols0'] = dict(coef=ci0.tolist())
b, c = fit(Xi, yi, np.ones(len(yi)), 0.2, 0.3, True, True, True)
out['iris_enet_lbfgs'] = dict(coef=b.tolist(), intercept=c)
b, c = fit(Xi, yi, np.ones(len(yi)), 0.2, 0.0, True, True, False)
out['iris_ridge_normal'] = dict(coef=b.tolist(), intercept=c)

# multi-output: [target, bmi*100 + s5*50] on diabetes
Y = np.stack([y, X[:, 2] * 100 + X[:, 8] * 50 + 0.1 * y], axis=1)
cm, *_ = np.linalg.lstsq(Xa, Y, rcond=None)
out['multi'] = dict(coef=cm[:-1].T.tolist(), intercept=cm[-1].tolist())

# Huber (Spark's HuberAggregator objective, in the original space; s_j unbiased std):
#   1/W sum w * h(y - x.b - c, sigma) + lam/2 sum (s_j b_j)^2 (standardization) | lam/2 sum b_j^2
#   h(r, sig) = sig + r^2/sig (|r| <= sig eps), sig + 2 eps |r| - sig eps^2 otherwise, halved
from scipy.optimize import minimize
def huber(X, y, w, lam, std, fi, eps=1.35):
    n, d = X.shape
    s = np.array([wstd(X[:, j], w, True) for j in range(d)]) if std else np.ones(d)
    W = w.sum()
    def f(p):
        b = p[:d]; c = p[d] if fi else 0.0; sig = p[-1]
        r = y - X @ b - c
        inner = np.abs(r) <= sig * eps
        loss = np.where(inner, 0.5 * (sig + r ** 2 / sig), 0.5 * (sig + 2 * eps * np.abs(r) - sig * eps ** 2))
        q = r / sig
        dm = np.where(inner, -q, -np.sign(r) * eps)
        dsig = np.where(inner, 0.5 * (1 - q ** 2), 0.5 * (1 - eps ** 2))
        g = np.concatenate([(w * dm) @ X / W + lam * s ** 2 * b, [(w * dm).sum() / W] if fi else [], [(w * dsig).sum() / W]])
        return (w * loss).sum() / W + 0.5 * lam * ((s * b) ** 2).sum(), g
    x0 = np.concatenate([np.zeros(d), [y.mean()] if fi else [], [y.std()]])
    bounds = [(None, None)] * (d + (1 if fi else 0)) + [(1e-12, None)]
    r = minimize(f, x0, jac=True, method='L-BFGS-B', bounds=bounds, options=dict(ftol=1e-15, gtol=1e-12, maxiter=100000, maxcor=30))
    return dict(coef=r.x[:d].tolist(), intercept=(r.x[d] if fi else 0.0), scale=r.x[-1])
out['huber'] = huber(X, y, w1, 0.0, True, True)
out['huberRidge'] = huber(X, y, w1, 0.1, True, True)
out['huberRidgeNoStdW'] = huber(X, y, wv, 0.1, False, True)

print(json.dumps(out, indent=1))
