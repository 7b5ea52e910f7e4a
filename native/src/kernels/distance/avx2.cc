// Distances and the KMeans assignment step, AVX2 + FMA: vectorised over centres, 4 per ymm, with
// 4 points in flight. Same structure and rounding rules as the AVX-512 tier (direct (x - c)^2
// with FMA in dimension order; lowest index wins ties); masked tails use vmaskmov.
#include <immintrin.h>
#include <math.h>
#include "kindling/types.h"
#include "kindling/kernels/distance.h"

namespace kindling::avx2 {
namespace {

constexpr double kInf = __builtin_inf();

inline __m256i tail_mask(size_t left) {
  const __m256i lane_i64x4 = _mm256_set_epi64x(3, 2, 1, 0);
  long long l = left >= 4 ? 4 : static_cast<long long>(left);
  return _mm256_cmpgt_epi64(_mm256_set1_epi64x(l), lane_i64x4);
}

inline double hmin4(__m256d v) {
  __m128d lo = _mm_min_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_min_sd(lo, _mm_unpackhi_pd(lo, lo)));
}

inline bool inv_norm(const double* xi, size_t d, double* inv) {
  double nrm2 = 0;
  for (size_t dd = 0; dd < d; ++dd) nrm2 += xi[dd] * xi[dd];
  double nrm = sqrt(nrm2);
  if (!(nrm > 0) || !(nrm < kInf)) return false;
  *inv = 1.0 / nrm;
  return true;
}

template <int P, bool kCos>
inline void chunk_dists(const double* const* xs, const double* inv, size_t d, const double* ct,
                        const double* cconst, size_t kpad, size_t c0, __m256d* out) {
  __m256d acc_f64x4[P];
  for (int p = 0; p < P; ++p) acc_f64x4[p] = _mm256_setzero_pd();
  for (size_t dd = 0; dd < d; ++dd) {
    __m256d c_f64x4 = _mm256_loadu_pd(ct + dd * kpad + c0);
    for (int p = 0; p < P; ++p) {
      __m256d x_f64x4 = _mm256_set1_pd(xs[p][dd]);
      if (kCos) {
        acc_f64x4[p] = _mm256_fmadd_pd(x_f64x4, c_f64x4, acc_f64x4[p]);
      } else {
        __m256d diff_f64x4 = _mm256_sub_pd(x_f64x4, c_f64x4);
        acc_f64x4[p] = _mm256_fmadd_pd(diff_f64x4, diff_f64x4, acc_f64x4[p]);
      }
    }
  }
  __m256d cc_f64x4 = _mm256_loadu_pd(cconst + c0);
  const __m256d one_f64x4 = _mm256_set1_pd(1.0);
  for (int p = 0; p < P; ++p) {
    __m256d dist_f64x4 = kCos ? _mm256_sub_pd(one_f64x4, _mm256_mul_pd(acc_f64x4[p], _mm256_set1_pd(inv[p])))
                              : acc_f64x4[p];
    out[p] = _mm256_add_pd(dist_f64x4, cc_f64x4);
  }
}

template <int P, bool kCos>
int64_t pairwise_block(const double* x, size_t i0, size_t d, const double* ct,
                       const double* cconst, size_t k, size_t kpad, double* out) {
  const double* xs[P];
  double inv[P];
  for (int p = 0; p < P; ++p) {
    xs[p] = x + (i0 + p) * d;
    if (kCos && !inv_norm(xs[p], d, &inv[p])) return static_cast<int64_t>(i0 + p);
  }
  __m256d dist_f64x4[P];
  for (size_t c0 = 0; c0 < k; c0 += 4) {
    chunk_dists<P, kCos>(xs, inv, d, ct, cconst, kpad, c0, dist_f64x4);
    __m256i m = tail_mask(k - c0);
    for (int p = 0; p < P; ++p) _mm256_maskstore_pd(out + (i0 + p) * k + c0, m, dist_f64x4[p]);
  }
  return kOk;
}

template <int P, bool kCos>
int64_t assign_block(const double* x, const double* w, size_t i0, size_t d, const double* ct,
                     const double* cconst, size_t k, size_t kpad, double* sums, double* weights,
                     int32_t* labels, double* total) {
  const double* xs[P];
  double inv[P];
  for (int p = 0; p < P; ++p) {
    xs[p] = x + (i0 + p) * d;
    inv[p] = 1.0;
    if (kCos && !inv_norm(xs[p], d, &inv[p])) return static_cast<int64_t>(i0 + p);
  }
  __m256d best_f64x4[P], bidx_f64x4[P], dist_f64x4[P];
  for (int p = 0; p < P; ++p) {
    best_f64x4[p] = _mm256_set1_pd(kInf);
    bidx_f64x4[p] = _mm256_set1_pd(-1.0);
  }
  (void)k;  // padding centres (j >= k) carry +inf in cconst and never win
  const __m256d lane_f64x4 = _mm256_set_pd(3, 2, 1, 0);
  for (size_t c0 = 0; c0 < kpad; c0 += 4) {
    chunk_dists<P, kCos>(xs, inv, d, ct, cconst, kpad, c0, dist_f64x4);
    __m256d idx_f64x4 = _mm256_add_pd(lane_f64x4, _mm256_set1_pd(static_cast<double>(c0)));
    for (int p = 0; p < P; ++p) {
      __m256d lt_f64x4 = _mm256_cmp_pd(dist_f64x4[p], best_f64x4[p], _CMP_LT_OQ);
      best_f64x4[p] = _mm256_blendv_pd(best_f64x4[p], dist_f64x4[p], lt_f64x4);
      bidx_f64x4[p] = _mm256_blendv_pd(bidx_f64x4[p], idx_f64x4, lt_f64x4);
    }
  }
  for (int p = 0; p < P; ++p) {
    // Branch-free argmin: the smallest distance, then the lowest index holding it.
    double best = hmin4(best_f64x4[p]);
    if (!(best < kInf)) return static_cast<int64_t>(i0 + p);
    __m256d eq_f64x4 = _mm256_cmp_pd(best_f64x4[p], _mm256_set1_pd(best), _CMP_EQ_OQ);
    double bj = hmin4(_mm256_blendv_pd(_mm256_set1_pd(kInf), bidx_f64x4[p], eq_f64x4));
    size_t j = static_cast<size_t>(bj);
    double wi = w != nullptr ? w[i0 + p] : 1.0;
    __m256d scale_f64x4 = _mm256_set1_pd(kCos ? wi * inv[p] : wi);
    double* s = sums + j * d;
    for (size_t dd = 0; dd < d; dd += 4) {
      __m256i m = tail_mask(d - dd);
      __m256d s_f64x4 = _mm256_maskload_pd(s + dd, m);
      s_f64x4 = _mm256_fmadd_pd(scale_f64x4, _mm256_maskload_pd(xs[p] + dd, m), s_f64x4);
      _mm256_maskstore_pd(s + dd, m, s_f64x4);
    }
    weights[j] += wi;
    *total += wi * best;
    if (labels != nullptr) labels[i0 + p] = static_cast<int32_t>(j);
  }
  return kOk;
}

template <bool kCos>
int64_t pairwise_impl(const double* x, size_t n, size_t d, const double* ct, const double* cconst,
                      size_t k, size_t kpad, double* out) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    int64_t st = pairwise_block<4, kCos>(x, i, d, ct, cconst, k, kpad, out);
    if (st != kOk) return st;
  }
  for (; i < n; ++i) {
    int64_t st = pairwise_block<1, kCos>(x, i, d, ct, cconst, k, kpad, out);
    if (st != kOk) return st;
  }
  return kOk;
}

