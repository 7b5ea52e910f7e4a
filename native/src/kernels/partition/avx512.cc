// Spark's Murmur3Hash per column, AVX-512 (x86-64-v4: F/DQ/BW/VL): 16 rows per step, one per
// 32-bit lane, with vpmulld, vprold rotations, and vpermt2d to split 64-bit values into low and
// high words; -0/NaN normalisation and null rows use mask registers (16 validity bits map
// straight to a __mmask16). The tail (fewer than 16 rows) goes to the scalar kernel.
// Bit-identical to scalar (integer arithmetic).
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/partition.h"

namespace kindling::avx512 {
namespace {

inline __m512i mix_k1(__m512i k_u32x16) {
  k_u32x16 = _mm512_mullo_epi32(k_u32x16, _mm512_set1_epi32(static_cast<int>(0xcc9e2d51u)));
  k_u32x16 = _mm512_rol_epi32(k_u32x16, 15);
  return _mm512_mullo_epi32(k_u32x16, _mm512_set1_epi32(0x1b873593));
}
inline __m512i mix_h1(__m512i h_u32x16, __m512i k_u32x16) {
  h_u32x16 = _mm512_rol_epi32(_mm512_xor_si512(h_u32x16, k_u32x16), 13);
  h_u32x16 = _mm512_add_epi32(_mm512_slli_epi32(h_u32x16, 2), h_u32x16);  // h * 5
  return _mm512_add_epi32(h_u32x16, _mm512_set1_epi32(static_cast<int>(0xe6546b64u)));
}
inline __m512i fmix(__m512i h_u32x16, int len) {
  h_u32x16 = _mm512_xor_si512(h_u32x16, _mm512_set1_epi32(len));
  h_u32x16 = _mm512_xor_si512(h_u32x16, _mm512_srli_epi32(h_u32x16, 16));
  h_u32x16 = _mm512_mullo_epi32(h_u32x16, _mm512_set1_epi32(static_cast<int>(0x85ebca6bu)));
  h_u32x16 = _mm512_xor_si512(h_u32x16, _mm512_srli_epi32(h_u32x16, 13));
  h_u32x16 = _mm512_mullo_epi32(h_u32x16, _mm512_set1_epi32(static_cast<int>(0xc2b2ae35u)));
  return _mm512_xor_si512(h_u32x16, _mm512_srli_epi32(h_u32x16, 16));
}
// The validity bits [bit, bit + 16) as a lane mask (the bitmap covers them).
inline __mmask16 valid_mask(const uint8_t* valid, size_t bit) {
  const size_t byte = bit >> 3;
  const unsigned sh = bit & 7;
  uint32_t bits = static_cast<uint32_t>(valid[byte]) | (static_cast<uint32_t>(valid[byte + 1]) << 8);
  if (sh != 0) bits |= static_cast<uint32_t>(valid[byte + 2]) << 16;
  return static_cast<__mmask16>(bits >> sh);
}
inline __m512i hash_long(__m512i a_u64x8, __m512i b_u64x8, __m512i seed_u32x16) {
  const __m512i even_u32x16 = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd_u32x16 = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
  const __m512i lo_u32x16 = _mm512_permutex2var_epi32(a_u64x8, even_u32x16, b_u64x8);
  const __m512i hi_u32x16 = _mm512_permutex2var_epi32(a_u64x8, odd_u32x16, b_u64x8);
  __m512i h_u32x16 = mix_h1(seed_u32x16, mix_k1(lo_u32x16));
  h_u32x16 = mix_h1(h_u32x16, mix_k1(hi_u32x16));
  return fmix(h_u32x16, 8);
}
inline __m512i norm_f64(__m512d x_f64x8) {
  const __mmask8 zero_m8 = _mm512_cmp_pd_mask(x_f64x8, _mm512_setzero_pd(), _CMP_EQ_OQ);
  const __mmask8 nan_m8 = _mm512_cmp_pd_mask(x_f64x8, x_f64x8, _CMP_UNORD_Q);
  __m512i b_u64x8 = _mm512_maskz_mov_epi64(static_cast<__mmask8>(~zero_m8), _mm512_castpd_si512(x_f64x8));
  return _mm512_mask_mov_epi64(b_u64x8, nan_m8, _mm512_set1_epi64(0x7ff8000000000000LL));
}

}  // namespace

void murmur3_col_i32(const int32_t* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512i x_u32x16 = _mm512_loadu_si512(x + i);
    const __m512i seed_u32x16 = _mm512_loadu_si512(hashes + i);
    __m512i h_u32x16 = fmix(mix_h1(seed_u32x16, mix_k1(x_u32x16)), 4);
    if (valid != nullptr) h_u32x16 = _mm512_mask_mov_epi32(seed_u32x16, valid_mask(valid, bit_off + i), h_u32x16);
    _mm512_storeu_si512(hashes + i, h_u32x16);
  }
  scalar::murmur3_col_i32(x + i, valid, bit_off + i, n - i, hashes + i);
}

