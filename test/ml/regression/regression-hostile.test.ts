// Issue 10's "no crash, whatever the input" for the linear regressors: garbage for a constructor
// option, a param, fit's DataFrame, transform's and predict's arguments works or throws a
// kindling error with a code, never a TypeError from inside (test/ml/hostile-helpers.ts).
import t from 'tap';
import { Session } from '../../../ts/src/index.js';
import { GeneralizedLinearRegression, GeneralizedLinearRegressionModel, LinearRegression, LinearRegressionModel, MultivariateRegressor, Vectors, type ParamMap } from '../../../ts/ml/index.js';
import { GARBAGE, TRUTHY, uncodedOutcomes, type HostileCall } from '../hostile-helpers.js';

t.test('every regressor given garbage works or throws a coded kindling error', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const df = spark.createDataFrame([
    { features: Vectors.dense([1, 2]), label: 1 },
    { features: Vectors.dense([3, 1]), label: 2 },
    { features: Vectors.dense([0, 5]), label: 4 },
  ]);
  const lr = await new LinearRegression().fit(df);
  const glr = await new GeneralizedLinearRegression({ family: 'poisson' }).fit(df);
  const ctors = { LinearRegression, GeneralizedLinearRegression, MultivariateRegressor, LinearRegressionModel, GeneralizedLinearRegressionModel } as unknown as Record<string, new (o?: unknown) => LinearRegression>;
  const calls: HostileCall[] = [];
  for (const [n, C] of Object.entries(ctors)) {
    calls.push([`new ${n}`, GARBAGE, (g) => new C(g)]);
    calls.push([`new ${n}({ regParam })`, GARBAGE, (g) => new C({ regParam: g })]);
    calls.push([`new ${n}({ family })`, GARBAGE, (g) => new C({ family: g })]);
    calls.push([`new ${n}({ coefficients })`, GARBAGE, (g) => new C({ coefficients: g })]);
    calls.push([`${n}.set`, GARBAGE, (g) => new C().set(g as string, 1)]);
    calls.push([`${n}.copy`, TRUTHY, (g) => new C().copy(g as ParamMap)]);
  }
  for (const n of ['LinearRegression', 'GeneralizedLinearRegression', 'MultivariateRegressor']) {
    calls.push([`${n}.fit`, GARBAGE, (g) => new ctors[n]!().fit(g as never)]);
    calls.push([`${n}.fit(df, extra)`, TRUTHY, (g) => new ctors[n]!().fit(df, g as never)]);
  }
  for (const [n, m] of [['LinearRegressionModel', lr], ['GeneralizedLinearRegressionModel', glr]] as const) {
    calls.push([`${n}.transform`, GARBAGE, (g) => m.transform(g as never)]);
    calls.push([`${n}.predict`, GARBAGE, (g) => m.predict(g as never)]);
    calls.push([`${n}.evaluate`, GARBAGE, (g) => m.evaluate(g as never)]);
  }
  const uncoded = await uncodedOutcomes(calls);
  t.same(uncoded, [], `${calls.length} calls`);
});
