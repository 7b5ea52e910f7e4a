// The GLM loss-and-gradient pass written once over a SIMD traits type T (avx2.cc: 4 doubles,
// avx512.cc: 8), included by each tier's file after its traits. One streaming pass: rows go W at a
// time; for each group the W margins are W dot products (a vector accumulator per row over the
// features, reduced to one vector of W margins), the loss and dloss/dm of the W rows are computed
// as one vector — binomial with a vector exp and log1p (below) — and the W rows' x·(w·dloss/dm)
// are added into the gradient while the rows are in L1. The last n % W rows, and the multinomial
// loss, go through the scalar kernel.
//
// exp (x <= 0): k = round(x/ln2), r = x - k·ln2 in two parts (Cody & Waite), exp(r) by its Taylor
// polynomial to degree 13 (|r| <= ln2/2: truncation < 5e-18 relative), times 2^k; 0 below -708.
// log1p (e in [0, 1]): 2·atanh(s) with s = e/(2 + e) <= 1/3, the series to s^35 (truncation
// < 1e-18 relative). Both within a few ulps of the correctly rounded value.
#pragma once
#include <stddef.h>

#include "kindling/kernels/glm.h"

namespace kindling::glm_simd {

template <class T>
inline typename T::V exp_nonpos(typename T::V x) {
  using V = typename T::V;
  const V kd = T::round(T::mul(x, T::set1(1.4426950408889634074)));
  V r = T::fnma(kd, T::set1(6.93147180369123816490e-01), x);
  r = T::fnma(kd, T::set1(1.90821492927058770002e-10), r);
  static constexpr double kInvFact[14] = {1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
                                          1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0};
  V p = T::set1(kInvFact[13]);
  for (int j = 12; j >= 0; --j) p = T::fma(p, r, T::set1(kInvFact[j]));
  return T::select(T::lt(x, T::set1(-708.0)), T::zero(), T::mul(p, T::pow2(kd)));
}

template <class T>
inline typename T::V log1p_unit(typename T::V e) {
  using V = typename T::V;
  const V s = T::div(e, T::add(T::set1(2.0), e));
  const V s2 = T::mul(s, s);
  V q = T::set1(1.0 / 35);
  for (int j = 16; j >= 0; --j) q = T::fma(q, s2, T::set1(1.0 / (2 * j + 1)));
  return T::mul(T::add(s, s), q);
}

// W margins: coef·x_r + b for the W rows starting at row (row-major, d per row).
template <class T>
inline typename T::V margins(const double* rows, size_t d, const double* coef, double b) {
  using V = typename T::V;
  constexpr size_t W = T::W;
  V acc[W];
  for (size_t r = 0; r < W; ++r) acc[r] = T::zero();
  size_t j = 0;
  for (; j + W <= d; j += W) {
    const V c = T::load(coef + j);
    for (size_t r = 0; r < W; ++r) acc[r] = T::fma(c, T::load(rows + r * d + j), acc[r]);
  }
  if (j < d) {
    const auto t = T::tail(d - j);
    const V c = T::load_tail(coef + j, t);
    for (size_t r = 0; r < W; ++r) acc[r] = T::fma(c, T::load_tail(rows + r * d + j, t), acc[r]);
  }
  return T::add(T::reduce_rows(acc), T::set1(b));
}

// grad[0..d) += sum_r mult[r] x_r for the W rows starting at row.
template <class T>
inline void add_rows(double* grad, const double* rows, size_t d, const double* mult) {
  using V = typename T::V;
  constexpr size_t W = T::W;
  size_t j = 0;
  for (; j + W <= d; j += W) {
    V g = T::load(grad + j);
    for (size_t r = 0; r < W; ++r) g = T::fma(T::set1(mult[r]), T::load(rows + r * d + j), g);
    T::store(grad + j, g);
  }
  if (j < d) {
    const auto t = T::tail(d - j);
    V g = T::load_tail(grad + j, t);
    for (size_t r = 0; r < W; ++r) g = T::fma(T::set1(mult[r]), T::load_tail(rows + r * d + j, t), g);
    T::store_tail(grad + j, t, g);
  }
}

template <class T>
void loss_grad(int32_t kind, const double* x, const double* y, const double* w, size_t n, size_t d, size_t k,
               const double* coef, const double* intercept, double* grad, double* sums, double* scratch) {
  using V = typename T::V;
  constexpr size_t W = T::W;
  if (kind == kGlmMultinomial) {
    scalar::glm_loss_grad_f64(kind, x, y, w, n, d, k, coef, intercept, grad, sums, scratch);
    return;
  }
  const V zero = T::zero(), one = T::set1(1.0);
  V loss = zero, wsum = zero, isum = zero;
  alignas(64) double mult[W];
  size_t i = 0;
  for (; i + W <= n; i += W) {
    const double* rows = x + i * d;
    const V m = margins<T>(rows, d, coef, intercept[0]);
    const V yv = T::load(y + i);
    const V wv = w ? T::load(w + i) : one;
    V l, dm;
    if (kind == kGlmBinomial) {
      const V e = exp_nonpos<T>(T::neg(T::abs(m)));
      const V inv = T::div(one, T::add(one, e));
      // MLUtils.log1pExp(m) - y m = max(m, 0) + log1p(exp(-|m|)) - y m; sigmoid(m) from the same e
      l = T::sub(T::add(T::max(zero, m), log1p_unit<T>(e)), T::mul(yv, m));
      dm = T::sub(T::select(T::ge(m, zero), inv, T::mul(e, inv)), yv);
    } else if (kind == kGlmSquared) {
      dm = T::sub(m, yv);
      l = T::mul(T::set1(0.5), T::mul(dm, dm));
    } else {
      const V s = T::sub(T::add(yv, yv), one);
      const V h = T::fnma(s, m, one);
      const auto active = T::gt(h, zero);
      l = T::select(active, h, zero);
      dm = T::select(active, T::neg(s), zero);
    }
    const auto skip = T::eq(wv, zero);
    const V mv = T::select(skip, zero, T::mul(wv, dm));
    loss = T::add(loss, T::select(skip, zero, T::mul(wv, l)));
    wsum = T::add(wsum, wv);
    isum = T::add(isum, mv);
    T::store(mult, mv);
    add_rows<T>(grad, rows, d, mult);
  }
  grad[d] += T::hsum(isum);
  sums[0] += T::hsum(loss);
  sums[1] += T::hsum(wsum);
  if (i < n) scalar::glm_loss_grad_f64(kind, x + i * d, y + i, w ? w + i : nullptr, n - i, d, k, coef, intercept, grad, sums, scratch);
}

template <class T>
void margins_all(const double* x, size_t n, size_t d, const double* coef, const double* intercept, size_t k, double* out) {
  constexpr size_t W = T::W;
  alignas(64) double m[W];
  size_t i = 0;
  for (; i + W <= n; i += W) {
    for (size_t c = 0; c < k; ++c) {
      T::store(m, margins<T>(x + i * d, d, coef + c * d, intercept[c]));
      for (size_t r = 0; r < W; ++r) out[(i + r) * k + c] = m[r];
    }
  }
  if (i < n) scalar::glm_margins_f64(x + i * d, n - i, d, coef, intercept, k, out + i * k);
}

}  // namespace kindling::glm_simd
