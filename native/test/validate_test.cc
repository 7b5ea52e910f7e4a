// Row checks (validate.h): each tier against the scalar reference on random blocks with one bad
// value planted at every position class (in a 16-wide SIMD step, in the tail), and hand cases.
#include "check.h"
#include "kindling/kernels/validate.h"

using namespace kindling;

void test_validate(const KernelTable& t, const char* isa, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-10, 10);
  const double bads[] = {NAN, INFINITY, -INFINITY};
  bool ok = true;
  for (size_t d : {1, 3, 4, 7}) {
    for (size_t n : kLengths) {
      std::vector<double> x(n * d);
      for (auto& v : x) v = u(rng);
      for (uint32_t flags = 0; flags < 4; ++flags) {
        auto xx = exact(x);
        ok = ok && t.first_bad_row_f64(xx.data(), n, d, flags) == scalar::first_bad_row_f64(xx.data(), n, d, flags);
        ok = ok && (flags != 0 || t.first_bad_row_f64(xx.data(), n, d, 0) == kOk);
      }
      for (size_t at = 0; at < n * d; at += 1 + at / 3) {
        for (double b : bads) {
          auto xx = exact(x);
          xx[at] = b;
          for (uint32_t flags = 0; flags < 4; ++flags) {
            int64_t want = static_cast<int64_t>(at / d);
            ok = ok && t.first_bad_row_f64(xx.data(), n, d, flags) == want;
          }
        }
      }
      if (n > 2) {
        auto xx = exact(x);
        for (size_t e = 0; e < d; ++e) xx[2 * d + e] = 0;  // a zero row
        ok = ok && t.first_bad_row_f64(xx.data(), n, d, kRowNonZeroNorm) == 2 && t.first_bad_row_f64(xx.data(), n, d, 0) == kOk;
        xx[d] = 1e200;  // row 1's squared norm overflows
        ok = ok && t.first_bad_row_f64(xx.data(), n, d, kRowFiniteNorm) == 1 && t.first_bad_row_f64(xx.data(), n, d, kRowNonZeroNorm) == 2;
      }
    }
  }
  check(ok, std::string(isa) + " first_bad_row_f64 == scalar, bad values found at every position");
  // values near the screens' edges: zeros in rows of non-zero norm (and squares that underflow to
  // 0), squares near overflow whose row sums stay finite or overflow, one row at a time
  ok = true;
  for (size_t d : {1, 2, 3, 5, 16, 17}) {
    for (size_t n : kLengths) {
      std::vector<double> x(n * d);
      for (size_t e = 0; e < x.size(); ++e) x[e] = (e % 3 == 0) ? u(rng) : (e % 3 == 1 ? 0.0 : 1e-170);
      for (size_t i = 0; i < n; ++i) x[i * d] = 1 + fabs(u(rng));  // every row has a non-zero value
      for (uint32_t flags = 0; flags < 4; ++flags) {
        auto xx = exact(x);
        ok = ok && t.first_bad_row_f64(xx.data(), n, d, flags) == kOk && scalar::first_bad_row_f64(xx.data(), n, d, flags) == kOk;
      }
      for (size_t at = 0; at < n; at += 1 + at / 2) {
        auto big = exact(x);  // row `at` near overflow: each square < DBL_MAX / d, the sum finite
        for (size_t e = 0; e < d; ++e) big[at * d + e] = 0.9 * sqrt(__DBL_MAX__ / static_cast<double>(d));
        auto over = exact(big);  // the same row, its sum just over DBL_MAX (one square alone when d = 1)
        for (size_t e = 0; e < d; ++e) over[at * d + e] = 1.01 * sqrt(__DBL_MAX__ / static_cast<double>(d));
        auto zero = exact(x);  // row `at` of tiny values: every square underflows to 0
        for (size_t e = 0; e < d; ++e) zero[at * d + e] = (e % 2 ? -1e-170 : 1e-170);
        for (uint32_t flags = 0; flags < 4; ++flags) {
          int64_t want_big = kOk, want_over = (flags & kRowFiniteNorm) ? static_cast<int64_t>(at) : kOk, want_zero = (flags & kRowNonZeroNorm) ? static_cast<int64_t>(at) : kOk;
          ok = ok && t.first_bad_row_f64(big.data(), n, d, flags) == want_big && scalar::first_bad_row_f64(big.data(), n, d, flags) == want_big;
          ok = ok && t.first_bad_row_f64(over.data(), n, d, flags) == want_over && scalar::first_bad_row_f64(over.data(), n, d, flags) == want_over;
          ok = ok && t.first_bad_row_f64(zero.data(), n, d, flags) == want_zero && scalar::first_bad_row_f64(zero.data(), n, d, flags) == want_zero;
        }
      }
    }
  }
  check(ok, std::string(isa) + " first_bad_row_f64: zeros and underflowing squares in non-zero rows pass, zero rows and overflowing norms found, near-overflow rows pass");
  ok = true;
  for (size_t n : kLengths) {
    std::vector<double> w(n);
    for (auto& v : w) v = fabs(u(rng));
    auto ww = exact(w);
    ok = ok && t.first_bad_weight_f64(ww.data(), n) == kOk;
    for (size_t at = 0; at < n; at += 1 + at / 3) {
      for (double b : {static_cast<double>(NAN), static_cast<double>(INFINITY), -1.0, -0.5}) {
        auto wb = exact(w);
        wb[at] = b;
        ok = ok && t.first_bad_weight_f64(wb.data(), n) == static_cast<int64_t>(at) && scalar::first_bad_weight_f64(wb.data(), n) == static_cast<int64_t>(at);
      }
    }
  }
  double zero_ok[] = {0.0, -0.0, 1e300};
  ok = ok && t.first_bad_weight_f64(zero_ok, 3) == kOk;
  check(ok, std::string(isa) + " first_bad_weight_f64: NaN, inf and negatives found; 0, -0 and large weights pass");
}
