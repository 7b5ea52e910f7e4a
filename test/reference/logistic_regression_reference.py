"""Reference solutions of Spark's LogisticRegression / LinearSVC objectives (SPARK_DEFINITIONS.md §13).

Run with Debian's /usr/bin/python3 (scipy 1.10, sklearn 1.2) from the repository root:
    /usr/bin/python3 test/reference/logistic_regression_reference.py
It writes test/fixtures/data/breast_cancer.csv and digits300.csv (once) and
test/fixtures/ml/logreg_reference.json, which the tests read (the tests never call python).

Spark's objective, in the standardised space z_cj = beta_cj * std_j (std: the unbiased weighted
standard deviation, M2 / (sum w - sum w^2 / sum w)):
    f = (1 / sum w) * sum_i w_i * loss_i + regParam * ((1 - a) / 2 * sum s(z)^2 + a * sum |s'(z)|)
with s(z) = z (standardization) or z / std (not), loss the binomial log-loss
log(1 + exp(m)) - y m, the softmax loss logsumexp(m) - m_y (all classes, no pivot) or the hinge
max(0, 1 - (2y - 1) m); intercepts are not penalised; a feature with std 0 has coefficient 0.
Smooth problems: L-BFGS-B (gtol 1e-13); L1: z = u - v, u, v >= 0, the same solver on the smooth
split problem. Hinge: SLSQP on the QP with slacks. Multinomial without penalty is centred as
Spark does (coefficients per feature, intercepts) — not used here: every case has regParam > 0,
and multinomial intercepts are centred (Spark centres them always).
"""
import json
import os

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp
from sklearn import datasets

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, 'test', 'fixtures', 'data')


def write_csv(path, X, y, header):
    if os.path.exists(path):
        return
    with open(path, 'w') as f:
        f.write(','.join(header) + '\n')
        for row, label in zip(X, y):
            f.write(','.join(repr(float(v)) for v in row) + ',' + repr(float(label)) + '\n')


def load_sets():
    bc = datasets.load_breast_cancer()
    write_csv(os.path.join(DATA, 'breast_cancer.csv'), bc.data, bc.target, [f'f{j}' for j in range(30)] + ['label'])
    dg = datasets.load_digits()
    Xd, yd = dg.data[:300], dg.target[:300]
    write_csv(os.path.join(DATA, 'digits300.csv'), Xd, yd, [f'p{j}' for j in range(64)] + ['label'])
    iris = datasets.load_iris()
    return {'breast_cancer': (bc.data, bc.target.astype(float)), 'digits300': (Xd, yd.astype(float)), 'iris': (iris.data, iris.target.astype(float))}


def stats(X, w):
    W = w.sum()
    mean = (w[:, None] * X).sum(0) / W
    m2 = (w[:, None] * (X - mean) ** 2).sum(0)
    denom = W - (w ** 2).sum() / W
    std = np.sqrt(np.maximum(m2 / denom, 0))
    return mean, std


def solve(X, y, w, kind, k, reg, alpha, standardization, fit_intercept):
    n, d = X.shape
    mean, std = stats(X, w)
    live = std > 0
    Z = np.zeros_like(X)
    Z[:, live] = (X[:, live] - mean[live]) / std[live]   # centred, standardised (conditioning only)
    W = w.sum()
    l2 = reg * (1 - alpha)
    l1 = reg * alpha
    scale = np.where(live, 1.0 if standardization else 1.0 / np.where(live, std, 1), 0.0)
    nz = k * d
    ni = k if fit_intercept else 0
    Y = np.zeros((n, k))
    if kind == 'multinomial':
        Y[np.arange(n), y.astype(int)] = 1

    def unpack(p):
        z = p[:nz].reshape(k, d)
        b = p[nz:nz + ni] if fit_intercept else np.zeros(k)
        return z, b

    def data_term(z, b):
        if fit_intercept:
            M = Z @ z.T + b
        else:  # without intercept the features are not centred
            Zr = np.zeros_like(X)
            Zr[:, live] = X[:, live] / std[live]
            M = Zr @ z.T
        if kind == 'binomial':
            m = M[:, 0]
            loss = np.logaddexp(0, m) - y * m
            dm = (1 / (1 + np.exp(-m)) - y)[:, None]
        elif kind == 'multinomial':
            lse = logsumexp(M, axis=1)
            loss = lse - (M * Y).sum(1)
            dm = np.exp(M - lse[:, None]) - Y
        else:
            s = 2 * y - 1
            h = 1 - s * M[:, 0]
            loss = np.maximum(h, 0)
            dm = np.where(h > 0, -s, 0.0)[:, None]
        f = (w * loss).sum() / W
        wd = w[:, None] * dm / W
        gz = wd.T @ (Z if fit_intercept else np.where(live, X / np.where(live, std, 1), 0))
        gb = wd.sum(0)
        return f, gz, gb

    def smooth(p):
        z, b = unpack(p)
        f, gz, gb = data_term(z, b)
        zs = z * scale
        f += 0.5 * l2 * (zs ** 2).sum()
        gz = gz + l2 * zs * scale
        gz[:, ~live] = 0
        return f, np.concatenate([gz.ravel(), gb if fit_intercept else []])

    n0 = nz + ni
    if l1 == 0:
        r = minimize(smooth, np.zeros(n0), jac=True, method='L-BFGS-B', options={'maxiter': 200000, 'maxfun': 400000, 'gtol': 1e-13, 'ftol': 1e-16, 'maxcor': 30})
        p = r.x
    else:
        wl1 = np.tile(np.where(live, 1.0 if standardization else 1.0 / np.where(live, std, 1), 0.0), k) * l1

        def split(q):
            u, v = q[:nz], q[nz:2 * nz]
            p = np.concatenate([u - v, q[2 * nz:]])
            f, g = smooth(p)
            f += (wl1 * (u + v)).sum()
            return f, np.concatenate([g[:nz] + wl1, -g[:nz] + wl1, g[nz:]])

        bounds = [(0, None)] * (2 * nz) + [(None, None)] * ni
        r = minimize(split, np.zeros(2 * nz + ni), jac=True, method='L-BFGS-B', bounds=bounds, options={'maxiter': 200000, 'maxfun': 400000, 'gtol': 1e-13, 'ftol': 1e-16, 'maxcor': 30})
        q = r.x
        p = np.concatenate([q[:nz] - q[nz:2 * nz], q[2 * nz:]])
    z, b = unpack(p)
    value = smooth(p)[0] + l1 * (np.abs(z.ravel()) * np.tile(np.where(live, 1.0 if standardization else 1.0 / np.where(live, std, 1), 0.0), k)).sum()
    beta = np.where(live, z / np.where(live, std, 1), 0.0)
    intercept = b - (beta * mean).sum(1) if fit_intercept else np.zeros(k)
    if kind == 'multinomial' and fit_intercept:
        intercept = intercept - intercept.mean()
    return {'coefficients': beta.ravel().tolist(), 'intercepts': intercept.tolist(), 'objective': float(value)}


