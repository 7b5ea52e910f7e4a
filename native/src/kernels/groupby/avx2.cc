// Grouped aggregation, AVX2: one row updates its group's 32-byte slot [count, sum, min, max]
// with one 256-bit load, add/min/max, two blends and one store. vminpd/vmaxpd operand order
// reproduces the scalar reference's NaN rules exactly (bit-identical results). For more groups
// than fit in L2 the slot of row i+16 is prefetched.
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/groupby.h"

namespace kindling::avx2 {

int64_t group_agg_f64(const int32_t* keys, const double* vals, const uint8_t* valid,
                      size_t bit_off, size_t n, size_t num_groups, double* acc) {
  const __m256d one_f64x4 = _mm256_set_pd(0, 0, 0, 1);
  const bool prefetch = num_groups * kGroupSlot * sizeof(double) > (1u << 19);
  const uintptr_t base = reinterpret_cast<uintptr_t>(acc);
  for (size_t i = 0; i < n; ++i) {
    if (valid != nullptr && ((valid[(bit_off + i) >> 3] >> ((bit_off + i) & 7)) & 1) == 0) continue;
    if (prefetch && i + 16 < n) {
      uintptr_t ahead = base + static_cast<uint32_t>(keys[i + 16]) * (kGroupSlot * sizeof(double));
      _mm_prefetch(reinterpret_cast<const char*>(ahead), _MM_HINT_T0);
    }
    uint32_t g = static_cast<uint32_t>(keys[i]);
    if (g >= num_groups) return static_cast<int64_t>(i);
    double v = vals[i];
    double* a = acc + g * kGroupSlot;
    if (v != v) {  // rare: keep the scalar rules
      a[0] += 1;
      a[1] += v;
      a[3] = v;
      continue;
    }
    __m256d a_f64x4 = _mm256_loadu_pd(a);
    __m256d v_f64x4 = _mm256_set1_pd(v);
    // [1, v, 0, 0] added to [count, sum, ., .]
    __m256d add_f64x4 = _mm256_add_pd(a_f64x4, _mm256_blend_pd(one_f64x4, v_f64x4, 0b0010));
    __m256d min_f64x4 = _mm256_min_pd(a_f64x4, v_f64x4);  // a<v ? a : v (NaN a -> v)
    __m256d max_f64x4 = _mm256_max_pd(v_f64x4, a_f64x4);  // v>a ? v : a (NaN a stays)
    __m256d r_f64x4 = _mm256_blend_pd(add_f64x4, min_f64x4, 0b0100);
    r_f64x4 = _mm256_blend_pd(r_f64x4, max_f64x4, 0b1000);
    _mm256_storeu_pd(a, r_f64x4);
  }
  return kOk;
}

}  // namespace kindling::avx2
