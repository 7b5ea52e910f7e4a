// Gaussian-mixture E-step, AVX2 + FMA: 4 rows per ymm ("lanes = rows"), the same structure as the
// AVX-512 tier. A chunk of 4 rows is transposed (and shifted: x - shift) into d vectors, so the
// forward substitutions are d(d+1)/2 FMAs per component with broadcast Cholesky entries (4
// components at a time, their partial sums in registers: 4 independent FMA chains); the outer
// products of 4 chunks at a time are FMAs into per-lane accumulators (k (1 + d + d(d+1)/2)
// vectors, one load and store per 4 FMAs, reduced once at the end). exp is a vector Cody-Waite
// reduction with a degree-13 polynomial (within ~2 ulp of libm); log runs per lane through libm
// (one per row). Rows past the last full chunk, and a chunk holding a bad row, go to the scalar
// kernel. Precision: FMA contraction, reciprocal multiplies, the polynomial exp and sums
// reassociated across lanes make results differ from scalar by ~1e-13 relative (tests allow
// 1e-10).
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

// Forward substitution for components c0 .. c0 + kBlock - 1 of one chunk (xg: d vectors of
// lanes): z_c = L_c^-1 (x - mu_c) into zt (d vectors per component), |z_c|^2 into qt. Past k, a
// block repeats component k - 1: the same arithmetic writes the same values to the same place.
constexpr size_t kBlock = 4;
inline void solve_block(const double* xg, size_t d, size_t k, size_t c0, const double* means,
                        const double* chol, const double* inv_diag, double* zt, double* qt) {
  const size_t kLanes = 4;
  const double* mu[kBlock];
  const double* lc[kBlock];
  const double* inv[kBlock];
  double* z[kBlock];
  #pragma GCC unroll 8
  for (size_t b = 0; b < kBlock; ++b) {
    size_t c = c0 + b < k ? c0 + b : k - 1;
    mu[b] = means + c * d;
    lc[b] = chol + c * d * d;
    inv[b] = inv_diag + c * d;
    z[b] = zt + c * d * kLanes;
  }
  __m256d q_f64x4[kBlock];
  __m256d s_f64x4[kBlock];
  #pragma GCC unroll 8
  for (size_t b = 0; b < kBlock; ++b) q_f64x4[b] = _mm256_setzero_pd();
  for (size_t j = 0; j < d; ++j) {
    __m256d xj_f64x4 = _mm256_loadu_pd(xg + j * kLanes);
    #pragma GCC unroll 8
    for (size_t b = 0; b < kBlock; ++b) s_f64x4[b] = _mm256_sub_pd(xj_f64x4, _mm256_set1_pd(mu[b][j]));
    for (size_t t = 0; t < j; ++t) {
      #pragma GCC unroll 8
      for (size_t b = 0; b < kBlock; ++b) {
        s_f64x4[b] = _mm256_fnmadd_pd(_mm256_set1_pd(lc[b][j * d + t]), _mm256_loadu_pd(z[b] + t * kLanes), s_f64x4[b]);
      }
    }
    #pragma GCC unroll 8
    for (size_t b = 0; b < kBlock; ++b) {
      __m256d zz_f64x4 = _mm256_mul_pd(s_f64x4[b], _mm256_set1_pd(inv[b][j]));
      _mm256_storeu_pd(z[b] + j * kLanes, zz_f64x4);
      q_f64x4[b] = _mm256_fmadd_pd(zz_f64x4, zz_f64x4, q_f64x4[b]);
    }
  }
  for (size_t b = 0; b < kBlock && c0 + b < k; ++b) _mm256_storeu_pd(qt + (c0 + b) * kLanes, q_f64x4[b]);
}

}  // namespace

