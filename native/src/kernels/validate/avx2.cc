// Row checks, AVX2: the block is scanned as one contiguous span, 16 doubles per step, and a
// step passes when every square q = v * v lies in (zero_lim, norm_lim]: NaN and +-inf fail (q is
// NaN or inf), and with the flags a zero square (kRowNonZeroNorm: zero_lim = 0, else -1) or a
// square above 2^1000 / d (kRowFiniteNorm, else DBL_MAX) fails. A row whose values all lie in
// passing steps passes every check exactly as the scalar kernel decides it: its values are
// finite; each of its squares is the scalar kernel's (one IEEE multiply), so one square > 0 makes
// its sum > 0; and a sum, in any order, of d squares <= 2^1000 / d stays below 2^1001 < DBL_MAX
// (rounding adds at most a factor (1 + 2^-53)^d < 2). The rows a failing step touches (and the
// tail) are decided by the scalar kernel, then the scan resumes after them, so results equal the
// scalar reference exactly; data with many zeros under kRowNonZeroNorm runs at about scalar speed.
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/validate.h"

namespace kindling::avx2 {

int64_t first_bad_row_f64(const double* x, size_t n, size_t d, uint32_t flags) {
  if (d == 0) return scalar::first_bad_row_f64(x, n, d, flags);
  const size_t len = n * d;
  const __m256d zero_lim_f64x4 = _mm256_set1_pd((flags & kRowNonZeroNorm) ? 0.0 : -1.0);
  const __m256d norm_lim_f64x4 = _mm256_set1_pd((flags & kRowFiniteNorm) ? 0x1p1000 / static_cast<double>(d) : __DBL_MAX__);
  size_t row = 0;  // rows [0, row) pass
  for (;;) {
    size_t i = row * d;
    for (; i + 16 <= len; i += 16) {
      __m256d a_f64x4 = _mm256_loadu_pd(x + i);
      __m256d b_f64x4 = _mm256_loadu_pd(x + i + 4);
      __m256d c_f64x4 = _mm256_loadu_pd(x + i + 8);
      __m256d d_f64x4 = _mm256_loadu_pd(x + i + 12);
      a_f64x4 = _mm256_mul_pd(a_f64x4, a_f64x4);
      b_f64x4 = _mm256_mul_pd(b_f64x4, b_f64x4);
      c_f64x4 = _mm256_mul_pd(c_f64x4, c_f64x4);
      d_f64x4 = _mm256_mul_pd(d_f64x4, d_f64x4);
      __m256d ok_f64x4 = _mm256_and_pd(
          _mm256_and_pd(_mm256_and_pd(_mm256_cmp_pd(a_f64x4, zero_lim_f64x4, _CMP_GT_OQ), _mm256_cmp_pd(a_f64x4, norm_lim_f64x4, _CMP_LE_OQ)),
                        _mm256_and_pd(_mm256_cmp_pd(b_f64x4, zero_lim_f64x4, _CMP_GT_OQ), _mm256_cmp_pd(b_f64x4, norm_lim_f64x4, _CMP_LE_OQ))),
          _mm256_and_pd(_mm256_and_pd(_mm256_cmp_pd(c_f64x4, zero_lim_f64x4, _CMP_GT_OQ), _mm256_cmp_pd(c_f64x4, norm_lim_f64x4, _CMP_LE_OQ)),
                        _mm256_and_pd(_mm256_cmp_pd(d_f64x4, zero_lim_f64x4, _CMP_GT_OQ), _mm256_cmp_pd(d_f64x4, norm_lim_f64x4, _CMP_LE_OQ))));
      if (_mm256_movemask_pd(ok_f64x4) != 0xF) break;
    }
    // rows wholly before i pass; the scalar kernel decides the rows the failing step touches, or the tail
    const size_t good = i / d;
    const size_t last = i + 16 <= len ? (i + 16 + d - 1) / d : n;
    int64_t r = scalar::first_bad_row_f64(x + good * d, last - good, d, flags);
    if (r != kOk) return static_cast<int64_t>(good) + r;
    if (last >= n) return kOk;
    row = last;
  }
}

int64_t first_bad_weight_f64(const double* w, size_t n) {
  const __m256d zero_f64x4 = _mm256_setzero_pd();
  const __m256d inf_f64x4 = _mm256_set1_pd(__builtin_inf());
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    __m256d v_f64x4 = _mm256_loadu_pd(w + i);
    // fails: v < 0, NaN (not >= 0), or v == +inf
    __m256d ok_f64x4 = _mm256_and_pd(_mm256_cmp_pd(v_f64x4, zero_f64x4, _CMP_GE_OQ), _mm256_cmp_pd(v_f64x4, inf_f64x4, _CMP_NEQ_OQ));
    if (_mm256_movemask_pd(ok_f64x4) != 0xF) break;
  }
  int64_t r = scalar::first_bad_weight_f64(w + i, n - i);
  return r == kOk ? kOk : static_cast<int64_t>(i) + r;
}

}  // namespace kindling::avx2
