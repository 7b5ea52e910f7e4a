// GLM loss and gradient, AVX-512: the pass of glm_simd.h with the rows' losses eight to a 512-bit
// vector (the exp/log1p polynomials in half the instructions); features stay 256-bit (glm_simd.h Feat).
#include <immintrin.h>

#include "kindling/kernels/glm.h"
#include "kindling/kernels/glm_simd.h"

namespace kindling::avx512 {
namespace {

struct Avx512 {
  static constexpr size_t W = 8;
  static constexpr size_t kGroups = 4;  // 32 rows per block
  using V = __m512d;
  static V set1(double v) { return _mm512_set1_pd(v); }
  static V zero() { return _mm512_setzero_pd(); }
  static V load(const double* p) { return _mm512_loadu_pd(p); }
  static void store(double* p, V v) { _mm512_storeu_pd(p, v); }
  static V add(V a, V b) { return _mm512_add_pd(a, b); }
  static V sub(V a, V b) { return _mm512_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm512_mul_pd(a, b); }
  static V div(V a, V b) { return _mm512_div_pd(a, b); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static V fnma(V a, V b, V c) { return _mm512_fnmadd_pd(a, b, c); }
  // vmaxpd returns its second operand when either is NaN: max(zero, m) keeps a NaN m
  static V max(V a, V b) { return _mm512_max_pd(a, b); }
  static V abs(V a) { return _mm512_abs_pd(a); }
  static V neg(V a) { return _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(a), _mm512_set1_epi64(static_cast<long long>(0x8000000000000000ull)))); }
  static __mmask8 lt(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
  static __mmask8 gt(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
  static __mmask8 ge(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
  static __mmask8 eq(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
  static V select(__mmask8 m, V a, V b) { return _mm512_mask_blend_pd(m, b, a); }
  static V round(V a) { return _mm512_roundscale_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // 2^k for integral k in [-1022, 1023]: k sits in the low bits of k + 1.5·2^52
  static V pow2(V k) {
    const __m512i bits = _mm512_castpd_si512(_mm512_add_pd(k, _mm512_set1_pd(6755399441055744.0)));
    return _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_add_epi64(bits, _mm512_set1_epi64(1023)), 52));
  }
  static V from_quads(const __m256d* q) { return _mm512_insertf64x4(_mm512_castpd256_pd512(q[0]), q[1], 1); }
  static double hsum(V v) { return _mm512_reduce_add_pd(v); }
};

}  // namespace

void glm_loss_grad_f64(int32_t kind, const double* x, const double* y, const double* w, size_t n, size_t d, size_t k,
                       const double* coef, const double* intercept, double* grad, double* sums, double* scratch) {
  glm_simd::loss_grad<Avx512>(kind, x, y, w, n, d, k, coef, intercept, grad, sums, scratch);
}

void glm_margins_f64(const double* x, size_t n, size_t d, const double* coef, const double* intercept, size_t k,
                     double* out) {
  glm_simd::margins_all<Avx512>(x, n, d, coef, intercept, k, out);
}

}  // namespace kindling::avx512