void murmur3_col_f32(const float* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 x_f32x16 = _mm512_loadu_ps(x + i);
    const __mmask16 zero_m16 = _mm512_cmp_ps_mask(x_f32x16, _mm512_setzero_ps(), _CMP_EQ_OQ);
    const __mmask16 nan_m16 = _mm512_cmp_ps_mask(x_f32x16, x_f32x16, _CMP_UNORD_Q);
    __m512i b_u32x16 = _mm512_maskz_mov_epi32(static_cast<__mmask16>(~zero_m16), _mm512_castps_si512(x_f32x16));
    b_u32x16 = _mm512_mask_mov_epi32(b_u32x16, nan_m16, _mm512_set1_epi32(0x7fc00000));
    const __m512i seed_u32x16 = _mm512_loadu_si512(hashes + i);
    __m512i h_u32x16 = fmix(mix_h1(seed_u32x16, mix_k1(b_u32x16)), 4);
    if (valid != nullptr) h_u32x16 = _mm512_mask_mov_epi32(seed_u32x16, valid_mask(valid, bit_off + i), h_u32x16);
    _mm512_storeu_si512(hashes + i, h_u32x16);
  }
  scalar::murmur3_col_f32(x + i, valid, bit_off + i, n - i, hashes + i);
}

void murmur3_col_i64(const int64_t* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512i a_u64x8 = _mm512_loadu_si512(x + i);
    const __m512i b_u64x8 = _mm512_loadu_si512(x + i + 8);
    const __m512i seed_u32x16 = _mm512_loadu_si512(hashes + i);
    __m512i h_u32x16 = hash_long(a_u64x8, b_u64x8, seed_u32x16);
    if (valid != nullptr) h_u32x16 = _mm512_mask_mov_epi32(seed_u32x16, valid_mask(valid, bit_off + i), h_u32x16);
    _mm512_storeu_si512(hashes + i, h_u32x16);
  }
  scalar::murmur3_col_i64(x + i, valid, bit_off + i, n - i, hashes + i);
}

void murmur3_col_f64(const double* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512i a_u64x8 = norm_f64(_mm512_loadu_pd(x + i));
    const __m512i b_u64x8 = norm_f64(_mm512_loadu_pd(x + i + 8));
    const __m512i seed_u32x16 = _mm512_loadu_si512(hashes + i);
    __m512i h_u32x16 = hash_long(a_u64x8, b_u64x8, seed_u32x16);
    if (valid != nullptr) h_u32x16 = _mm512_mask_mov_epi32(seed_u32x16, valid_mask(valid, bit_off + i), h_u32x16);
    _mm512_storeu_si512(hashes + i, h_u32x16);
  }
  scalar::murmur3_col_f64(x + i, valid, bit_off + i, n - i, hashes + i);
}

}  // namespace kindling::avx512
