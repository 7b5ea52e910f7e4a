// GLM loss and gradient, scalar: the spec, row by row in the JS twin's order (ts/src/kernels/
// glm.ts): margins, the row's loss and dloss/dm (binomial through MLUtils.log1pExp and the
// sigmoid, multinomial through a max-shifted log-sum-exp), then the weighted gradient.
#include <math.h>

#include "kindling/kernels/glm.h"

namespace kindling::scalar {

namespace {

inline double log1p_exp(double m) { return m > 0 ? m + log1p(exp(-m)) : log1p(exp(m)); }

inline double margin(const double* row, const double* c, size_t d, double b) {
  double s = b;
  for (size_t j = 0; j < d; ++j) s += c[j] * row[j];
  return s;
}

inline void add_row(double* g, const double* row, size_t d, double mult) {
  for (size_t j = 0; j < d; ++j) g[j] += mult * row[j];
}

}  // namespace

void glm_loss_grad_f64(int32_t kind, const double* x, const double* y, const double* w, size_t n, size_t d,
                       size_t k, const double* coef, const double* intercept, double* grad, double* sums,
                       double* scratch) {
  double loss = 0, wsum = 0;
  double* ig = grad + k * d;
  for (size_t i = 0; i < n; ++i) {
    const double wi = w ? w[i] : 1.0;
    wsum += wi;
    if (wi == 0) continue;
    const double* row = x + i * d;
    const double yi = y[i];
    if (kind == kGlmMultinomial) {
      double mx = -INFINITY;
      for (size_t c = 0; c < k; ++c) {
        scratch[c] = margin(row, coef + c * d, d, intercept[c]);
        if (scratch[c] > mx) mx = scratch[c];
      }
      const size_t label = static_cast<size_t>(yi);
      const double my = scratch[label];
      double sum = 0;
      for (size_t c = 0; c < k; ++c) {
        scratch[c] = exp(scratch[c] - mx);
        sum += scratch[c];
      }
      loss += wi * (log(sum) + mx - my);
      for (size_t c = 0; c < k; ++c) {
        const double mult = wi * (scratch[c] / sum - (c == label ? 1.0 : 0.0));
        if (mult == 0) continue;
        add_row(grad + c * d, row, d, mult);
        ig[c] += mult;
      }
      continue;
    }
    const double m = margin(row, coef, d, intercept[0]);
    double l, dm;
    if (kind == kGlmBinomial) {
      l = log1p_exp(m) - yi * m;
      dm = 1.0 / (1.0 + exp(-m)) - yi;
    } else if (kind == kGlmSquared) {
      const double r = m - yi;
      l = 0.5 * r * r;
      dm = r;
    } else {
      const double s = 2 * yi - 1;
      const double h = 1 - s * m;
      l = h > 0 ? h : 0;
      dm = h > 0 ? -s : 0;
    }
    loss += wi * l;
    const double mult = wi * dm;
    if (mult == 0) continue;
    add_row(grad, row, d, mult);
    ig[0] += mult;
  }
  sums[0] += loss;
  sums[1] += wsum;
}

void glm_margins_f64(const double* x, size_t n, size_t d, const double* coef, const double* intercept, size_t k,
                     double* out) {
  for (size_t i = 0; i < n; ++i) {
    for (size_t c = 0; c < k; ++c) out[i * k + c] = margin(x + i * d, coef + c * d, d, intercept[c]);
  }
}

}  // namespace kindling::scalar
