// MurmurHash3_x86_32 batch, AVX-512 (F/VL): 16 strings per step, one per 32-bit lane. Blocks are
// fetched with masked dword gathers (vpgatherdd), rotations use vprold, multiplies vpmulld. The
// tail dword is gathered whole and masked to its 1-3 bytes, so a group runs in SIMD only when
// that 4-byte read stays inside the byte buffer; the last strings go to the scalar kernel.
// Integer arithmetic: results are bit-identical to scalar.
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/hash.h"

namespace kindling::avx512 {

void murmur3_batch(const uint8_t* bytes, const int32_t* offsets, size_t n, uint32_t seed,
                   int32_t* out) {
  const __m512i c1_u32x16 = _mm512_set1_epi32(static_cast<int>(0xcc9e2d51u));
  const __m512i c2_u32x16 = _mm512_set1_epi32(0x1b873593);
  const __m512i c3_u32x16 = _mm512_set1_epi32(static_cast<int>(0xe6546b64u));
  const __m512i f1_u32x16 = _mm512_set1_epi32(static_cast<int>(0x85ebca6bu));
  const __m512i f2_u32x16 = _mm512_set1_epi32(static_cast<int>(0xc2b2ae35u));
  const __m512i five_u32x16 = _mm512_set1_epi32(5);
  const __m512i ones_u32x16 = _mm512_set1_epi32(-1);
  const int64_t total = n == 0 ? 0 : offsets[n];
  size_t i = 0;
  // A group [i, i+16) is safe when its last string's tail read (<= 3 bytes past its end) fits.
  for (; i + 16 <= n && static_cast<int64_t>(offsets[i + 16]) + 3 <= total; i += 16) {
    __m512i start_u32x16 = _mm512_loadu_si512(offsets + i);
    __m512i end_u32x16 = _mm512_loadu_si512(offsets + i + 1);
    __m512i len_u32x16 = _mm512_sub_epi32(end_u32x16, start_u32x16);
    __m512i nblk_u32x16 = _mm512_srli_epi32(len_u32x16, 2);
    int maxblk = _mm512_reduce_max_epi32(nblk_u32x16);
    __m512i h_u32x16 = _mm512_set1_epi32(static_cast<int>(seed));
    __m512i pos_u32x16 = start_u32x16;
    for (int j = 0; j < maxblk; ++j) {
      __mmask16 m = _mm512_cmpgt_epi32_mask(nblk_u32x16, _mm512_set1_epi32(j));
      __m512i k_u32x16 = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), m, pos_u32x16, bytes, 1);
      k_u32x16 = _mm512_mullo_epi32(k_u32x16, c1_u32x16);
      k_u32x16 = _mm512_rol_epi32(k_u32x16, 15);
      k_u32x16 = _mm512_mullo_epi32(k_u32x16, c2_u32x16);
      __m512i t_u32x16 = _mm512_xor_si512(h_u32x16, k_u32x16);
      t_u32x16 = _mm512_rol_epi32(t_u32x16, 13);
      t_u32x16 = _mm512_add_epi32(_mm512_mullo_epi32(t_u32x16, five_u32x16), c3_u32x16);
      h_u32x16 = _mm512_mask_mov_epi32(h_u32x16, m, t_u32x16);
      pos_u32x16 = _mm512_add_epi32(pos_u32x16, _mm512_set1_epi32(4));
    }
    // pos now points at each string's tail only for lanes that ran every block; recompute.
    __m512i tailpos_u32x16 = _mm512_add_epi32(start_u32x16, _mm512_slli_epi32(nblk_u32x16, 2));
    __m512i rem_u32x16 = _mm512_and_si512(len_u32x16, _mm512_set1_epi32(3));
    __mmask16 tm = _mm512_test_epi32_mask(rem_u32x16, rem_u32x16);
    __m512i k_u32x16 = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), tm, tailpos_u32x16, bytes, 1);
    __m512i keep_u32x16 = _mm512_andnot_si512(
        _mm512_sllv_epi32(ones_u32x16, _mm512_slli_epi32(rem_u32x16, 3)), ones_u32x16);
    k_u32x16 = _mm512_and_si512(k_u32x16, keep_u32x16);
    k_u32x16 = _mm512_mullo_epi32(k_u32x16, c1_u32x16);
    k_u32x16 = _mm512_rol_epi32(k_u32x16, 15);
    k_u32x16 = _mm512_mullo_epi32(k_u32x16, c2_u32x16);
    h_u32x16 = _mm512_mask_xor_epi32(h_u32x16, tm, h_u32x16, k_u32x16);
    // fmix
    h_u32x16 = _mm512_xor_si512(h_u32x16, len_u32x16);
    h_u32x16 = _mm512_xor_si512(h_u32x16, _mm512_srli_epi32(h_u32x16, 16));
    h_u32x16 = _mm512_mullo_epi32(h_u32x16, f1_u32x16);
    h_u32x16 = _mm512_xor_si512(h_u32x16, _mm512_srli_epi32(h_u32x16, 13));
    h_u32x16 = _mm512_mullo_epi32(h_u32x16, f2_u32x16);
    h_u32x16 = _mm512_xor_si512(h_u32x16, _mm512_srli_epi32(h_u32x16, 16));
    _mm512_storeu_si512(out + i, h_u32x16);
  }
  if (i < n) scalar::murmur3_batch(bytes, offsets + i, n - i, seed, out + i);
}

}  // namespace kindling::avx512
