// Column statistics and the affine map, AVX2: features go four to a 256-bit lane group (the
// last group of a row through vmaskmovpd, so no read passes the row; the affine map takes a row's
// last partial group one feature at a time), and each lane
// folds its feature over the block's rows in the scalar kernel's order: the same sums, the same
// division by the block's row count, the same squared deviations, min/max by vminpd/vmaxpd
// (which, like the scalar `v < min`, keep the running value when v is NaN), nnz by an
// unordered not-equal compare. No FMA (contraction is
// off), so results equal the scalar kernel's bit for bit.
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/colstats.h"

// No fused multiply-adds: the results must equal the scalar spec's roundings.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace kindling::avx2 {

static __m256i lane_mask(size_t left) {
  const long long k = -1;
  return _mm256_set_epi64x(left > 3 ? k : 0, left > 2 ? k : 0, left > 1 ? k : 0, k);
}

// Four features of a row: a plain load for a full group (vmaskmovpd is slower on some cores),
// a masked one for the row's last, partial group.
template <bool kFull>
static inline __m256d load4(const double* p, __m256i mask_i64x4) {
  if (kFull) return _mm256_loadu_pd(p);
  return _mm256_maskload_pd(p, mask_i64x4);
}

// One group of four features over the block's rows [start, end): block mean, M2, min, max, nnz.
template <bool kFull>
static void block_group(const double* x, size_t start, size_t end, size_t d, size_t j0, __m256i mask_i64x4, __m256d m_f64x4,
                        __m256d* out_f64x4) {
  const __m256d zero_f64x4 = _mm256_setzero_pd();
  const __m256d one_f64x4 = _mm256_set1_pd(1.0);
  // four partial sums (and nnz counts) by row (row - start) % 4, as the scalar kernel: rows four
  // at a time into four independent chains, the last 0-3 rows into chains 0, 1, 2
  __m256d s0_f64x4 = zero_f64x4, s1_f64x4 = zero_f64x4, s2_f64x4 = zero_f64x4, s3_f64x4 = zero_f64x4;
  __m256d c0_f64x4 = zero_f64x4, c1_f64x4 = zero_f64x4, c2_f64x4 = zero_f64x4, c3_f64x4 = zero_f64x4;
  __m256d min_f64x4 = _mm256_set1_pd(__DBL_MAX__);
  __m256d max_f64x4 = _mm256_set1_pd(-__DBL_MAX__);
#define KINDLING_COLSTATS_ROW(S, C, ROW)                                                                          \
  {                                                                                                              \
    const __m256d v_f64x4 = load4<kFull>(x + (ROW) * d + j0, mask_i64x4);                                        \
    S = _mm256_add_pd(S, v_f64x4);                                                                               \
    min_f64x4 = _mm256_min_pd(v_f64x4, min_f64x4);                                                               \
    max_f64x4 = _mm256_max_pd(v_f64x4, max_f64x4);                                                               \
    C = _mm256_add_pd(C, _mm256_and_pd(_mm256_cmp_pd(v_f64x4, zero_f64x4, _CMP_NEQ_UQ), one_f64x4));             \
  }
  size_t i = start;
  for (; i + 4 <= end; i += 4) {
    KINDLING_COLSTATS_ROW(s0_f64x4, c0_f64x4, i)
    KINDLING_COLSTATS_ROW(s1_f64x4, c1_f64x4, i + 1)
    KINDLING_COLSTATS_ROW(s2_f64x4, c2_f64x4, i + 2)
    KINDLING_COLSTATS_ROW(s3_f64x4, c3_f64x4, i + 3)
  }
  if (i < end) KINDLING_COLSTATS_ROW(s0_f64x4, c0_f64x4, i)
  if (i + 1 < end) KINDLING_COLSTATS_ROW(s1_f64x4, c1_f64x4, i + 1)
  if (i + 2 < end) KINDLING_COLSTATS_ROW(s2_f64x4, c2_f64x4, i + 2)
#undef KINDLING_COLSTATS_ROW
  const __m256d mean_f64x4 = _mm256_div_pd(_mm256_add_pd(_mm256_add_pd(s0_f64x4, s1_f64x4), _mm256_add_pd(s2_f64x4, s3_f64x4)), m_f64x4);
  const __m256d nnz_all_f64x4 = _mm256_add_pd(_mm256_add_pd(c0_f64x4, c1_f64x4), _mm256_add_pd(c2_f64x4, c3_f64x4));
  __m256d q0_f64x4 = zero_f64x4, q1_f64x4 = zero_f64x4, q2_f64x4 = zero_f64x4, q3_f64x4 = zero_f64x4;
#define KINDLING_COLSTATS_DEV(Q, ROW)                                                                             \
  {                                                                                                              \
    const __m256d dev_f64x4 = _mm256_sub_pd(load4<kFull>(x + (ROW) * d + j0, mask_i64x4), mean_f64x4);           \
    Q = _mm256_add_pd(Q, _mm256_mul_pd(dev_f64x4, dev_f64x4));                                                   \
  }
  i = start;
  for (; i + 4 <= end; i += 4) {
    KINDLING_COLSTATS_DEV(q0_f64x4, i)
    KINDLING_COLSTATS_DEV(q1_f64x4, i + 1)
    KINDLING_COLSTATS_DEV(q2_f64x4, i + 2)
    KINDLING_COLSTATS_DEV(q3_f64x4, i + 3)
  }
  if (i < end) KINDLING_COLSTATS_DEV(q0_f64x4, i)
  if (i + 1 < end) KINDLING_COLSTATS_DEV(q1_f64x4, i + 1)
  if (i + 2 < end) KINDLING_COLSTATS_DEV(q2_f64x4, i + 2)
#undef KINDLING_COLSTATS_DEV
  const __m256d m2_f64x4 = _mm256_add_pd(_mm256_add_pd(q0_f64x4, q1_f64x4), _mm256_add_pd(q2_f64x4, q3_f64x4));
  out_f64x4[0] = mean_f64x4;
  out_f64x4[1] = m2_f64x4;
  out_f64x4[2] = min_f64x4;
  out_f64x4[3] = max_f64x4;
  out_f64x4[4] = nnz_all_f64x4;
}

