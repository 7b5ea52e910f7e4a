// GLM loss and gradient, AVX2: the pass of glm_simd.h with the rows' losses four to a 256-bit vector.
#include <immintrin.h>

#include "kindling/kernels/glm.h"
#include "kindling/kernels/glm_simd.h"

namespace kindling::avx2 {
namespace {

struct Avx2 {
  static constexpr size_t W = 4;
  static constexpr size_t kGroups = 8;  // 32 rows per block
  using V = __m256d;
  static V set1(double v) { return _mm256_set1_pd(v); }
  static V zero() { return _mm256_setzero_pd(); }
  static V load(const double* p) { return _mm256_loadu_pd(p); }
  static void store(double* p, V v) { _mm256_storeu_pd(p, v); }
  static V add(V a, V b) { return _mm256_add_pd(a, b); }
  static V sub(V a, V b) { return _mm256_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  static V div(V a, V b) { return _mm256_div_pd(a, b); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  static V fnma(V a, V b, V c) { return _mm256_fnmadd_pd(a, b, c); }
  // vmaxpd returns its second operand when either is NaN: max(zero, m) keeps a NaN m
  static V max(V a, V b) { return _mm256_max_pd(a, b); }
  static V abs(V a) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a); }
  static V neg(V a) { return _mm256_xor_pd(_mm256_set1_pd(-0.0), a); }
  static V lt(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
  static V gt(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
  static V ge(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_GE_OQ); }
  static V eq(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
  static V select(V m, V a, V b) { return _mm256_blendv_pd(b, a, m); }
  static V round(V a) { return _mm256_round_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // 2^k for integral k in [-1022, 1023]: k sits in the low bits of k + 1.5·2^52
  static V pow2(V k) {
    const __m256i bits = _mm256_castpd_si256(_mm256_add_pd(k, _mm256_set1_pd(6755399441055744.0)));
    return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(bits, _mm256_set1_epi64x(1023)), 52));
  }
  static V from_quads(const __m256d* q) { return q[0]; }
  static double hsum(V v) {
    const __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
  }
};

}  // namespace

void glm_loss_grad_f64(int32_t kind, const double* x, const double* y, const double* w, size_t n, size_t d, size_t k,
                       const double* coef, const double* intercept, double* grad, double* sums, double* scratch) {
  glm_simd::loss_grad<Avx2>(kind, x, y, w, n, d, k, coef, intercept, grad, sums, scratch);
}

void glm_margins_f64(const double* x, size_t n, size_t d, const double* coef, const double* intercept, size_t k,
                     double* out) {
  glm_simd::margins_all<Avx2>(x, n, d, coef, intercept, k, out);
}

}  // namespace kindling::avx2
