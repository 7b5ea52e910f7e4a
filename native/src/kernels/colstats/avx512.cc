// Column statistics and the affine map, AVX-512 (F): features go eight to a 512-bit lane group
// (the last group of a row through masked loads and stores, so no read or write passes the row),
// and each lane folds its feature over the block's rows in the scalar kernel's order: the same
// sums, the same division by the block's row count, the same squared deviations, min/max by
// vminpd/vmaxpd (which, like the scalar `v < min`, keep the running value when v is NaN), nnz by
// an unordered not-equal compare mask. No FMA (contraction is off), so
// results equal the scalar kernel's bit for bit.
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/colstats.h"

// No fused multiply-adds: the results must equal the scalar spec's roundings.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace kindling::avx512 {

static __mmask8 lane_mask(size_t left) {
  return left >= 8 ? static_cast<__mmask8>(0xFF) : static_cast<__mmask8>((1u << left) - 1u);
}

void colstats_f64(const double* x, size_t n, size_t d, double* out, double* scratch) {
  double* bmean = scratch;
  double* bm2 = bmean + d;
  double* bmn = bm2 + d;
  double* bmx = bmn + d;
  double* bnnz = bmx + d;
  const __m512d zero_f64x8 = _mm512_setzero_pd();
  const __m512d one_f64x8 = _mm512_set1_pd(1.0);
  const __m512d big_f64x8 = _mm512_set1_pd(__DBL_MAX__);
  colstats_init(out, d);
  for (size_t start = 0; start < n; start += kColStatsBlock) {
    const size_t end = start + kColStatsBlock < n ? start + kColStatsBlock : n;
    const double m = static_cast<double>(end - start);
    const __m512d m_f64x8 = _mm512_set1_pd(m);
    for (size_t j0 = 0; j0 < d; j0 += 8) {
      const __mmask8 mask_u8 = lane_mask(d - j0);
      // four partial sums (and nnz counts) by row (row - start) % 4, as the scalar kernel: rows
      // four at a time into four independent chains, the last 0-3 rows into chains 0, 1, 2
      __m512d s0_f64x8 = zero_f64x8, s1_f64x8 = zero_f64x8, s2_f64x8 = zero_f64x8, s3_f64x8 = zero_f64x8;
      __m512d c0_f64x8 = zero_f64x8, c1_f64x8 = zero_f64x8, c2_f64x8 = zero_f64x8, c3_f64x8 = zero_f64x8;
      __m512d min_f64x8 = big_f64x8;
      __m512d max_f64x8 = _mm512_sub_pd(zero_f64x8, big_f64x8);
#define KINDLING_COLSTATS_ROW(S, C, ROW)                                                                 \
  {                                                                                                     \
    const __m512d v_f64x8 = _mm512_maskz_loadu_pd(mask_u8, x + (ROW) * d + j0);                         \
    S = _mm512_add_pd(S, v_f64x8);                                                                      \
    min_f64x8 = _mm512_min_pd(v_f64x8, min_f64x8);                                                      \
    max_f64x8 = _mm512_max_pd(v_f64x8, max_f64x8);                                                      \
    C = _mm512_mask_add_pd(C, _mm512_cmp_pd_mask(v_f64x8, zero_f64x8, _CMP_NEQ_UQ), C, one_f64x8);      \
  }
      size_t i = start;
      for (; i + 4 <= end; i += 4) {
        KINDLING_COLSTATS_ROW(s0_f64x8, c0_f64x8, i)
        KINDLING_COLSTATS_ROW(s1_f64x8, c1_f64x8, i + 1)
        KINDLING_COLSTATS_ROW(s2_f64x8, c2_f64x8, i + 2)
        KINDLING_COLSTATS_ROW(s3_f64x8, c3_f64x8, i + 3)
      }
      if (i < end) KINDLING_COLSTATS_ROW(s0_f64x8, c0_f64x8, i)
      if (i + 1 < end) KINDLING_COLSTATS_ROW(s1_f64x8, c1_f64x8, i + 1)
      if (i + 2 < end) KINDLING_COLSTATS_ROW(s2_f64x8, c2_f64x8, i + 2)
#undef KINDLING_COLSTATS_ROW
      const __m512d mean_f64x8 = _mm512_div_pd(_mm512_add_pd(_mm512_add_pd(s0_f64x8, s1_f64x8), _mm512_add_pd(s2_f64x8, s3_f64x8)), m_f64x8);
      const __m512d nnz_all_f64x8 = _mm512_add_pd(_mm512_add_pd(c0_f64x8, c1_f64x8), _mm512_add_pd(c2_f64x8, c3_f64x8));
      __m512d q0_f64x8 = zero_f64x8, q1_f64x8 = zero_f64x8, q2_f64x8 = zero_f64x8, q3_f64x8 = zero_f64x8;
#define KINDLING_COLSTATS_DEV(Q, ROW)                                                                    \
  {                                                                                                     \
    const __m512d dev_f64x8 = _mm512_sub_pd(_mm512_maskz_loadu_pd(mask_u8, x + (ROW) * d + j0), mean_f64x8); \
    Q = _mm512_add_pd(Q, _mm512_mul_pd(dev_f64x8, dev_f64x8));                                          \
  }
      i = start;
      for (; i + 4 <= end; i += 4) {
        KINDLING_COLSTATS_DEV(q0_f64x8, i)
        KINDLING_COLSTATS_DEV(q1_f64x8, i + 1)
        KINDLING_COLSTATS_DEV(q2_f64x8, i + 2)
        KINDLING_COLSTATS_DEV(q3_f64x8, i + 3)
      }
      if (i < end) KINDLING_COLSTATS_DEV(q0_f64x8, i)
      if (i + 1 < end) KINDLING_COLSTATS_DEV(q1_f64x8, i + 1)
      if (i + 2 < end) KINDLING_COLSTATS_DEV(q2_f64x8, i + 2)
#undef KINDLING_COLSTATS_DEV
      const __m512d m2_f64x8 = _mm512_add_pd(_mm512_add_pd(q0_f64x8, q1_f64x8), _mm512_add_pd(q2_f64x8, q3_f64x8));
      _mm512_mask_storeu_pd(bmean + j0, mask_u8, mean_f64x8);
      _mm512_mask_storeu_pd(bm2 + j0, mask_u8, m2_f64x8);
      _mm512_mask_storeu_pd(bmn + j0, mask_u8, min_f64x8);
      _mm512_mask_storeu_pd(bmx + j0, mask_u8, max_f64x8);
      _mm512_mask_storeu_pd(bnnz + j0, mask_u8, nnz_all_f64x8);
    }
    colstats_merge_block(out, scratch, d, m);
  }
}

void affine_f64(const double* x, size_t n, size_t d, const double* shift, const double* scale,
                const double* offset, double* y) {
  for (size_t i = 0; i < n; ++i) {
    for (size_t j0 = 0; j0 < d; j0 += 8) {
      const __mmask8 mask_u8 = lane_mask(d - j0);
      const __m512d v_f64x8 = _mm512_maskz_loadu_pd(mask_u8, x + i * d + j0);
      const __m512d r_f64x8 = _mm512_add_pd(_mm512_mul_pd(_mm512_sub_pd(v_f64x8, _mm512_maskz_loadu_pd(mask_u8, shift + j0)), _mm512_maskz_loadu_pd(mask_u8, scale + j0)),
                                            _mm512_maskz_loadu_pd(mask_u8, offset + j0));
      if (mask_u8 == 0xFF) _mm512_storeu_pd(y + i * d + j0, r_f64x8);
      else _mm512_mask_storeu_pd(y + i * d + j0, mask_u8, r_f64x8);
    }
  }
}

}  // namespace kindling::avx512