void colstats_f64(const double* x, size_t n, size_t d, double* out, double* scratch) {
  double* bmean = scratch;
  double* bm2 = bmean + d;
  double* bmn = bm2 + d;
  double* bmx = bmn + d;
  double* bnnz = bmx + d;
  colstats_init(out, d);
  for (size_t start = 0; start < n; start += kColStatsBlock) {
    const size_t end = start + kColStatsBlock < n ? start + kColStatsBlock : n;
    const double m = static_cast<double>(end - start);
    const __m256d m_f64x4 = _mm256_set1_pd(m);
    for (size_t j0 = 0; j0 < d; j0 += 4) {
      const __m256i mask_i64x4 = lane_mask(d - j0);
      __m256d r_f64x4[5];
      if (d - j0 >= 4) block_group<true>(x, start, end, d, j0, mask_i64x4, m_f64x4, r_f64x4);
      else block_group<false>(x, start, end, d, j0, mask_i64x4, m_f64x4, r_f64x4);
      _mm256_maskstore_pd(bmean + j0, mask_i64x4, r_f64x4[0]);
      _mm256_maskstore_pd(bm2 + j0, mask_i64x4, r_f64x4[1]);
      _mm256_maskstore_pd(bmn + j0, mask_i64x4, r_f64x4[2]);
      _mm256_maskstore_pd(bmx + j0, mask_i64x4, r_f64x4[3]);
      _mm256_maskstore_pd(bnnz + j0, mask_i64x4, r_f64x4[4]);
    }
    colstats_merge_block(out, scratch, d, m);
  }
}

void affine_f64(const double* x, size_t n, size_t d, const double* shift, const double* scale,
                const double* offset, double* y) {
  for (size_t i = 0; i < n; ++i) {
    size_t j0 = 0;
    for (; j0 + 4 <= d; j0 += 4) {
      const __m256d v_f64x4 = _mm256_loadu_pd(x + i * d + j0);
      _mm256_storeu_pd(y + i * d + j0, _mm256_add_pd(_mm256_mul_pd(_mm256_sub_pd(v_f64x4, _mm256_loadu_pd(shift + j0)), _mm256_loadu_pd(scale + j0)), _mm256_loadu_pd(offset + j0)));
    }
    for (; j0 < d; ++j0) y[i * d + j0] = (x[i * d + j0] - shift[j0]) * scale[j0] + offset[j0];
  }
}

}  // namespace kindling::avx2
