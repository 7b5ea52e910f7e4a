// Gaussian-mixture E-step, AVX2 + FMA: 4 rows per ymm ("lanes = rows"), the same structure as the
// AVX-512 tier. A chunk of 4 rows is transposed into d vectors, so the forward substitution of
// each component is d(d+1)/2 FMAs with broadcast Cholesky entries and the outer products are
// FMAs into per-lane accumulators (k (1 + d + d(d+1)/2) vectors, reduced once at the end). exp is
// a vector Cody-Waite reduction with a degree-13 polynomial (within ~2 ulp of libm); log runs
// per lane through libm (one per row). Rows past the last full chunk, and a chunk holding a bad
// row, go to the scalar kernel. Precision: FMA contraction, reciprocal multiplies, the
// polynomial exp and sums reassociated across lanes make results differ from scalar by ~1e-13
// relative (tests allow 1e-10).
#include <immintrin.h>
#include <math.h>
#include "kindling/types.h"
#include "kindling/kernels/gmm.h"

namespace kindling::avx2 {
namespace {

constexpr double kInf = __builtin_inf();

// e^x for x <= 0 (NaN propagates; -inf and x < -746 give 0).
inline __m256d exp_f64x4(__m256d x) {
  x = _mm256_max_pd(_mm256_set1_pd(-746.0), x);  // second operand returned for NaN: keeps NaN
  const int kRound = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
  __m256d n_f64x4 = _mm256_round_pd(_mm256_mul_pd(x, _mm256_set1_pd(1.4426950408889634)), kRound);
  __m256d r_f64x4 = _mm256_fnmadd_pd(n_f64x4, _mm256_set1_pd(6.93147180369123816490e-01), x);
  r_f64x4 = _mm256_fnmadd_pd(n_f64x4, _mm256_set1_pd(1.90821492927058770002e-10), r_f64x4);
  // Taylor coefficients 1/13! .. 1/0!: truncation below 1e-17 relative for |r| <= ln2 / 2.
  const double kC[] = {1.6059043836821613e-10, 2.08767569878681e-09, 2.505210838544172e-08,
                       2.755731922398589e-07,  2.7557319223985893e-06, 2.48015873015873e-05,
                       1.984126984126984e-04,  1.388888888888889e-03,  8.333333333333333e-03,
                       4.1666666666666664e-02, 1.6666666666666666e-01, 0.5, 1.0, 1.0};
  __m256d p_f64x4 = _mm256_set1_pd(kC[0]);
  for (int i = 1; i < 14; ++i) p_f64x4 = _mm256_fmadd_pd(p_f64x4, r_f64x4, _mm256_set1_pd(kC[i]));
  // 2^n = 2^n1 2^n2 with n1 = floor(n / 2): both factors are normal for n >= -1076, so a
  // subnormal result is rounded once, by the last multiply. The exponent bits come from adding
  // 1023 + 1.5 * 2^52 (the integer lands in the low mantissa bits) and shifting them up.
  __m256d n1_f64x4 = _mm256_floor_pd(_mm256_mul_pd(n_f64x4, _mm256_set1_pd(0.5)));
  __m256d n2_f64x4 = _mm256_sub_pd(n_f64x4, n1_f64x4);
  const __m256d bias_f64x4 = _mm256_set1_pd(1023.0 + 6755399441055744.0);
  __m256i e1_i64x4 = _mm256_slli_epi64(_mm256_castpd_si256(_mm256_add_pd(n1_f64x4, bias_f64x4)), 52);
  __m256i e2_i64x4 = _mm256_slli_epi64(_mm256_castpd_si256(_mm256_add_pd(n2_f64x4, bias_f64x4)), 52);
  return _mm256_mul_pd(_mm256_mul_pd(p_f64x4, _mm256_castsi256_pd(e1_i64x4)), _mm256_castsi256_pd(e2_i64x4));
}

inline double hsum_f64x4(__m256d v) {
  __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

}  // namespace

int64_t gmm_estep_f64(const double* x, const double* w, size_t n, size_t d, size_t k,
                      const double* means, const double* chol, const double* inv_diag,
                      const double* log_c, double* resp_sum, double* sum_x, double* sum_xx,
                      double* loglik, double* resp) {
  const size_t kLanes = 4;
  const size_t n_full = n / kLanes * kLanes;
  if (n_full == 0 || k == 0) {
    return scalar::gmm_estep_f64(x, w, n, d, k, means, chol, inv_diag, log_c, resp_sum, sum_x,
                                 sum_xx, loglik, resp);
  }
  const size_t tri = d * (d + 1) / 2;
  const bool stats = sum_x != nullptr;
  // Scratch, one 4-lane vector each: xt (d), zt (d), lt (k), pt (k), tmp (1); then the
  // accumulators: acc_r (k), acc_x (k d), acc_xx (k tri), acc_ll (1).
  const size_t nacc = stats ? k * (1 + d + tri) + 1 : 0;
  double* buf = new double[(2 * d + 2 * k + 1 + nacc) * kLanes];
  double* xt = buf;
  double* zt = xt + d * kLanes;
  double* lt = zt + d * kLanes;
  double* pt = lt + k * kLanes;
  double* tmp = pt + k * kLanes;
  double* acc_r = tmp + kLanes;
  double* acc_x = acc_r + k * kLanes;
  double* acc_xx = acc_x + k * d * kLanes;
  double* acc_ll = acc_xx + k * tri * kLanes;
  for (size_t i = 0; i < nacc * kLanes; ++i) acc_r[i] = 0;

  const __m256d zero_f64x4 = _mm256_setzero_pd();
  const __m256d one_f64x4 = _mm256_set1_pd(1.0);
  const __m256d inf_f64x4 = _mm256_set1_pd(kInf);
  const __m256d log_eps_f64x4 = _mm256_set1_pd(kGmmLogEpsilon);
  const __m256d half_f64x4 = _mm256_set1_pd(0.5);
  size_t i0 = 0;
  for (; i0 < n_full; i0 += kLanes) {
    for (size_t lane = 0; lane < kLanes; ++lane) {
      const double* xr = x + (i0 + lane) * d;
      for (size_t a = 0; a < d; ++a) xt[a * kLanes + lane] = xr[a];
    }
    // x * 0 is NaN exactly when x is not finite.
    __m256d chk_f64x4 = zero_f64x4;
    for (size_t a = 0; a < d; ++a) chk_f64x4 = _mm256_fmadd_pd(_mm256_loadu_pd(xt + a * kLanes), zero_f64x4, chk_f64x4);
    __m256d w_f64x4 = w != nullptr ? _mm256_loadu_pd(w + i0) : one_f64x4;
    __m256d ok_f64x4 = _mm256_and_pd(_mm256_cmp_pd(chk_f64x4, chk_f64x4, _CMP_ORD_Q),
                                     _mm256_and_pd(_mm256_cmp_pd(w_f64x4, zero_f64x4, _CMP_GE_OQ),
                                                   _mm256_cmp_pd(w_f64x4, inf_f64x4, _CMP_LT_OQ)));
    if (_mm256_movemask_pd(ok_f64x4) != 0xF) break;  // the scalar kernel finds and reports the row

    __m256d m_f64x4 = log_eps_f64x4;
    for (size_t c = 0; c < k; ++c) {
      const double* mu = means + c * d;
      const double* L = chol + c * d * d;
      const double* inv = inv_diag + c * d;
      __m256d q_f64x4 = zero_f64x4;
      for (size_t j = 0; j < d; ++j) {
        __m256d s_f64x4 = _mm256_sub_pd(_mm256_loadu_pd(xt + j * kLanes), _mm256_set1_pd(mu[j]));
        for (size_t t = 0; t < j; ++t) {
          s_f64x4 = _mm256_fnmadd_pd(_mm256_set1_pd(L[j * d + t]), _mm256_loadu_pd(zt + t * kLanes), s_f64x4);
        }
        __m256d z_f64x4 = _mm256_mul_pd(s_f64x4, _mm256_set1_pd(inv[j]));
        _mm256_storeu_pd(zt + j * kLanes, z_f64x4);
        q_f64x4 = _mm256_fmadd_pd(z_f64x4, z_f64x4, q_f64x4);
      }
      __m256d l_f64x4 = _mm256_fnmadd_pd(half_f64x4, q_f64x4, _mm256_set1_pd(log_c[c]));
      _mm256_storeu_pd(lt + c * kLanes, l_f64x4);
      m_f64x4 = _mm256_max_pd(l_f64x4, m_f64x4);
    }
    __m256d e_eps_f64x4 = exp_f64x4(_mm256_sub_pd(log_eps_f64x4, m_f64x4));
    __m256d den_f64x4 = zero_f64x4;
    for (size_t c = 0; c < k; ++c) {
      __m256d p_f64x4 = _mm256_add_pd(e_eps_f64x4, exp_f64x4(_mm256_sub_pd(_mm256_loadu_pd(lt + c * kLanes), m_f64x4)));
      _mm256_storeu_pd(pt + c * kLanes, p_f64x4);
      den_f64x4 = _mm256_add_pd(den_f64x4, p_f64x4);
    }
    __m256d fin_f64x4 = _mm256_and_pd(_mm256_cmp_pd(den_f64x4, one_f64x4, _CMP_GE_OQ), _mm256_cmp_pd(den_f64x4, inf_f64x4, _CMP_LT_OQ));
    if (_mm256_movemask_pd(fin_f64x4) != 0xF) break;
    __m256d inv_den_f64x4 = _mm256_div_pd(one_f64x4, den_f64x4);
    if (resp != nullptr) {
      for (size_t c = 0; c < k; ++c) {
        _mm256_storeu_pd(tmp, _mm256_mul_pd(_mm256_loadu_pd(pt + c * kLanes), inv_den_f64x4));
        for (size_t lane = 0; lane < kLanes; ++lane) resp[(i0 + lane) * k + c] = tmp[lane];
      }
    }
    if (!stats) continue;
    _mm256_storeu_pd(tmp, den_f64x4);
    for (size_t lane = 0; lane < kLanes; ++lane) tmp[lane] = log(tmp[lane]);
    __m256d lp_f64x4 = _mm256_add_pd(m_f64x4, _mm256_loadu_pd(tmp));
    _mm256_storeu_pd(acc_ll, _mm256_fmadd_pd(lp_f64x4, w_f64x4, _mm256_loadu_pd(acc_ll)));
    for (size_t c = 0; c < k; ++c) {
      __m256d r_f64x4 = _mm256_mul_pd(_mm256_mul_pd(_mm256_loadu_pd(pt + c * kLanes), inv_den_f64x4), w_f64x4);
      double* ar = acc_r + c * kLanes;
      _mm256_storeu_pd(ar, _mm256_add_pd(_mm256_loadu_pd(ar), r_f64x4));
      double* ax = acc_x + c * d * kLanes;
      for (size_t a = 0; a < d; ++a) {
        _mm256_storeu_pd(ax + a * kLanes, _mm256_fmadd_pd(r_f64x4, _mm256_loadu_pd(xt + a * kLanes), _mm256_loadu_pd(ax + a * kLanes)));
      }
      double* axx = acc_xx + c * tri * kLanes;
      for (size_t j = 0; j < d; ++j) {
        __m256d temp_f64x4 = _mm256_mul_pd(r_f64x4, _mm256_loadu_pd(xt + j * kLanes));
        double* col = axx + j * (j + 1) / 2 * kLanes;
        for (size_t a = 0; a <= j; ++a) {
          _mm256_storeu_pd(col + a * kLanes, _mm256_fmadd_pd(_mm256_loadu_pd(xt + a * kLanes), temp_f64x4, _mm256_loadu_pd(col + a * kLanes)));
        }
      }
    }
  }
  if (stats) {
    for (size_t c = 0; c < k; ++c) resp_sum[c] += hsum_f64x4(_mm256_loadu_pd(acc_r + c * kLanes));
    for (size_t e = 0; e < k * d; ++e) sum_x[e] += hsum_f64x4(_mm256_loadu_pd(acc_x + e * kLanes));
    for (size_t e = 0; e < k * tri; ++e) sum_xx[e] += hsum_f64x4(_mm256_loadu_pd(acc_xx + e * kLanes));
    *loglik += hsum_f64x4(_mm256_loadu_pd(acc_ll));
  }
  delete[] buf;
  if (i0 == n) return kOk;
  int64_t st = scalar::gmm_estep_f64(x + i0 * d, w != nullptr ? w + i0 : nullptr, n - i0, d, k, means,
                                     chol, inv_diag, log_c, resp_sum, sum_x, sum_xx, loglik,
                                     resp != nullptr ? resp + i0 * k : nullptr);
  return st == kOk ? kOk : st + static_cast<int64_t>(i0);
}

}  // namespace kindling::avx2
