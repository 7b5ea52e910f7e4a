// Column statistics and the affine map (colstats.h): each tier against the scalar reference
// (lengths x widths x NaN / zeros / ties, exact-size buffers so ASan sees any read or write past
// a row), the merge against a one-block fold, and hand values.
#include "check.h"
#include "kindling/kernels/colstats.h"

using namespace kindling;

void test_colstats(const KernelTable& t, const char* isa, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-10, 10);
  bool ok = true;
  for (size_t d : {1, 2, 3, 4, 5, 7, 8, 9, 16, 17}) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{3}, size_t{8}, size_t{255}, size_t{256}, size_t{257}, size_t{1003}}) {
      std::vector<double> x(n * d);
      for (size_t e = 0; e < x.size(); ++e) x[e] = (e % 5 == 0) ? 0.0 : (e % 11 == 3 ? NAN : u(rng));
      auto xa = exact(x);
      std::vector<double> want(1 + 5 * d), got(1 + 5 * d), s1(5 * d), s2(5 * d);
      scalar::colstats_f64(xa.data(), n, d, want.data(), s1.data());
      t.colstats_f64(xa.data(), n, d, got.data(), s2.data());
      ok = ok && got[0] == want[0] && got[0] == static_cast<double>(n);
      for (size_t k = 1; k < want.size(); ++k) {
        ok = ok && close(got[k], want[k], 0);  // bit for bit (NaN matches NaN)
      }
      std::vector<double> shift(d), scale(d), offset(d);
      for (size_t j = 0; j < d; ++j) {
        shift[j] = u(rng);
        scale[j] = u(rng);
        offset[j] = u(rng);
      }
      auto sh = exact(shift), sc = exact(scale), of = exact(offset);
      std::vector<double> ya(n * d), yb(n * d);
      scalar::affine_f64(xa.data(), n, d, sh.data(), sc.data(), of.data(), ya.data());
      t.affine_f64(xa.data(), n, d, sh.data(), sc.data(), of.data(), yb.data());
      for (size_t e = 0; e < ya.size(); ++e) ok = ok && close(ya[e], yb[e], 0);
    }
  }
  check(ok, std::string(isa) + " colstats_f64 / affine_f64 == scalar (widths x lengths x NaN and zeros)");
  // hand values: rows [1, -2], [3, 0], [NaN, 4] -> mean [NaN, 2/3], min [1, -2], max [3, 4], nnz [3, 2]
  const double x[] = {1, -2, 3, 0, NAN, 4};
  double out[11], s[10];
  t.colstats_f64(x, 3, 2, out, s);
  check(out[0] == 3 && isnan(out[1]) && close(out[2], 2.0 / 3, 1e-15) && isnan(out[3]) && close(out[4], 168.0 / 9, 1e-14) &&
            out[5] == 1 && out[6] == -2 && out[7] == 3 && out[8] == 4 && out[9] == 3 && out[10] == 2,
        std::string(isa) + " colstats_f64 hand values (NaN skipped by min/max, counted by nnz)");
  // many blocks merge like one pass: 0..999 has mean 499.5 and M2 = n (n^2 - 1) / 12
  std::vector<double> seq(1000);
  for (size_t i = 0; i < seq.size(); ++i) seq[i] = static_cast<double>(i);
  double o1[6], s1[5];
  t.colstats_f64(seq.data(), seq.size(), 1, o1, s1);
  check(o1[1] == 499.5 && close(o1[2], 1000.0 * (1000.0 * 1000.0 - 1) / 12, 1e-13) && o1[3] == 0 && o1[4] == 999 && o1[5] == 999,
        std::string(isa) + " colstats_f64 Chan merge over blocks of " + std::to_string(kColStatsBlock));
  double o0[6] = {9, 9, 9, 9, 9, 9};
  t.colstats_f64(seq.data(), 0, 1, o0, s1);
  check(o0[0] == 0 && o0[1] == 0 && o0[2] == 0 && o0[3] == __DBL_MAX__ && o0[4] == -__DBL_MAX__ && o0[5] == 0, std::string(isa) + " colstats_f64 of no rows is the zero summary");
}
