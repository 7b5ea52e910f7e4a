// Grouped aggregation, AVX-512 (F/VL on 256-bit vectors): the AVX2 tier's chunked structure,
// but each clean row updates its slot [count, sum, min, max] with merge-masked operations:
// a masked broadcast builds [1, v, v, v], then a masked add (count, sum), a masked min and a
// masked max write straight into the slot vector: 4 vector ops per row instead of 6. The
// 8-row checks use k-mask compares. Rows stay in order: bit-identical to scalar.
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/groupby.h"

namespace kindling::avx512 {
namespace {

constexpr size_t kAhead = 64;

// Rows the vector path does not take (a chunk with a null, a NaN or a bad code, and the tail)
// go through the scalar reference itself; returns kOk or the absolute bad row.
inline int64_t rows_scalar(const int32_t* keys, const double* vals, const uint8_t* valid,
                           size_t bit_off, size_t i, size_t count, size_t num_groups, double* acc) {
  int64_t st = scalar::group_agg_f64(keys + i, vals + i, valid, bit_off + i, count, num_groups, acc);
  return st == kOk ? kOk : st + static_cast<int64_t>(i);
}

inline uint32_t chunk_bits(const uint8_t* valid, size_t pos) {
  if (valid == nullptr) return 0xFF;
  size_t byte = pos >> 3, sh = pos & 7;
  uint32_t bits = valid[byte];
  if (sh != 0) bits |= static_cast<uint32_t>(valid[byte + 1]) << 8;
  return (bits >> sh) & 0xFF;
}

template <bool kPrefetch>
int64_t agg(const int32_t* keys, const double* vals, const uint8_t* valid, size_t bit_off, size_t n,
            size_t num_groups, double* acc) {
  const __m256d one_f64x4 = _mm256_set1_pd(1.0);
  const __m256i hi_i32x8 = _mm256_set1_epi32(static_cast<int32_t>(num_groups - 1));
  const uintptr_t base = reinterpret_cast<uintptr_t>(acc);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    if (kPrefetch && i + kAhead + 8 <= n) {
      for (size_t j = 0; j < 8; ++j) {
        uintptr_t ahead = base + static_cast<uint32_t>(keys[i + kAhead + j]) * (kGroupSlot * sizeof(double));
        _mm_prefetch(reinterpret_cast<const char*>(ahead), _MM_HINT_T0);
      }
    }
    __m256i k_i32x8 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(keys + i));
    __mmask8 bad = _mm256_cmpgt_epu32_mask(k_i32x8, hi_i32x8);
    __m512d v_f64x8 = _mm512_loadu_pd(vals + i);
    __mmask8 nan = _mm512_cmp_pd_mask(v_f64x8, v_f64x8, _CMP_UNORD_Q);
    if ((bad | nan) != 0 || chunk_bits(valid, bit_off + i) != 0xFF) {
      int64_t st = rows_scalar(keys, vals, valid, bit_off, i, 8, num_groups, acc);
      if (st != kOk) return st;
      continue;
    }
    for (size_t j = i; j < i + 8; ++j) {
      double* a = acc + static_cast<uint32_t>(keys[j]) * kGroupSlot;
      __m256d a_f64x4 = _mm256_loadu_pd(a);
      __m256d t_f64x4 = _mm256_mask_broadcastsd_pd(one_f64x4, 0b1110, _mm_load_sd(vals + j));
      __m256d r_f64x4 = _mm256_mask_add_pd(a_f64x4, 0b0011, a_f64x4, t_f64x4);
      r_f64x4 = _mm256_mask_min_pd(r_f64x4, 0b0100, a_f64x4, t_f64x4);
      r_f64x4 = _mm256_mask_max_pd(r_f64x4, 0b1000, t_f64x4, a_f64x4);
      _mm256_storeu_pd(a, r_f64x4);
    }
  }
  return i < n ? rows_scalar(keys, vals, valid, bit_off, i, n - i, num_groups, acc) : kOk;
}

}  // namespace

int64_t group_agg_f64(const int32_t* keys, const double* vals, const uint8_t* valid,
                      size_t bit_off, size_t n, size_t num_groups, double* acc) {
  if (num_groups == 0) return scalar::group_agg_f64(keys, vals, valid, bit_off, n, 0, acc);
  if (num_groups * kGroupSlot * sizeof(double) > (size_t{1} << 20)) {
    return agg<true>(keys, vals, valid, bit_off, n, num_groups, acc);
  }
  return agg<false>(keys, vals, valid, bit_off, n, num_groups, acc);
}

}  // namespace kindling::avx2
