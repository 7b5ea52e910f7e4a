// Spark's Murmur3Hash per column, AVX2 (x86-64-v3): 8 rows per step, one per 32-bit lane, with
// vpmulld and shift-or rotations; 64-bit values are split into low and high words with vpermd +
// vperm2i128; doubles/floats are normalised (-0 -> 0, NaN -> canonical) with compares and
// blends. Null rows keep their running hash through a blend with the validity lanes. The tail
// (fewer than 8 rows) goes to the scalar kernel. Bit-identical to scalar (integer arithmetic).
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/partition.h"

namespace kindling::avx2 {
namespace {

inline __m256i rotl(__m256i x, int r) {
  return _mm256_or_si256(_mm256_slli_epi32(x, r), _mm256_srli_epi32(x, 32 - r));
}
inline __m256i mix_k1(__m256i k_u32x8) {
  k_u32x8 = _mm256_mullo_epi32(k_u32x8, _mm256_set1_epi32(static_cast<int>(0xcc9e2d51u)));
  k_u32x8 = rotl(k_u32x8, 15);
  return _mm256_mullo_epi32(k_u32x8, _mm256_set1_epi32(0x1b873593));
}
inline __m256i mix_h1(__m256i h_u32x8, __m256i k_u32x8) {
  h_u32x8 = rotl(_mm256_xor_si256(h_u32x8, k_u32x8), 13);
  // h * 5 + 0xe6546b64 as (h << 2) + h: an add instead of a 10-cycle vpmulld
  h_u32x8 = _mm256_add_epi32(_mm256_slli_epi32(h_u32x8, 2), h_u32x8);
  return _mm256_add_epi32(h_u32x8, _mm256_set1_epi32(static_cast<int>(0xe6546b64u)));
}
inline __m256i fmix(__m256i h_u32x8, int len) {
  h_u32x8 = _mm256_xor_si256(h_u32x8, _mm256_set1_epi32(len));
  h_u32x8 = _mm256_xor_si256(h_u32x8, _mm256_srli_epi32(h_u32x8, 16));
  h_u32x8 = _mm256_mullo_epi32(h_u32x8, _mm256_set1_epi32(static_cast<int>(0x85ebca6bu)));
  h_u32x8 = _mm256_xor_si256(h_u32x8, _mm256_srli_epi32(h_u32x8, 13));
  h_u32x8 = _mm256_mullo_epi32(h_u32x8, _mm256_set1_epi32(static_cast<int>(0xc2b2ae35u)));
  return _mm256_xor_si256(h_u32x8, _mm256_srli_epi32(h_u32x8, 16));
}
// All-ones lanes for the valid rows among bits [bit, bit + 8) (the bitmap covers them).
inline __m256i valid_lanes(const uint8_t* valid, size_t bit) {
  const size_t byte = bit >> 3;
  const unsigned sh = bit & 7;
  unsigned bits = static_cast<unsigned>(valid[byte]) >> sh;
  if (sh != 0) bits |= static_cast<unsigned>(valid[byte + 1]) << (8 - sh);
  const __m256i sel_u32x8 = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
  const __m256i b_u32x8 = _mm256_and_si256(_mm256_set1_epi32(static_cast<int>(bits & 0xff)), sel_u32x8);
  return _mm256_cmpeq_epi32(b_u32x8, sel_u32x8);
}
inline __m256i hash_long(__m256i a_u64x4, __m256i b_u64x4, __m256i seed_u32x8) {
  const __m256i split_u32x8 = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  const __m256i pa_u32x8 = _mm256_permutevar8x32_epi32(a_u64x4, split_u32x8);
  const __m256i pb_u32x8 = _mm256_permutevar8x32_epi32(b_u64x4, split_u32x8);
  const __m256i lo_u32x8 = _mm256_permute2x128_si256(pa_u32x8, pb_u32x8, 0x20);
  const __m256i hi_u32x8 = _mm256_permute2x128_si256(pa_u32x8, pb_u32x8, 0x31);
  __m256i h_u32x8 = mix_h1(seed_u32x8, mix_k1(lo_u32x8));
  h_u32x8 = mix_h1(h_u32x8, mix_k1(hi_u32x8));
  return fmix(h_u32x8, 8);
}
// -0.0 -> 0.0 and every NaN -> 0x7ff8000000000000, as doubleToLongBits after Spark's normalisation.
inline __m256i norm_f64(__m256d x_f64x4) {
  const __m256d zero_f64x4 = _mm256_cmp_pd(x_f64x4, _mm256_setzero_pd(), _CMP_EQ_OQ);
  const __m256d nan_f64x4 = _mm256_cmp_pd(x_f64x4, x_f64x4, _CMP_UNORD_Q);
  x_f64x4 = _mm256_andnot_pd(zero_f64x4, x_f64x4);
  const __m256d canon_f64x4 = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7ff8000000000000LL));
  return _mm256_castpd_si256(_mm256_blendv_pd(x_f64x4, canon_f64x4, nan_f64x4));
}

}  // namespace

