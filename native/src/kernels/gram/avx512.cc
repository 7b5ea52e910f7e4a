// Shifted Gram matrix and column sums, AVX-512F: as the AVX2 kernel with 8 lanes, the last
// (b - a) mod 8 columns of each Gram row through a masked load / fmadd / store (masked-out
// lanes are not read or written). Products accumulated per entry in row order with a fused
// multiply-add: agrees with scalar within ~1e-15 relative per product.
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/gram.h"

namespace kindling::avx512 {

void gram_add_f64(const double* x, size_t n, size_t d, const double* shift, double* gram, double* sums) {
  for (size_t r = 0; r < n; ++r) {
    const double* row = x + r * d;
    for (size_t c = 0; c < d; c += 8) {
      __mmask8 m_u8 = d - c >= 8 ? static_cast<__mmask8>(0xFF) : static_cast<__mmask8>((1u << (d - c)) - 1);
      __m512d dev_f64x8 = _mm512_sub_pd(_mm512_maskz_loadu_pd(m_u8, row + c), _mm512_maskz_loadu_pd(m_u8, shift + c));
      _mm512_mask_storeu_pd(sums + c, m_u8, _mm512_add_pd(_mm512_maskz_loadu_pd(m_u8, sums + c), dev_f64x8));
    }
    for (size_t a = 0; a < d; ++a) {
      __m512d da_f64x8 = _mm512_set1_pd(row[a] - shift[a]);
      double* g = gram + a * d;
      for (size_t b = a; b < d; b += 8) {
        __mmask8 m_u8 = d - b >= 8 ? static_cast<__mmask8>(0xFF) : static_cast<__mmask8>((1u << (d - b)) - 1);
        __m512d dev_f64x8 = _mm512_sub_pd(_mm512_maskz_loadu_pd(m_u8, row + b), _mm512_maskz_loadu_pd(m_u8, shift + b));
        _mm512_mask_storeu_pd(g + b, m_u8, _mm512_fmadd_pd(da_f64x8, dev_f64x8, _mm512_maskz_loadu_pd(m_u8, g + b)));
      }
    }
  }
}

}  // namespace kindling::avx512
