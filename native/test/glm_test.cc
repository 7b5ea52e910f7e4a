// The GLM loss and gradient (glm.h): each tier against the scalar spec over losses x widths x row
// counts x weights (exact-size buffers, so ASan sees any read or write past a row), the SIMD
// exp/log1p against libm across the whole range of margins (per row, to a few ulps), and hand values.
#include <math.h>

#include "check.h"
#include "kindling/kernels/glm.h"

using namespace kindling;

namespace {

struct Out {
  std::vector<double> grad;
  double sums[2];
};

Out run(GlmLossGradFn f, int32_t kind, const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>* w,
        size_t n, size_t d, size_t k, const std::vector<double>& coef, const std::vector<double>& b) {
  Out o{std::vector<double>(k * d + k), {0, 0}};
  auto xa = exact(x), ya = exact(y), ca = exact(coef), ba = exact(b);
  std::vector<double> wa = w ? exact(*w) : std::vector<double>();
  std::vector<double> scratch(8 * k);
  f(kind, xa.data(), ya.data(), w ? wa.data() : nullptr, n, d, k, ca.data(), ba.data(), o.grad.data(), o.sums, scratch.data());
  return o;
}

}  // namespace

void test_glm(const KernelTable& t, const char* isa, std::mt19937_64& rng) {
  std::normal_distribution<double> g(0, 1);
  bool ok = true;
  std::string why;
  for (int32_t kind : {kGlmBinomial, kGlmMultinomial, kGlmSquared, kGlmHinge}) {
    const size_t k = kind == kGlmMultinomial ? 3 : 1;
    for (size_t d : {0, 1, 3, 4, 5, 8, 9, 20}) {
      for (size_t n : kLengths) {
        for (bool weighted : {false, true}) {
          std::vector<double> x(n * d), y(n), w(n), coef(k * d), b(k);
          for (auto& v : x) v = g(rng);
          for (size_t i = 0; i < n; ++i) {
            y[i] = kind == kGlmSquared ? g(rng) : static_cast<double>(rng() % (kind == kGlmMultinomial ? k : 2));
            w[i] = i % 5 == 2 ? 0.0 : 0.5 + (rng() % 100) / 50.0;
          }
          for (auto& v : coef) v = 2 * g(rng);
          for (auto& v : b) v = g(rng);
          Out want = run(scalar::glm_loss_grad_f64, kind, x, y, weighted ? &w : nullptr, n, d, k, coef, b);
          Out got = run(t.glm_loss_grad_f64, kind, x, y, weighted ? &w : nullptr, n, d, k, coef, b);
          // sums in another order: agree to rounding of a sum of n terms of size ~ the data's
          const double tol = 1e-13 * (1.0 + static_cast<double>(n));
          bool same = close(got.sums[0], want.sums[0], 1e-13, tol) && close(got.sums[1], want.sums[1], 1e-14);
          for (size_t e = 0; e < want.grad.size(); ++e) same = same && close(got.grad[e], want.grad[e], 1e-13, tol);
          if (!same && why.empty()) why = " (first: kind " + std::to_string(kind) + " d " + std::to_string(d) + " n " + std::to_string(n) + ")";
          ok = ok && same;
        }
      }
    }
  }
  check(ok, std::string(isa) + " glm_loss_grad_f64 == scalar to rounding (losses x widths x lengths x weights)" + why);

  // exp / log1p across the range of margins: W = 8 equal rows, so the SIMD path computes each
  bool acc = true;
  std::string bad;
  for (double m : {-800.0, -745.0, -708.5, -700.0, -300.0, -36.0, -20.0, -1.0, -0.3466, -1e-10, 0.0, 1e-12, 0.3466, 0.5, 1.0, 2.5, 20.0, 36.0, 37.0, 50.0, 300.0, 700.0, 745.0, 800.0}) {
    for (double yv : {0.0, 1.0}) {
      std::vector<double> x(8, m), y(8, yv), coef{1.0}, b{0.0};
      Out o = run(t.glm_loss_grad_f64, kGlmBinomial, x, y, nullptr, 8, 1, 1, coef, b);
      const double l = (m > 0 ? m + log1p(exp(-m)) : log1p(exp(m))) - yv * m;
      const double dm = 1.0 / (1.0 + exp(-m)) - yv;
      const bool good = close(o.sums[0], 8 * l, 4e-15, 1e-300) && close(o.grad[1], 8 * dm, 4e-15, 1e-300) && close(o.grad[0], 8 * dm * m, 4e-15, 1e-300);
      if (!good && bad.empty()) bad = " (first: m " + std::to_string(m) + " y " + std::to_string(yv) + ")";
      acc = acc && good;
    }
  }
  check(acc, std::string(isa) + " glm binomial loss and gradient per row within a few ulps of libm's log1p/exp, margins -800..800" + bad);

  // hand values: coef 0, intercept 0 -> binomial loss log 2 per unit weight, gradient sum w (1/2 - y) x
  std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}, y{1, 0, 1, 0, 1, 0, 0, 1, 1}, w{1, 2, 1, 2, 1, 2, 1, 2, 1};
  std::vector<double> c{0, 0}, b{0};
  Out o = run(t.glm_loss_grad_f64, kGlmBinomial, x, y, &w, 9, 2, 1, c, b);
  double g0 = 0, g1 = 0, gi = 0;
  for (size_t i = 0; i < 9; ++i) {
    g0 += w[i] * (0.5 - y[i]) * x[2 * i];
    g1 += w[i] * (0.5 - y[i]) * x[2 * i + 1];
    gi += w[i] * (0.5 - y[i]);
  }
  check(close(o.sums[0], 13 * log(2.0), 1e-15) && o.sums[1] == 13 && o.grad[0] == g0 && o.grad[1] == g1 && o.grad[2] == gi,
        std::string(isa) + " glm binomial hand values at coef 0 (loss 13 log 2)");
  // squared: rows [1, 2] -> 5, [3, 4] -> 0 with coef [1, 1], intercept 1: residuals -1, 8
  std::vector<double> xs{1, 2, 3, 4}, ys{5, 0}, cs{1, 1}, bs{1};
  Out s = run(t.glm_loss_grad_f64, kGlmSquared, xs, ys, nullptr, 2, 2, 1, cs, bs);
  check(s.sums[0] == 0.5 * (1 + 64) && s.grad[0] == -1 + 24 && s.grad[1] == -2 + 32 && s.grad[2] == 7, std::string(isa) + " glm squared hand values");
  // margins
  std::vector<double> xm(9 * 2), cm{1, -1, 2, 0.5}, bm{0.5, -1}, want(18), got(18);
  for (size_t e = 0; e < xm.size(); ++e) xm[e] = static_cast<double>(e) - 4;
  scalar::glm_margins_f64(xm.data(), 9, 2, cm.data(), bm.data(), 2, want.data());
  auto xma = exact(xm);
  t.glm_margins_f64(xma.data(), 9, 2, cm.data(), bm.data(), 2, got.data());
  bool mok = want[0] == 0.5 + (-4) - (-3) && want[1] == -1 + 2 * -4 + 0.5 * -3;
  for (size_t e = 0; e < 18; ++e) mok = mok && close(got[e], want[e], 1e-15);
  check(mok, std::string(isa) + " glm_margins_f64 == scalar, hand values");
}
