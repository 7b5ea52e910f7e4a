// Row checks, AVX2: the block is scanned as one contiguous span, 16 doubles per step; v * 0 is
// NaN exactly for NaN and +-inf, so one unordered compare per vector finds them. The step that
// holds a bad value, and rows whose norms a flag asks about, are finished by the scalar kernel
// (the tail too), so results equal the scalar reference exactly.
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/validate.h"

namespace kindling::avx2 {

// Index of the first element of x[0, len) that is NaN or +-inf, or len.
static size_t first_non_finite(const double* x, size_t len) {
  const __m256d zero_f64x4 = _mm256_setzero_pd();
  size_t i = 0;
  for (; i + 16 <= len; i += 16) {
    __m256d a_f64x4 = _mm256_mul_pd(_mm256_loadu_pd(x + i), zero_f64x4);
    __m256d b_f64x4 = _mm256_mul_pd(_mm256_loadu_pd(x + i + 4), zero_f64x4);
    __m256d c_f64x4 = _mm256_mul_pd(_mm256_loadu_pd(x + i + 8), zero_f64x4);
    __m256d d_f64x4 = _mm256_mul_pd(_mm256_loadu_pd(x + i + 12), zero_f64x4);
    __m256d any_f64x4 = _mm256_add_pd(_mm256_add_pd(a_f64x4, b_f64x4), _mm256_add_pd(c_f64x4, d_f64x4));
    if (_mm256_movemask_pd(_mm256_cmp_pd(any_f64x4, any_f64x4, _CMP_UNORD_Q)) != 0) break;
  }
  for (; i < len; ++i) {
    double v = x[i];
    if (!(v - v == 0)) return i;
  }
  return len;
}

int64_t first_bad_row_f64(const double* x, size_t n, size_t d, uint32_t flags) {
  if (d == 0) return scalar::first_bad_row_f64(x, n, d, flags);
  size_t bad = first_non_finite(x, n * d) / d;  // n when every value is finite
  if (flags == 0) return bad < n ? static_cast<int64_t>(bad) : kOk;
  // norm checks on the rows before the first non-finite one; that row fails either way
  int64_t r = scalar::first_bad_row_f64(x, bad, d, flags);
  if (r != kOk) return r;
  return bad < n ? static_cast<int64_t>(bad) : kOk;
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