def solve_hinge(X, y, w, reg, standardization):
    """Spark's LinearSVC objective as a QP: min (1/sum w) sum w xi + l2/2 |s(z)|^2, xi >= 1 - s m, xi >= 0."""
    n, d = X.shape
    mean, std = stats(X, w)
    Z = (X - mean) / std
    W = w.sum()
    s = 2 * y - 1
    scale = np.ones(d) if standardization else 1 / std

    def f(p):
        z, xi = p[:d], p[d + 1:]
        return (w * xi).sum() / W + 0.5 * reg * ((z * scale) ** 2).sum()

    def g(p):
        z, xi = p[:d], p[d + 1:]
        return np.concatenate([reg * z * scale ** 2, [0.0], w / W])

    A = np.hstack([s[:, None] * Z, s[:, None], np.eye(n)])  # s m + xi - 1 >= 0
    cons = [{'type': 'ineq', 'fun': lambda p: A @ p - 1, 'jac': lambda p: A}]
    bounds = [(None, None)] * (d + 1) + [(0, None)] * n
    x0 = np.concatenate([np.zeros(d + 1), np.ones(n)])
    r = minimize(f, x0, jac=g, constraints=cons, bounds=bounds, method='SLSQP', options={'maxiter': 10000, 'ftol': 1e-15})
    z, b = r.x[:d], r.x[d]
    beta = z / std
    return {'coefficients': beta.tolist(), 'intercepts': [float(b - (beta * mean).sum())], 'objective': float(f(r.x)), 'success': bool(r.success)}


def main():
    sets = load_sets()
    out = {}
    Xb, yb = sets['breast_cancer']
    one = np.ones(len(yb))
    for name, reg, a, st, fi in [
        ('bc_l2_std', 0.01, 0.0, True, True),
        ('bc_l2_nostd', 0.01, 0.0, False, True),
        ('bc_enet_std', 0.01, 0.5, True, True),
        ('bc_enet_nostd', 0.005, 0.7, False, True),
        ('bc_l2_noint', 0.01, 0.0, True, False),
    ]:
        out[name] = {'params': {'regParam': reg, 'elasticNetParam': a, 'standardization': st, 'fitIntercept': fi}, **solve(Xb, yb, one, 'binomial', 1, reg, a, st, fi)}
    Xi, yi = sets['iris']
    onei = np.ones(len(yi))
    for name, reg, a, st in [('iris_l2_std', 0.01, 0.0, True), ('iris_l2_nostd', 0.02, 0.0, False), ('iris_enet_std', 0.01, 0.3, True)]:
        out[name] = {'params': {'regParam': reg, 'elasticNetParam': a, 'standardization': st, 'fitIntercept': True}, **solve(Xi, yi, onei, 'multinomial', 3, reg, a, st, True)}
    # weighted binomial: versicolor (1) vs virginica (2), weights 1 + (row % 3)
    mask = yi > 0
    Xv, yv = Xi[mask], yi[mask] - 1
    wv = 1.0 + (np.arange(len(yv)) % 3)
    out['iris_binary_weighted'] = {'params': {'regParam': 0.001, 'elasticNetParam': 0.0, 'standardization': True, 'fitIntercept': True}, **solve(Xv, yv, wv, 'binomial', 1, 0.001, 0.0, True, True)}
    out['iris_binary_nostd'] = {'params': {'regParam': 0.02, 'elasticNetParam': 0.0, 'standardization': False, 'fitIntercept': True}, **solve(Xv, yv, np.ones(len(yv)), 'binomial', 1, 0.02, 0.0, False, True)}
    Xd, yd = sets['digits300']
    oned = np.ones(len(yd))
    out['digits_l2_std'] = {'params': {'regParam': 0.05, 'elasticNetParam': 0.0, 'standardization': True, 'fitIntercept': True}, **solve(Xd, yd, oned, 'multinomial', 10, 0.05, 0.0, True, True)}
    out['svc_iris_std'] = {'params': {'regParam': 0.01, 'standardization': True}, **solve_hinge(Xv, yv, np.ones(len(yv)), 0.01, True)}
    out['svc_iris_nostd'] = {'params': {'regParam': 0.1, 'standardization': False}, **solve_hinge(Xv, yv, np.ones(len(yv)), 0.1, False)}
    path = os.path.join(ROOT, 'test', 'fixtures', 'ml', 'logreg_reference.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=1)
    for k, v in out.items():
        print(k, v['objective'], v.get('success', ''))


main()
