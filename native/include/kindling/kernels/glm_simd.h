// Internal to the SIMD tiers of the GLM kernel (native/src/kernels/glm/avx2.cc, avx512.cc), not an
// API: kept under native/include so that the C++ test build sees its changes.
// The GLM loss-and-gradient pass written once over a SIMD traits type T (avx2.cc: 4 doubles,
// avx512.cc: 8), included by each tier's file after its traits. One streaming pass over blocks of
// U·W rows (T::kGroups groups of W): the margins of each group are W dot products (a 256-bit
// accumulator per row over the features, four rows reduced at a time); the U vectors of
// losses and dloss/dm are then computed together — binomial with a vector exp and log1p (below),
// each polynomial step over all U vectors so that their latency chains overlap (one group alone is
// latency-bound: ~200 cycles of dependent FMAs and divisions for W rows); and the block's rows'
// x·(w·dloss/dm) are added into the gradient while they are in L1. Leftover groups go one at a
// time; the last n % W rows go through the scalar kernel. The multinomial loss goes W rows at a
// time (multinomial_group).
//
// exp (x <= 0): k = round(x/ln2), r = x - k·ln2 in two parts (Cody & Waite), exp(r) by its Taylor
// polynomial to degree 13 (|r| <= ln2/2: truncation < 5e-18 relative), times 2^k; 0 below -708.
// log1p (e in [0, 1]): 2·atanh(s) with s = e/(2 + e) <= 1/3, the series to s^35 (truncation
// < 1e-18 relative). Both within a few ulps of the correctly rounded value.
#pragma once
#include <immintrin.h>
#include <math.h>
#include <stddef.h>

#include "kindling/kernels/glm.h"

// Loops over the U vectors, the W rows and the polynomial's terms are unrolled completely, so that
// the vectors live in registers and their chains interleave (without it GCC keeps them on the stack).
#if defined(__clang__)
#define KINDLING_GLM_UNROLL _Pragma("unroll")
#else
#define KINDLING_GLM_UNROLL _Pragma("GCC unroll 64")
#endif

