// The chi-squared and F distributions against scipy 1.17.1 (values computed once with
// scipy.stats.chi2.sf / .cdf and scipy.stats.f.sf / .cdf and pasted here).
import t from 'tap';
import { chiSquaredCdf, chiSquaredSf, fCdf, fSf, lnGamma, sparkChiSquaredPValue, studentTCdf, normalCdf, tPValue } from '../../../ts/ml/stat/distributions.js';

const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));

t.test('chi-squared sf and cdf', async (t) => {
  const cases: Array<[number, number, number, number]> = [
    [0.5, 1, 0.47950012218695337, 0.5204998778130466],
    [3.84, 1, 0.05004352124870519, 0.9499564787512949],
    [10, 3, 0.01856613546304325, 0.9814338645369568],
    [25, 10, 0.005345505487134069, 0.9946544945128659],
    [1e-3, 2, 0.9995001249791693, 0.0004998750208307296],
    [200, 4, 3.75727673578106e-42, 1.0],
    [0.0, 5, 1.0, 0.0],
    [7.5, 7, 0.37873690604821353, 0.6212630939517865],
  ];
  for (const [x, k, sf, cdf] of cases) {
    t.ok(rel(chiSquaredSf(x, k), sf) < 1e-12, `sf(${x}, ${k}) = ${chiSquaredSf(x, k)}`);
    t.ok(Math.abs(chiSquaredCdf(x, k) - cdf) < 1e-14, `cdf(${x}, ${k})`);
  }
  t.equal(sparkChiSquaredPValue(200, 4), 0, "Spark's 1 - cdf rounds a tiny p-value to 0");
});

t.test('F sf and cdf', async (t) => {
  const cases: Array<[number, number, number, number, number]> = [
    [1.0, 1, 10, 0.34089313230206, 0.6591068676979401],
    [3.5, 2, 17, 0.05333597974228042, 0.9466640202577196],
    [0.2, 5, 3, 0.9423311143775628, 0.05766888562243733],
    [10, 3, 2, 0.09226952823263666, 0.9077304717673633],
    [50, 1, 4, 0.0021106458450912704, 0.9978893541549088],
    [4.0, 4, 40, 0.008024890300577058, 0.9919751096994229],
    [0.0, 2, 3, 1.0, 0.0],
    [2.0, 1, 1, 0.39182655203060723, 0.6081734479693928],
  ];
  for (const [x, a, b, sf, cdf] of cases) {
    t.ok(rel(fSf(x, a, b), sf) < 1e-12, `sf(${x}; ${a}, ${b}) = ${fSf(x, a, b)}`);
    t.ok(Math.abs(fCdf(x, a, b) - cdf) < 1e-14, `cdf(${x}; ${a}, ${b})`);
  }
});

t.test('lnGamma', async (t) => {
  t.ok(Math.abs(lnGamma(10) - Math.log(362880)) < 1e-13);
  t.ok(Math.abs(lnGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
});

t.test('Student t and the standard normal (the linear models’ p-values) against scipy 1.10', async (t) => {
  // stats.t.cdf(2.0, 5), stats.t.cdf(-1.3, 12.5), stats.norm.cdf(1.7), 2 * stats.t.sf(3.1, 20)
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-13 * Math.max(1, Math.abs(b));
  t.ok(close(studentTCdf(2.0, 5), 0.9490302605850709));
  t.ok(close(studentTCdf(-1.3, 12.5), 0.10853100531714448));
  t.ok(close(normalCdf(1.7), 0.955434537241457));
  t.ok(Math.abs(tPValue(3.1, 20) - 0.0056448769391241865) < 1e-14);
  t.equal(studentTCdf(Infinity, 3), 1);
  t.ok(Number.isNaN(studentTCdf(1, 0)));
});
