// MurmurHash3_x86_32 batch, AVX2: 8 strings per step, one per 32-bit lane, with masked dword
// gathers (vpgatherdd), shift-or rotations and vpmulld. Same tail rule and safety bound as the
// AVX-512 tier; the rest goes to the scalar kernel. Bit-identical to scalar.
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/hash.h"

namespace kindling::avx2 {
namespace {
inline __m256i rotl(__m256i x, int r) {
  return _mm256_or_si256(_mm256_slli_epi32(x, r), _mm256_srli_epi32(x, 32 - r));
}
inline int hmax_i32(__m256i v) {
  __m128i m = _mm_max_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  m = _mm_max_epi32(m, _mm_shuffle_epi32(m, 0x4E));
  m = _mm_max_epi32(m, _mm_shuffle_epi32(m, 0xB1));
  return _mm_cvtsi128_si32(m);
}
}  // namespace

void murmur3_batch(const uint8_t* bytes, const int32_t* offsets, size_t n, uint32_t seed,
                   int32_t* out) {
  const __m256i c1_u32x8 = _mm256_set1_epi32(static_cast<int>(0xcc9e2d51u));
  const __m256i c2_u32x8 = _mm256_set1_epi32(0x1b873593);
  const __m256i c3_u32x8 = _mm256_set1_epi32(static_cast<int>(0xe6546b64u));
  const __m256i f1_u32x8 = _mm256_set1_epi32(static_cast<int>(0x85ebca6bu));
  const __m256i f2_u32x8 = _mm256_set1_epi32(static_cast<int>(0xc2b2ae35u));
  const __m256i five_u32x8 = _mm256_set1_epi32(5);
  const __m256i ones_u32x8 = _mm256_set1_epi32(-1);
  const __m256i three_u32x8 = _mm256_set1_epi32(3);
  const int64_t total = n == 0 ? 0 : offsets[n];
  const int* base = reinterpret_cast<const int*>(bytes);
  size_t i = 0;
  for (; i + 8 <= n && static_cast<int64_t>(offsets[i + 8]) + 3 <= total; i += 8) {
    __m256i start_u32x8 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(offsets + i));
    __m256i end_u32x8 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(offsets + i + 1));
    __m256i len_u32x8 = _mm256_sub_epi32(end_u32x8, start_u32x8);
    __m256i nblk_u32x8 = _mm256_srli_epi32(len_u32x8, 2);
    int maxblk = hmax_i32(nblk_u32x8);
    __m256i h_u32x8 = _mm256_set1_epi32(static_cast<int>(seed));
    __m256i pos_u32x8 = start_u32x8;
    for (int j = 0; j < maxblk; ++j) {
      __m256i m_u32x8 = _mm256_cmpgt_epi32(nblk_u32x8, _mm256_set1_epi32(j));
      __m256i k_u32x8 = _mm256_mask_i32gather_epi32(_mm256_setzero_si256(), base, pos_u32x8, m_u32x8, 1);
      k_u32x8 = _mm256_mullo_epi32(k_u32x8, c1_u32x8);
      k_u32x8 = rotl(k_u32x8, 15);
      k_u32x8 = _mm256_mullo_epi32(k_u32x8, c2_u32x8);
      __m256i t_u32x8 = rotl(_mm256_xor_si256(h_u32x8, k_u32x8), 13);
      t_u32x8 = _mm256_add_epi32(_mm256_mullo_epi32(t_u32x8, five_u32x8), c3_u32x8);
      h_u32x8 = _mm256_blendv_epi8(h_u32x8, t_u32x8, m_u32x8);
      pos_u32x8 = _mm256_add_epi32(pos_u32x8, _mm256_set1_epi32(4));
    }
    __m256i tailpos_u32x8 = _mm256_add_epi32(start_u32x8, _mm256_slli_epi32(nblk_u32x8, 2));
    __m256i rem_u32x8 = _mm256_and_si256(len_u32x8, three_u32x8);
    __m256i tm_u32x8 = _mm256_cmpgt_epi32(rem_u32x8, _mm256_setzero_si256());
    __m256i k_u32x8 = _mm256_mask_i32gather_epi32(_mm256_setzero_si256(), base, tailpos_u32x8, tm_u32x8, 1);
    __m256i keep_u32x8 = _mm256_andnot_si256(
        _mm256_sllv_epi32(ones_u32x8, _mm256_slli_epi32(rem_u32x8, 3)), ones_u32x8);
    k_u32x8 = _mm256_and_si256(k_u32x8, keep_u32x8);
    k_u32x8 = _mm256_mullo_epi32(k_u32x8, c1_u32x8);
    k_u32x8 = rotl(k_u32x8, 15);
    k_u32x8 = _mm256_mullo_epi32(k_u32x8, c2_u32x8);
    h_u32x8 = _mm256_xor_si256(h_u32x8, _mm256_and_si256(k_u32x8, tm_u32x8));
    h_u32x8 = _mm256_xor_si256(h_u32x8, len_u32x8);
    h_u32x8 = _mm256_xor_si256(h_u32x8, _mm256_srli_epi32(h_u32x8, 16));
    h_u32x8 = _mm256_mullo_epi32(h_u32x8, f1_u32x8);
    h_u32x8 = _mm256_xor_si256(h_u32x8, _mm256_srli_epi32(h_u32x8, 13));
    h_u32x8 = _mm256_mullo_epi32(h_u32x8, f2_u32x8);
    h_u32x8 = _mm256_xor_si256(h_u32x8, _mm256_srli_epi32(h_u32x8, 16));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), h_u32x8);
  }
  if (i < n) scalar::murmur3_batch(bytes, offsets + i, n - i, seed, out + i);
}

}  // namespace kindling::avx2
