// Distances and the KMeans assignment step, AVX-512 (F/DQ/VL): vectorised over centres, 8 per
// zmm, with 4 points in flight (4 independent FMA chains per centre chunk hide FMA latency).
// Centres arrive transposed (d x kpad), so each dimension of a chunk is one unaligned load and a
// broadcast of the point's coordinate. Squared Euclidean is the direct sum of (x - c)^2 in
// dimension order, as the scalar reference, but with fused multiply-adds (differences <= a few
// ulp per term). Argmin keeps the lowest index among equal distances.
#include <immintrin.h>
#include <math.h>
#include "kindling/types.h"
#include "kindling/kernels/distance.h"

namespace kindling::avx512 {
namespace {

constexpr double kInf = __builtin_inf();

inline __mmask8 tail_mask(size_t left) {
  return left >= 8 ? static_cast<__mmask8>(0xFF) : static_cast<__mmask8>((1u << left) - 1);
}

// Norm check and 1/|x| for cosine; false when the row cannot be used.
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
                        const double* cconst, size_t kpad, size_t c0, __m512d* out) {
  __m512d acc_f64x8[P];
  for (int p = 0; p < P; ++p) acc_f64x8[p] = _mm512_setzero_pd();
  for (size_t dd = 0; dd < d; ++dd) {
    __m512d c_f64x8 = _mm512_loadu_pd(ct + dd * kpad + c0);
    for (int p = 0; p < P; ++p) {
      __m512d x_f64x8 = _mm512_set1_pd(xs[p][dd]);
      if (kCos) {
        acc_f64x8[p] = _mm512_fmadd_pd(x_f64x8, c_f64x8, acc_f64x8[p]);
      } else {
        __m512d diff_f64x8 = _mm512_sub_pd(x_f64x8, c_f64x8);
        acc_f64x8[p] = _mm512_fmadd_pd(diff_f64x8, diff_f64x8, acc_f64x8[p]);
      }
    }
  }
  __m512d cc_f64x8 = _mm512_loadu_pd(cconst + c0);
  const __m512d one_f64x8 = _mm512_set1_pd(1.0);
  for (int p = 0; p < P; ++p) {
    __m512d dist_f64x8 = kCos ? _mm512_sub_pd(one_f64x8, _mm512_mul_pd(acc_f64x8[p], _mm512_set1_pd(inv[p])))
                              : acc_f64x8[p];
    out[p] = _mm512_add_pd(dist_f64x8, cc_f64x8);
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
  __m512d dist_f64x8[P];
  for (size_t c0 = 0; c0 < k; c0 += 8) {
    chunk_dists<P, kCos>(xs, inv, d, ct, cconst, kpad, c0, dist_f64x8);
    __mmask8 m = tail_mask(k - c0);
    for (int p = 0; p < P; ++p) _mm512_mask_storeu_pd(out + (i0 + p) * k + c0, m, dist_f64x8[p]);
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
  __m512d best_f64x8[P], bidx_f64x8[P], dist_f64x8[P];
  for (int p = 0; p < P; ++p) {
    best_f64x8[p] = _mm512_set1_pd(kInf);
    bidx_f64x8[p] = _mm512_set1_pd(-1.0);
  }
  (void)k;  // padding centres (j >= k) carry +inf in cconst and never win
  const __m512d lane_f64x8 = _mm512_set_pd(7, 6, 5, 4, 3, 2, 1, 0);
  for (size_t c0 = 0; c0 < kpad; c0 += 8) {
    chunk_dists<P, kCos>(xs, inv, d, ct, cconst, kpad, c0, dist_f64x8);
    __m512d idx_f64x8 = _mm512_add_pd(lane_f64x8, _mm512_set1_pd(static_cast<double>(c0)));
    for (int p = 0; p < P; ++p) {
      __mmask8 lt = _mm512_cmp_pd_mask(dist_f64x8[p], best_f64x8[p], _CMP_LT_OQ);
      best_f64x8[p] = _mm512_mask_mov_pd(best_f64x8[p], lt, dist_f64x8[p]);
      bidx_f64x8[p] = _mm512_mask_mov_pd(bidx_f64x8[p], lt, idx_f64x8);
    }
  }
  for (int p = 0; p < P; ++p) {
    // Branch-free argmin: the smallest distance, then the lowest index holding it.
    double best = _mm512_reduce_min_pd(best_f64x8[p]);
    if (!(best < kInf)) return static_cast<int64_t>(i0 + p);
    __mmask8 eq = _mm512_cmp_pd_mask(best_f64x8[p], _mm512_set1_pd(best), _CMP_EQ_OQ);
    double bj = _mm512_mask_reduce_min_pd(eq, bidx_f64x8[p]);
    size_t j = static_cast<size_t>(bj);
    double wi = w != nullptr ? w[i0 + p] : 1.0;
    __m512d scale_f64x8 = _mm512_set1_pd(kCos ? wi * inv[p] : wi);
    double* s = sums + j * d;
    for (size_t dd = 0; dd < d; dd += 8) {
      __mmask8 m = tail_mask(d - dd);
      __m512d s_f64x8 = _mm512_maskz_loadu_pd(m, s + dd);
      s_f64x8 = _mm512_fmadd_pd(scale_f64x8, _mm512_maskz_loadu_pd(m, xs[p] + dd), s_f64x8);
      _mm512_mask_storeu_pd(s + dd, m, s_f64x8);
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

}  // namespace kindling::avx512
