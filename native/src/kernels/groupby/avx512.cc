// Grouped aggregation, AVX-512 tier: the 256-bit slot update of the AVX2 tier (a wider vector
// cannot help a scatter of one row at a time), with the validity test done 64 rows at a time
// from whole bitmap words and masked blends from k-registers. Bit-identical to scalar.
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/groupby.h"

namespace kindling::avx512 {

int64_t group_agg_f64(const int32_t* keys, const double* vals, const uint8_t* valid,
                      size_t bit_off, size_t n, size_t num_groups, double* acc) {
  const __m256d one_f64x4 = _mm256_set_pd(0, 0, 0, 1);
  const bool prefetch = num_groups * kGroupSlot * sizeof(double) > (1u << 19);
  const uintptr_t base = reinterpret_cast<uintptr_t>(acc);
  for (size_t i0 = 0; i0 < n; i0 += 64) {
    size_t cnt = n - i0 < 64 ? n - i0 : 64;
    uint64_t live = cnt == 64 ? ~0ull : ((1ull << cnt) - 1);
    if (valid != nullptr) {
      uint64_t bits = 0;
      size_t pos = bit_off + i0, byte = pos >> 3, sh = pos & 7, nbytes = (sh + cnt + 7) >> 3;
      uint64_t lo = 0;
      for (size_t b = 0; b < nbytes && b < 8; ++b) lo |= static_cast<uint64_t>(valid[byte + b]) << (8 * b);
      bits = lo >> sh;
      if (sh != 0 && nbytes > 8) bits |= static_cast<uint64_t>(valid[byte + 8]) << (64 - sh);
      live &= bits;
    }
    while (live != 0) {
      size_t i = i0 + static_cast<size_t>(__builtin_ctzll(live));
      live &= live - 1;
      if (prefetch && i + 16 < n) {
        uintptr_t ahead = base + static_cast<uint32_t>(keys[i + 16]) * (kGroupSlot * sizeof(double));
        _mm_prefetch(reinterpret_cast<const char*>(ahead), _MM_HINT_T0);
      }
      uint32_t g = static_cast<uint32_t>(keys[i]);
      if (g >= num_groups) return static_cast<int64_t>(i);
      double v = vals[i];
      double* a = acc + g * kGroupSlot;
      if (v != v) {
        a[0] += 1;
        a[1] += v;
        a[3] = v;
        continue;
      }
      __m256d a_f64x4 = _mm256_loadu_pd(a);
      __m256d v_f64x4 = _mm256_set1_pd(v);
      __m256d add_f64x4 = _mm256_add_pd(a_f64x4, _mm256_mask_blend_pd(0b0010, one_f64x4, v_f64x4));
      __m256d r_f64x4 = _mm256_mask_blend_pd(0b0100, add_f64x4, _mm256_min_pd(a_f64x4, v_f64x4));
      r_f64x4 = _mm256_mask_blend_pd(0b1000, r_f64x4, _mm256_max_pd(v_f64x4, a_f64x4));
      _mm256_storeu_pd(a, r_f64x4);
    }
  }
  return kOk;
}

}  // namespace kindling::avx512