int64_t gmm_estep_f64(const double* x, const double* w, size_t n, size_t d, size_t k,
                      const double* shift, const double* means, const double* chol,
                      const double* inv_diag, const double* log_c, const uint8_t* pseudo,
                      double* resp_sum, double* sum_x, double* sum_xx, double* loglik,
                      double* resp) {
  const size_t kLanes = 4;
  const size_t kGroup = 4;  // chunks folded into the accumulators per pass
  const size_t n_full = n / kLanes * kLanes;
  // Pseudo-inverse components (singular covariances, gmm.h) are rare: the scalar kernel takes them.
  if (n_full == 0 || k == 0 || pseudo != nullptr) {
    return scalar::gmm_estep_f64(x, w, n, d, k, shift, means, chol, inv_diag, log_c, pseudo,
                                 resp_sum, sum_x, sum_xx, loglik, resp);
  }
  const size_t tri = d * (d + 1) / 2;
  const bool stats = sum_x != nullptr;
  // Scratch, one 4-lane vector each: per group slot g, xt (d) and rt (k); zt (k d), qt (k),
  // lt (k), pt (k), tmp (1); then the accumulators acc_r (k), acc_x (k d), acc_xx (k tri),
  // acc_ll (1), acc_fl (1).
  const size_t nacc = stats ? k * (1 + d + tri) + 2 : 0;
  double* buf = new double[(kGroup * (d + k) + k * d + 3 * k + 1 + nacc) * kLanes];
  double* xt = buf;                      // slot g at xt + g * d * kLanes
  double* rt = xt + kGroup * d * kLanes;  // slot g at rt + g * k * kLanes
  double* zt = rt + kGroup * k * kLanes;
  double* qt = zt + k * d * kLanes;
  double* lt = qt + k * kLanes;
  double* pt = lt + k * kLanes;
  double* tmp = pt + k * kLanes;
  double* acc_r = tmp + kLanes;
  double* acc_x = acc_r + k * kLanes;
  double* acc_xx = acc_x + k * d * kLanes;
  double* acc_ll = acc_xx + k * tri * kLanes;
  double* acc_fl = acc_ll + kLanes;
  for (size_t i = 0; i < nacc * kLanes; ++i) acc_r[i] = 0;

  const __m256d zero_f64x4 = _mm256_setzero_pd();
  const __m256d one_f64x4 = _mm256_set1_pd(1.0);
  const __m256d inf_f64x4 = _mm256_set1_pd(kInf);
  const __m256d log_eps_f64x4 = _mm256_set1_pd(kGmmLogEpsilon);
  const __m256d half_f64x4 = _mm256_set1_pd(0.5);
  size_t i0 = 0;
  bool stop = false;
  while (i0 < n_full && !stop) {
    size_t used = 0;
    for (; used < kGroup && i0 + used * kLanes < n_full; ++used) {
      const size_t r0 = i0 + used * kLanes;
      double* xg = xt + used * d * kLanes;
      for (size_t lane = 0; lane < kLanes; ++lane) {
        const double* xr = x + (r0 + lane) * d;
        for (size_t a = 0; a < d; ++a) xg[a * kLanes + lane] = xr[a] - shift[a];
      }
      // x * 0 is NaN exactly when x is not finite.
      __m256d chk_f64x4 = zero_f64x4;
      for (size_t a = 0; a < d; ++a) chk_f64x4 = _mm256_fmadd_pd(_mm256_loadu_pd(xg + a * kLanes), zero_f64x4, chk_f64x4);
      __m256d w_f64x4 = w != nullptr ? _mm256_loadu_pd(w + r0) : one_f64x4;
      __m256d ok_f64x4 = _mm256_and_pd(_mm256_cmp_pd(chk_f64x4, chk_f64x4, _CMP_ORD_Q),
                                       _mm256_and_pd(_mm256_cmp_pd(w_f64x4, zero_f64x4, _CMP_GE_OQ),
                                                     _mm256_cmp_pd(w_f64x4, inf_f64x4, _CMP_LT_OQ)));
      if (_mm256_movemask_pd(ok_f64x4) != 0xF) {
        stop = true;  // the scalar kernel finds and reports the row
        break;
      }
      // Forward substitution L_c z_c = x - mu_c, 4 components at a time with their partial sums
      // in registers (4 independent FMA chains); the q_c = |z_c|^2 go to qt.
      for (size_t c0 = 0; c0 < k; c0 += kBlock) solve_block(xg, d, k, c0, means, chol, inv_diag, zt, qt);
      __m256d m_f64x4 = log_eps_f64x4;
      for (size_t c = 0; c < k; ++c) {
        __m256d l_f64x4 = _mm256_fnmadd_pd(half_f64x4, _mm256_loadu_pd(qt + c * kLanes), _mm256_set1_pd(log_c[c]));
        _mm256_storeu_pd(lt + c * kLanes, l_f64x4);
        m_f64x4 = _mm256_max_pd(l_f64x4, m_f64x4);  // a NaN l is passed over here, caught by den
      }
      __m256d e_eps_f64x4 = exp_f64x4(_mm256_sub_pd(log_eps_f64x4, m_f64x4));
      __m256d den_f64x4 = zero_f64x4;
      for (size_t c = 0; c < k; ++c) {
        __m256d p_f64x4 = _mm256_add_pd(e_eps_f64x4, exp_f64x4(_mm256_sub_pd(_mm256_loadu_pd(lt + c * kLanes), m_f64x4)));
        _mm256_storeu_pd(pt + c * kLanes, p_f64x4);
        den_f64x4 = _mm256_add_pd(den_f64x4, p_f64x4);
      }
      __m256d fin_f64x4 = _mm256_and_pd(_mm256_cmp_pd(den_f64x4, one_f64x4, _CMP_GE_OQ), _mm256_cmp_pd(den_f64x4, inf_f64x4, _CMP_LT_OQ));
      if (_mm256_movemask_pd(fin_f64x4) != 0xF) {
        stop = true;
        break;
      }
      __m256d inv_den_f64x4 = _mm256_div_pd(one_f64x4, den_f64x4);
      if (resp != nullptr) {
        for (size_t c = 0; c < k; ++c) {
          _mm256_storeu_pd(tmp, _mm256_mul_pd(_mm256_loadu_pd(pt + c * kLanes), inv_den_f64x4));
          for (size_t lane = 0; lane < kLanes; ++lane) resp[(r0 + lane) * k + c] = tmp[lane];
        }
      }
      if (!stats) continue;
      _mm256_storeu_pd(tmp, den_f64x4);
      for (size_t lane = 0; lane < kLanes; ++lane) tmp[lane] = log(tmp[lane]);
      __m256d lp_f64x4 = _mm256_add_pd(m_f64x4, _mm256_loadu_pd(tmp));
      _mm256_storeu_pd(acc_ll, _mm256_fmadd_pd(lp_f64x4, w_f64x4, _mm256_loadu_pd(acc_ll)));
      __m256d floored_f64x4 = _mm256_cmp_pd(m_f64x4, log_eps_f64x4, _CMP_LE_OQ);
      _mm256_storeu_pd(acc_fl, _mm256_add_pd(_mm256_loadu_pd(acc_fl), _mm256_and_pd(floored_f64x4, w_f64x4)));
      double* rg = rt + used * k * kLanes;
      for (size_t c = 0; c < k; ++c) {
        _mm256_storeu_pd(rg + c * kLanes, _mm256_mul_pd(_mm256_mul_pd(_mm256_loadu_pd(pt + c * kLanes), inv_den_f64x4), w_f64x4));
      }
    }
    if (stats && used > 0) {
      // Unused slots add zeros (r = 0, x = 0).
      for (size_t g = used; g < kGroup; ++g) {
        for (size_t e = 0; e < d * kLanes; ++e) xt[g * d * kLanes + e] = 0;
        for (size_t e = 0; e < k * kLanes; ++e) rt[g * k * kLanes + e] = 0;
      }
      const double* x0 = xt;
      const double* x1 = xt + d * kLanes;
      const double* x2 = xt + 2 * d * kLanes;
      const double* x3 = xt + 3 * d * kLanes;
      for (size_t c = 0; c < k; ++c) {
        __m256d r0_f64x4 = _mm256_loadu_pd(rt + c * kLanes);
        __m256d r1_f64x4 = _mm256_loadu_pd(rt + (k + c) * kLanes);
        __m256d r2_f64x4 = _mm256_loadu_pd(rt + (2 * k + c) * kLanes);
        __m256d r3_f64x4 = _mm256_loadu_pd(rt + (3 * k + c) * kLanes);
        double* ar = acc_r + c * kLanes;
        _mm256_storeu_pd(ar, _mm256_add_pd(_mm256_loadu_pd(ar), _mm256_add_pd(_mm256_add_pd(r0_f64x4, r1_f64x4), _mm256_add_pd(r2_f64x4, r3_f64x4))));
        double* ax = acc_x + c * d * kLanes;
        for (size_t a = 0; a < d; ++a) {
          const size_t o = a * kLanes;
          __m256d acc_f64x4 = _mm256_loadu_pd(ax + o);
          acc_f64x4 = _mm256_fmadd_pd(r0_f64x4, _mm256_loadu_pd(x0 + o), acc_f64x4);
          acc_f64x4 = _mm256_fmadd_pd(r1_f64x4, _mm256_loadu_pd(x1 + o), acc_f64x4);
          acc_f64x4 = _mm256_fmadd_pd(r2_f64x4, _mm256_loadu_pd(x2 + o), acc_f64x4);
          acc_f64x4 = _mm256_fmadd_pd(r3_f64x4, _mm256_loadu_pd(x3 + o), acc_f64x4);
          _mm256_storeu_pd(ax + o, acc_f64x4);
        }
        double* axx = acc_xx + c * tri * kLanes;
        for (size_t j = 0; j < d; ++j) {
          const size_t oj = j * kLanes;
          __m256d t0_f64x4 = _mm256_mul_pd(r0_f64x4, _mm256_loadu_pd(x0 + oj));
          __m256d t1_f64x4 = _mm256_mul_pd(r1_f64x4, _mm256_loadu_pd(x1 + oj));
          __m256d t2_f64x4 = _mm256_mul_pd(r2_f64x4, _mm256_loadu_pd(x2 + oj));
          __m256d t3_f64x4 = _mm256_mul_pd(r3_f64x4, _mm256_loadu_pd(x3 + oj));
          double* col = axx + j * (j + 1) / 2 * kLanes;
          for (size_t a = 0; a <= j; ++a) {
            const size_t o = a * kLanes;
            __m256d acc_f64x4 = _mm256_loadu_pd(col + o);
            acc_f64x4 = _mm256_fmadd_pd(_mm256_loadu_pd(x0 + o), t0_f64x4, acc_f64x4);
            acc_f64x4 = _mm256_fmadd_pd(_mm256_loadu_pd(x1 + o), t1_f64x4, acc_f64x4);
            acc_f64x4 = _mm256_fmadd_pd(_mm256_loadu_pd(x2 + o), t2_f64x4, acc_f64x4);
            acc_f64x4 = _mm256_fmadd_pd(_mm256_loadu_pd(x3 + o), t3_f64x4, acc_f64x4);
            _mm256_storeu_pd(col + o, acc_f64x4);
          }
        }
      }
    }
    i0 += used * kLanes;
  }
  if (stats) {
    for (size_t c = 0; c < k; ++c) resp_sum[c] += hsum_f64x4(_mm256_loadu_pd(acc_r + c * kLanes));
    for (size_t e = 0; e < k * d; ++e) sum_x[e] += hsum_f64x4(_mm256_loadu_pd(acc_x + e * kLanes));
    for (size_t e = 0; e < k * tri; ++e) sum_xx[e] += hsum_f64x4(_mm256_loadu_pd(acc_xx + e * kLanes));
    loglik[0] += hsum_f64x4(_mm256_loadu_pd(acc_ll));
    loglik[1] += hsum_f64x4(_mm256_loadu_pd(acc_fl));
  }
  delete[] buf;
  if (i0 == n) return kOk;
  int64_t st = scalar::gmm_estep_f64(x + i0 * d, w != nullptr ? w + i0 : nullptr, n - i0, d, k, shift,
                                     means, chol, inv_diag, log_c, nullptr, resp_sum, sum_x, sum_xx,
                                     loglik, resp != nullptr ? resp + i0 * k : nullptr);
  return st == kOk ? kOk : st + static_cast<int64_t>(i0);
}

}  // namespace kindling::avx2
