// Shifted Gram matrix (gram.h): each tier against the scalar reference on random blocks of every
// test length and several widths (tails of 4- and 8-lane steps), with non-zero starting sums, and
// a hand case; the lower triangle is never written.
#include "check.h"
#include "kindling/kernels/gram.h"

using namespace kindling;

void test_gram(const KernelTable& t, const char* isa, std::mt19937_64& rng) {
  std::normal_distribution<double> nd(3, 2);
  bool ok = true;
  for (size_t d : {1, 2, 3, 4, 5, 7, 8, 9, 13, 17}) {
    for (size_t n : kLengths) {
      std::vector<double> x(n * d), shift(d), g0(d * d), s0(d);
      for (auto& v : x) v = nd(rng);
      for (auto& v : shift) v = nd(rng);
      for (auto& v : g0) v = nd(rng);
      for (auto& v : s0) v = nd(rng);
      auto xx = exact(x), sh = exact(shift);
      auto g_want = exact(g0), s_want = exact(s0), g_got = exact(g0), s_got = exact(s0);
      scalar::gram_add_f64(xx.data(), n, d, sh.data(), g_want.data(), s_want.data());
      t.gram_add_f64(xx.data(), n, d, sh.data(), g_got.data(), s_got.data());
      for (size_t a = 0; a < d; ++a) {
        ok = ok && close(s_got[a], s_want[a], 1e-12, 1e-9);
        for (size_t b = 0; b < d; ++b) {
          if (b < a) ok = ok && g_got[a * d + b] == g0[a * d + b];
          else ok = ok && close(g_got[a * d + b], g_want[a * d + b], 1e-12, 1e-9);
        }
      }
    }
  }
  check(ok, std::string(isa) + " gram_add_f64 == scalar (upper triangle and sums; lower triangle untouched)");
  double x[] = {1, 2, 3, 4, 5, 6};  // 3 rows of d = 2
  double shift[] = {3, 4}, g[4] = {0, 0, 0, 0}, s[2] = {0, 0};
  t.gram_add_f64(x, 3, 2, shift, g, s);
  check(g[0] == 8 && g[1] == 8 && g[2] == 0 && g[3] == 8 && s[0] == 0 && s[1] == 0, std::string(isa) + " gram_add_f64 by hand: centred rows (-2,-2), (0,0), (2,2)");
}