template <bool kCos>
int64_t assign_impl(const double* x, const double* w, size_t n, size_t d, const double* ct,
                    const double* cconst, size_t k, size_t kpad, double* sums, double* weights,
                    int32_t* labels, double* cost) {
  double total = *cost;
  int64_t st = kOk;
  size_t i = 0;
  for (; st == kOk && i + 4 <= n; i += 4) {
    st = assign_block<4, kCos>(x, w, i, d, ct, cconst, k, kpad, sums, weights, labels, &total);
  }
  for (; st == kOk && i < n; ++i) {
    st = assign_block<1, kCos>(x, w, i, d, ct, cconst, k, kpad, sums, weights, labels, &total);
  }
  *cost = total;
  return st;
}

}  // namespace

int64_t pairwise_f64(const double* x, size_t n, size_t d, const double* ct, const double* cconst,
                     size_t k, size_t kpad, Measure m, double* out) {
  return m == Measure::kCosine ? pairwise_impl<true>(x, n, d, ct, cconst, k, kpad, out)
                               : pairwise_impl<false>(x, n, d, ct, cconst, k, kpad, out);
}

int64_t kmeans_assign_f64(const double* x, const double* w, size_t n, size_t d, const double* ct,
                          const double* cconst, size_t k, size_t kpad, Measure m, double* sums,
                          double* weights, int32_t* labels, double* cost) {
  return m == Measure::kCosine
             ? assign_impl<true>(x, w, n, d, ct, cconst, k, kpad, sums, weights, labels, cost)
             : assign_impl<false>(x, w, n, d, ct, cconst, k, kpad, sums, weights, labels, cost);
}

}  // namespace kindling::avx2
