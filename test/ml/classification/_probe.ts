import { Session } from '../../../ts/src/index.js';
import { LogisticRegression, LinearSVC } from '../../../ts/ml/index.js';
import { REFERENCE, rowsOf, frameOf, relErr } from './logreg-helpers.js';
const spark = await Session.builder().master('local[2]').getOrCreate();
const bc = frameOf(spark, rowsOf('breast_cancer'));
const iris = rowsOf('iris');
const irisDf = frameOf(spark, iris);
const vv = iris.filter((r) => r.label > 0).map((r, i) => ({ x: r.x, label: r.label - 1, weight: 1 + (i % 3) }));
const digits = frameOf(spark, rowsOf('digits300'));
const cases: Array<[string, any, any]> = [
  ['bc_l2_std', bc, {}], ['bc_l2_nostd', bc, {}], ['bc_enet_std', bc, {}], ['bc_enet_nostd', bc, {}], ['bc_l2_noint', bc, {}],
  ['iris_l2_std', irisDf, {}], ['iris_l2_nostd', irisDf, {}], ['iris_enet_std', irisDf, {}],
  ['iris_binary_weighted', frameOf(spark, vv), { weightCol: 'weight' }], ['digits_l2_std', digits, {}],
];
for (const [name, df, extra] of cases) {
  const ref = REFERENCE[name]!;
  const t0 = Date.now();
  const m = await new LogisticRegression({ ...(ref.params as any), ...extra, tol: 1e-12, maxIter: 2000 }).fit(df);
  const coef = m.coefficientMatrix.values; const ic = m.interceptVector.toArray();
  const h = m.summary.objectiveHistory;
  console.log(name, 'coef', relErr(coef, ref.coefficients).toExponential(2), 'int', relErr(ic, ref.intercepts).toExponential(2), 'obj', ((h[h.length-1]! - ref.objective)/ref.objective).toExponential(2), 'iters', m.summary.totalIterations, Date.now() - t0, 'ms');
}
const vv1 = frameOf(spark, iris.filter((r) => r.label > 0).map((r) => ({ x: r.x, label: r.label - 1 })));
for (const name of ['svc_iris_std', 'svc_iris_nostd']) {
  const ref = REFERENCE[name]!;
  const m = await new LinearSVC({ ...(ref.params as any), tol: 1e-12, maxIter: 2000 }).fit(vv1);
  const h = m.summary.objectiveHistory;
  console.log(name, 'coef', relErr(m.coefficients.toArray(), ref.coefficients).toExponential(2), 'obj', ((h[h.length-1]! - ref.objective)/ref.objective).toExponential(2), m.summary.totalIterations);
}
await spark.stop();