void murmur3_col_i32(const int32_t* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i x_u32x8 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i));
    const __m256i seed_u32x8 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hashes + i));
    __m256i h_u32x8 = fmix(mix_h1(seed_u32x8, mix_k1(x_u32x8)), 4);
    if (valid != nullptr) h_u32x8 = _mm256_blendv_epi8(seed_u32x8, h_u32x8, valid_lanes(valid, bit_off + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(hashes + i), h_u32x8);
  }
  scalar::murmur3_col_i32(x + i, valid, bit_off + i, n - i, hashes + i);
}

void murmur3_col_f32(const float* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes) {
  size_t i = 0;
  const __m256 canon_f32x8 = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fc00000));
  for (; i + 8 <= n; i += 8) {
    __m256 x_f32x8 = _mm256_loadu_ps(x + i);
    const __m256 zero_f32x8 = _mm256_cmp_ps(x_f32x8, _mm256_setzero_ps(), _CMP_EQ_OQ);
    const __m256 nan_f32x8 = _mm256_cmp_ps(x_f32x8, x_f32x8, _CMP_UNORD_Q);
    x_f32x8 = _mm256_blendv_ps(_mm256_andnot_ps(zero_f32x8, x_f32x8), canon_f32x8, nan_f32x8);
    const __m256i seed_u32x8 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hashes + i));
    __m256i h_u32x8 = fmix(mix_h1(seed_u32x8, mix_k1(_mm256_castps_si256(x_f32x8))), 4);
    if (valid != nullptr) h_u32x8 = _mm256_blendv_epi8(seed_u32x8, h_u32x8, valid_lanes(valid, bit_off + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(hashes + i), h_u32x8);
  }
  scalar::murmur3_col_f32(x + i, valid, bit_off + i, n - i, hashes + i);
}

void murmur3_col_i64(const int64_t* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i a_u64x4 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i));
    const __m256i b_u64x4 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i + 4));
    const __m256i seed_u32x8 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hashes + i));
    __m256i h_u32x8 = hash_long(a_u64x4, b_u64x4, seed_u32x8);
    if (valid != nullptr) h_u32x8 = _mm256_blendv_epi8(seed_u32x8, h_u32x8, valid_lanes(valid, bit_off + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(hashes + i), h_u32x8);
  }
  scalar::murmur3_col_i64(x + i, valid, bit_off + i, n - i, hashes + i);
}

void murmur3_col_f64(const double* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i a_u64x4 = norm_f64(_mm256_loadu_pd(x + i));
    const __m256i b_u64x4 = norm_f64(_mm256_loadu_pd(x + i + 4));
    const __m256i seed_u32x8 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hashes + i));
    __m256i h_u32x8 = hash_long(a_u64x4, b_u64x4, seed_u32x8);
    if (valid != nullptr) h_u32x8 = _mm256_blendv_epi8(seed_u32x8, h_u32x8, valid_lanes(valid, bit_off + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(hashes + i), h_u32x8);
  }
  scalar::murmur3_col_f64(x + i, valid, bit_off + i, n - i, hashes + i);
}

}  // namespace kindling::avx2