namespace kindling::glm_simd {
namespace {  // internal to each tier's file, compiled with that tier's flags

// The features of a row go four at a time in 256-bit vectors on every tier, and margins are
// computed four rows at a time (AVX-512 joins two such quads): 512-bit feature loads, or eight
// rows' accumulators at once, ran the AVX-512 pass 1.6x slower than AVX2 on 1M x 20 (Zen 4). A
// row's last partial group goes through vmaskmovpd, so no read passes the row.
struct Feat {
  static constexpr size_t FW = 4;
  using F = __m256d;
  static F zero() { return _mm256_setzero_pd(); }
  static F set1(double v) { return _mm256_set1_pd(v); }
  static F load(const double* p) { return _mm256_loadu_pd(p); }
  static void store(double* p, F v) { _mm256_storeu_pd(p, v); }
  static __m256i tail(size_t left) {
    const long long k = -1;
    return _mm256_set_epi64x(left > 3 ? k : 0, left > 2 ? k : 0, left > 1 ? k : 0, k);
  }
  static F load_tail(const double* p, __m256i t) { return _mm256_maskload_pd(p, t); }
  static void store_tail(double* p, __m256i t, F v) { _mm256_maskstore_pd(p, t, v); }
  static F fma(F a, F b, F c) { return _mm256_fmadd_pd(a, b, c); }
  static F add(F a, F b) { return _mm256_add_pd(a, b); }
  // [sum a0, sum a1, sum a2, sum a3]
  static F reduce4(const F* a) {
    const F t0 = _mm256_hadd_pd(a[0], a[1]);
    const F t1 = _mm256_hadd_pd(a[2], a[3]);
    return _mm256_add_pd(_mm256_permute2f128_pd(t0, t1, 0x20), _mm256_permute2f128_pd(t0, t1, 0x31));
  }
};

}  // namespace

// exp of U vectors at once (x <= 0), each step over all U so that their chains interleave.
template <class T, size_t U>
inline void exp_nonpos(typename T::V* x) {
  using V = typename T::V;
  static constexpr double kInvFact[14] = {1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
                                          1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0};
  V kd[U], r[U], p[U];
  KINDLING_GLM_UNROLL
  for (size_t u = 0; u < U; ++u) {
    kd[u] = T::round(T::mul(x[u], T::set1(1.4426950408889634074)));
    r[u] = T::fnma(kd[u], T::set1(1.90821492927058770002e-10), T::fnma(kd[u], T::set1(6.93147180369123816490e-01), x[u]));
    p[u] = T::set1(kInvFact[13]);
  }
  KINDLING_GLM_UNROLL
  for (int j = 12; j >= 0; --j) {
    const V c = T::set1(kInvFact[j]);
    KINDLING_GLM_UNROLL
    for (size_t u = 0; u < U; ++u) p[u] = T::fma(p[u], r[u], c);
  }
  KINDLING_GLM_UNROLL
  for (size_t u = 0; u < U; ++u) x[u] = T::select(T::lt(x[u], T::set1(-708.0)), T::zero(), T::mul(p[u], T::pow2(kd[u])));
}

// log1p of U vectors at once (e in [0, 1]).
template <class T, size_t U>
inline void log1p_unit(const typename T::V* e, typename T::V* out) {
  using V = typename T::V;
  V s[U], s2[U], q[U];
  KINDLING_GLM_UNROLL
  for (size_t u = 0; u < U; ++u) {
    s[u] = T::div(e[u], T::add(T::set1(2.0), e[u]));
    s2[u] = T::mul(s[u], s[u]);
    q[u] = T::set1(1.0 / 35);
  }
  KINDLING_GLM_UNROLL
  for (int j = 16; j >= 0; --j) {
    const V c = T::set1(1.0 / (2 * j + 1));
    KINDLING_GLM_UNROLL
    for (size_t u = 0; u < U; ++u) q[u] = T::fma(q[u], s2[u], c);
  }
  KINDLING_GLM_UNROLL
  for (size_t u = 0; u < U; ++u) out[u] = T::mul(T::add(s[u], s[u]), q[u]);
}

// W margins: coef·x_r + b for the W rows starting at rows (row-major, d per row), four rows at a
// time (a 256-bit accumulator per row over the features, reduced to the four rows' margins).
template <class T>
inline typename T::V margins(const double* rows, size_t d, const double* coef, double b) {
  using F = Feat::F;
  constexpr size_t W = T::W;
  constexpr size_t FW = Feat::FW;
  F quads[W / 4];
  KINDLING_GLM_UNROLL
  for (size_t h = 0; h < W / 4; ++h) {
    const double* r4 = rows + h * 4 * d;
    F acc[4];
    KINDLING_GLM_UNROLL
    for (size_t r = 0; r < 4; ++r) acc[r] = Feat::zero();
    size_t j = 0;
    for (; j + FW <= d; j += FW) {
      const F c = Feat::load(coef + j);
      KINDLING_GLM_UNROLL
      for (size_t r = 0; r < 4; ++r) acc[r] = Feat::fma(c, Feat::load(r4 + r * d + j), acc[r]);
    }
    if (j < d) {
      const auto t = Feat::tail(d - j);
      const F c = Feat::load_tail(coef + j, t);
      KINDLING_GLM_UNROLL
      for (size_t r = 0; r < 4; ++r) acc[r] = Feat::fma(c, Feat::load_tail(r4 + r * d + j, t), acc[r]);
    }
    quads[h] = Feat::reduce4(acc);
  }
  return T::add(T::from_quads(quads), T::set1(b));
}

// grad[j, j + P·FW) += sum_r mult[r] x_r[j, j + P·FW) over the R rows at rows (the last group
// masked by t when kTail): P groups of features in registers, two chains (even and odd rows) each,
// one broadcast of mult[r] per row and panel.
template <size_t R, size_t P, bool kTail>
inline void add_panel(double* grad, const double* rows, size_t d, const double* mult, size_t j, __m256i t) {
  using F = Feat::F;
  constexpr size_t FW = Feat::FW;
  F a[P], b[P];
  KINDLING_GLM_UNROLL
  for (size_t c = 0; c < P; ++c) {
    a[c] = kTail && c == P - 1 ? Feat::load_tail(grad + j + c * FW, t) : Feat::load(grad + j + c * FW);
    b[c] = Feat::zero();
  }
  KINDLING_GLM_UNROLL
  for (size_t r = 0; r < R; r += 2) {
    const F m0 = Feat::set1(mult[r]), m1 = Feat::set1(mult[r + 1]);
    const double* x0 = rows + r * d + j;
    const double* x1 = x0 + d;
    KINDLING_GLM_UNROLL
    for (size_t c = 0; c < P; ++c) {
      const bool last = kTail && c == P - 1;
      a[c] = Feat::fma(m0, last ? Feat::load_tail(x0 + c * FW, t) : Feat::load(x0 + c * FW), a[c]);
      b[c] = Feat::fma(m1, last ? Feat::load_tail(x1 + c * FW, t) : Feat::load(x1 + c * FW), b[c]);
    }
  }
  KINDLING_GLM_UNROLL
  for (size_t c = 0; c < P; ++c) {
    if (kTail && c == P - 1) Feat::store_tail(grad + j + c * FW, t, Feat::add(a[c], b[c]));
    else Feat::store(grad + j + c * FW, Feat::add(a[c], b[c]));
  }
}

// grad[0..d) += sum_r mult[r] x_r over the R rows at rows, in panels of up to six groups of four
// features (12 chains: enough to keep both FMA pipes busy; d = 20 is one panel of five, where a
// panel of four and one of one left the last chain latency-bound), the row's last partial group
// masked in the last panel.
template <size_t R, size_t P>
inline void add_last_panel(double* grad, const double* rows, size_t d, const double* mult, size_t j) {
  constexpr size_t FW = Feat::FW;
  if ((d - j) % FW == 0) add_panel<R, P, false>(grad, rows, d, mult, j, _mm256_setzero_si256());
  else add_panel<R, P, true>(grad, rows, d, mult, j, Feat::tail((d - j) % FW));
}

template <size_t R>
inline void add_rows(double* grad, const double* rows, size_t d, const double* mult) {
  constexpr size_t FW = Feat::FW;
  size_t j = 0;
  for (; d - j > 6 * FW; j += 6 * FW) add_panel<R, 6, false>(grad, rows, d, mult, j, _mm256_setzero_si256());
  switch ((d - j + FW - 1) / FW) {
    case 6: add_last_panel<R, 6>(grad, rows, d, mult, j); break;
    case 5: add_last_panel<R, 5>(grad, rows, d, mult, j); break;
    case 4: add_last_panel<R, 4>(grad, rows, d, mult, j); break;
    case 3: add_last_panel<R, 3>(grad, rows, d, mult, j); break;
    case 2: add_last_panel<R, 2>(grad, rows, d, mult, j); break;
    case 1: add_last_panel<R, 1>(grad, rows, d, mult, j); break;
    default: break;  // d = 0
  }
}

// Accumulators of a pass: Σ w·loss, Σ w, Σ w·dloss/dm (the intercept's gradient), per lane.
template <class T>
struct Acc {
  typename T::V loss, wsum, isum;
};

// U groups of W rows (R = U·W rows from row i): margins, then the U vectors of losses and
// multipliers together, then the gradient.
template <class T, size_t U>
inline void rows_block(int32_t kind, const double* x, const double* y, const double* w, size_t i, size_t d,
                       const double* coef, double b, double* grad, Acc<T>& acc) {
  using V = typename T::V;
  constexpr size_t W = T::W;
  const double* rows = x + i * d;
  const V zero = T::zero(), one = T::set1(1.0);
  V m[U], l[U], dm[U];
  KINDLING_GLM_UNROLL
  for (size_t u = 0; u < U; ++u) m[u] = margins<T>(rows + u * W * d, d, coef, b);
  if (kind == kGlmBinomial) {
    // MLUtils.log1pExp(m) - y m = max(m, 0) + log1p(exp(-|m|)) - y m; sigmoid(m) from the same e
    V e[U], lp[U];
    KINDLING_GLM_UNROLL
    for (size_t u = 0; u < U; ++u) e[u] = T::neg(T::abs(m[u]));
    exp_nonpos<T, U>(e);
    log1p_unit<T, U>(e, lp);
    KINDLING_GLM_UNROLL
    for (size_t u = 0; u < U; ++u) {
      const V yv = T::load(y + i + u * W);
      const V inv = T::div(one, T::add(one, e[u]));
      l[u] = T::sub(T::add(T::max(zero, m[u]), lp[u]), T::mul(yv, m[u]));
      dm[u] = T::sub(T::select(T::ge(m[u], zero), inv, T::mul(e[u], inv)), yv);
    }
  } else if (kind == kGlmSquared) {
    KINDLING_GLM_UNROLL
    for (size_t u = 0; u < U; ++u) {
      dm[u] = T::sub(m[u], T::load(y + i + u * W));
      l[u] = T::mul(T::set1(0.5), T::mul(dm[u], dm[u]));
    }
  } else {
    KINDLING_GLM_UNROLL
    for (size_t u = 0; u < U; ++u) {
      const V yv = T::load(y + i + u * W);
      const V s = T::sub(T::add(yv, yv), one);
      const V h = T::fnma(s, m[u], one);
      const auto active = T::gt(h, zero);
      l[u] = T::select(active, h, zero);
      dm[u] = T::select(active, T::neg(s), zero);
    }
  }
  alignas(64) double mult[U * W];
  KINDLING_GLM_UNROLL
  for (size_t u = 0; u < U; ++u) {
    const V wv = w ? T::load(w + i + u * W) : one;
    const auto skip = T::eq(wv, zero);
    const V mv = T::select(skip, zero, T::mul(wv, dm[u]));
    acc.loss = T::add(acc.loss, T::select(skip, zero, T::mul(wv, l[u])));
    acc.wsum = T::add(acc.wsum, wv);
    acc.isum = T::add(acc.isum, mv);
    T::store(mult + u * W, mv);
  }
  // the gradient broadcasts each row's multiplier from memory: without this barrier the compiler
  // forwards the stores through lane permutes of the vectors (on AVX-512, 512-bit permutes: 1.6x slower)
#if defined(__GNUC__)
  __asm__ __volatile__("" : : : "memory");
#endif
  add_rows<U * W>(grad, rows, d, mult);
}

// W rows of the multinomial loss: per class the W margins (kept in scratch, k·W doubles), their
// max per row, exp(m_c - max) by the vector exp and the sum over classes, log(sum) per row (libm),
// the loss log(sum) + max - m_y, then per class the multipliers w·(softmax_c - [y = c]) added into
// that class's gradient and intercept.
template <class T>
inline void multinomial_group(const double* x, const double* y, const double* w, size_t i, size_t d, size_t k,
                              const double* coef, const double* intercept, double* grad, double* scratch, Acc<T>& acc) {
  using V = typename T::V;
  constexpr size_t W = T::W;
  const double* rows = x + i * d;
  const V zero = T::zero();
  V mx = T::set1(-__builtin_inf());
  for (size_t c = 0; c < k; ++c) {
    const V m = margins<T>(rows, d, coef + c * d, intercept[c]);
    T::store(scratch + c * W, m);
    mx = T::max(m, mx);
  }
  const V yv = T::load(y + i);
  const V wv = w ? T::load(w + i) : T::set1(1.0);
  V sum = zero, my = zero;
  for (size_t c = 0; c < k; ++c) {
    const V m = T::load(scratch + c * W);
    V e = T::sub(m, mx);
    exp_nonpos<T, 1>(&e);
    T::store(scratch + c * W, e);
    sum = T::add(sum, e);
    my = T::select(T::eq(yv, T::set1(static_cast<double>(c))), m, my);
  }
  alignas(64) double lg[W];
  T::store(lg, sum);
  KINDLING_GLM_UNROLL
  for (size_t r = 0; r < W; ++r) lg[r] = log(lg[r]);
  const auto skip = T::eq(wv, zero);
  acc.loss = T::add(acc.loss, T::select(skip, zero, T::mul(wv, T::sub(T::add(T::load(lg), mx), my))));
  acc.wsum = T::add(acc.wsum, wv);
  const V scale = T::div(wv, sum);
  double* ig = grad + k * d;
  for (size_t c = 0; c < k; ++c) {
    const V e = T::load(scratch + c * W);
    const V mult = T::select(skip, zero, T::sub(T::mul(e, scale), T::select(T::eq(yv, T::set1(static_cast<double>(c))), wv, zero)));
    T::store(scratch + c * W, mult);
    ig[c] += T::hsum(mult);
  }
#if defined(__GNUC__)
  __asm__ __volatile__("" : : : "memory");
#endif
  for (size_t c = 0; c < k; ++c) add_rows<W>(grad + c * d, rows, d, scratch + c * W);
}

template <class T>
void loss_grad(int32_t kind, const double* x, const double* y, const double* w, size_t n, size_t d, size_t k,
               const double* coef, const double* intercept, double* grad, double* sums, double* scratch) {
  constexpr size_t W = T::W;
  constexpr size_t U = T::kGroups;
  Acc<T> acc{T::zero(), T::zero(), T::zero()};
  size_t i = 0;
  if (kind == kGlmMultinomial) {
    for (; i + W <= n; i += W) multinomial_group<T>(x, y, w, i, d, k, coef, intercept, grad, scratch, acc);
    sums[0] += T::hsum(acc.loss);
    sums[1] += T::hsum(acc.wsum);
    if (i < n) scalar::glm_loss_grad_f64(kind, x + i * d, y + i, w ? w + i : nullptr, n - i, d, k, coef, intercept, grad, sums, scratch);
    return;
  }
  // (software prefetch of the block after next was tried: 40% slower on 1M x 20 than the hardware prefetcher alone)
  for (; i + U * W <= n; i += U * W) rows_block<T, U>(kind, x, y, w, i, d, coef, intercept[0], grad, acc);
  for (; i + W <= n; i += W) rows_block<T, 1>(kind, x, y, w, i, d, coef, intercept[0], grad, acc);
  grad[d] += T::hsum(acc.isum);
  sums[0] += T::hsum(acc.loss);
  sums[1] += T::hsum(acc.wsum);
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
      KINDLING_GLM_UNROLL
      for (size_t r = 0; r < W; ++r) out[(i + r) * k + c] = m[r];
    }
  }
  if (i < n) scalar::glm_margins_f64(x + i * d, n - i, d, coef, intercept, k, out + i * k);
}

}  // namespace kindling::glm_simd
