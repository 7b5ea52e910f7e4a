// Gaussian-mixture E-step, AVX-512 (F/DQ): 8 rows per zmm ("lanes = rows"). A chunk of 8 rows is
// transposed (and shifted: x - shift) into d vectors, so the forward substitutions are d(d+1)/2
// FMAs per component with broadcast Cholesky entries (8 components at a time, their partial sums
// in registers: 8 independent FMA chains); the outer products of 4 chunks at a time are FMAs into
// per-lane accumulators (k (1 + d + d(d+1)/2) vectors, one load and store per 4 FMAs, reduced
// once at the end). exp is a vector Cody-Waite reduction with a degree-13 polynomial (within ~2
// ulp of libm); log runs per lane through libm (one per row). Rows past the last full chunk, and
// a chunk holding a bad row, go to the scalar kernel. Precision: FMA contraction, reciprocal
// multiplies, the polynomial exp and sums reassociated across lanes make results differ from
// scalar by ~1e-13 relative (tests allow 1e-10).
#include <immintrin.h>
#include <math.h>
#include "kindling/types.h"
#include "kindling/kernels/gmm.h"

namespace kindling::avx512 {
namespace {

constexpr double kInf = __builtin_inf();

// e^x for x <= 0 (NaN propagates; -inf and x < -746 give 0).
inline __m512d exp_f64x8(__m512d x) {
  x = _mm512_max_pd(_mm512_set1_pd(-746.0), x);  // second operand returned for NaN: keeps NaN
  const int kRound = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
  __m512d n_f64x8 = _mm512_roundscale_pd(_mm512_mul_pd(x, _mm512_set1_pd(1.4426950408889634)), kRound);
  __m512d r_f64x8 = _mm512_fnmadd_pd(n_f64x8, _mm512_set1_pd(6.93147180369123816490e-01), x);
  r_f64x8 = _mm512_fnmadd_pd(n_f64x8, _mm512_set1_pd(1.90821492927058770002e-10), r_f64x8);
  // Taylor coefficients 1/13! .. 1/0!: truncation below 1e-17 relative for |r| <= ln2 / 2.
  const double kC[] = {1.6059043836821613e-10, 2.08767569878681e-09, 2.505210838544172e-08,
                       2.755731922398589e-07,  2.7557319223985893e-06, 2.48015873015873e-05,
                       1.984126984126984e-04,  1.388888888888889e-03,  8.333333333333333e-03,
                       4.1666666666666664e-02, 1.6666666666666666e-01, 0.5, 1.0, 1.0};
  __m512d p_f64x8 = _mm512_set1_pd(kC[0]);
  for (int i = 1; i < 14; ++i) p_f64x8 = _mm512_fmadd_pd(p_f64x8, r_f64x8, _mm512_set1_pd(kC[i]));
  // 2^n = 2^n1 2^n2 with n1 = floor(n / 2): both factors are normal for n >= -1076, so a
  // subnormal result is rounded once, by the last multiply. The exponent bits come from adding
  // 1023 + 1.5 * 2^52 (the integer lands in the low mantissa bits) and shifting them up.
  __m512d n1_f64x8 = _mm512_roundscale_pd(_mm512_mul_pd(n_f64x8, _mm512_set1_pd(0.5)), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
  __m512d n2_f64x8 = _mm512_sub_pd(n_f64x8, n1_f64x8);
  const __m512d bias_f64x8 = _mm512_set1_pd(1023.0 + 6755399441055744.0);
  __m512i e1_i64x8 = _mm512_slli_epi64(_mm512_castpd_si512(_mm512_add_pd(n1_f64x8, bias_f64x8)), 52);
  __m512i e2_i64x8 = _mm512_slli_epi64(_mm512_castpd_si512(_mm512_add_pd(n2_f64x8, bias_f64x8)), 52);
  return _mm512_mul_pd(_mm512_mul_pd(p_f64x8, _mm512_castsi512_pd(e1_i64x8)), _mm512_castsi512_pd(e2_i64x8));
}

// Forward substitution for components c0 .. c0 + kBlock - 1 of one chunk (xg: d vectors of
// lanes): z_c = L_c^-1 (x - mu_c) into zt (d vectors per component), |z_c|^2 into qt. Past k, a
// block repeats component k - 1: the same arithmetic writes the same values to the same place.
constexpr size_t kBlock = 8;
inline void solve_block(const double* xg, size_t d, size_t k, size_t c0, const double* means,
                        const double* chol, const double* inv_diag, double* zt, double* qt) {
  const size_t kLanes = 8;
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
  __m512d q_f64x8[kBlock];
  __m512d s_f64x8[kBlock];
  #pragma GCC unroll 8
  for (size_t b = 0; b < kBlock; ++b) q_f64x8[b] = _mm512_setzero_pd();
  for (size_t j = 0; j < d; ++j) {
    __m512d xj_f64x8 = _mm512_loadu_pd(xg + j * kLanes);
    #pragma GCC unroll 8
    for (size_t b = 0; b < kBlock; ++b) s_f64x8[b] = _mm512_sub_pd(xj_f64x8, _mm512_set1_pd(mu[b][j]));
    for (size_t t = 0; t < j; ++t) {
      #pragma GCC unroll 8
      for (size_t b = 0; b < kBlock; ++b) {
        s_f64x8[b] = _mm512_fnmadd_pd(_mm512_set1_pd(lc[b][j * d + t]), _mm512_loadu_pd(z[b] + t * kLanes), s_f64x8[b]);
      }
    }
    #pragma GCC unroll 8
    for (size_t b = 0; b < kBlock; ++b) {
      __m512d zz_f64x8 = _mm512_mul_pd(s_f64x8[b], _mm512_set1_pd(inv[b][j]));
      _mm512_storeu_pd(z[b] + j * kLanes, zz_f64x8);
      q_f64x8[b] = _mm512_fmadd_pd(zz_f64x8, zz_f64x8, q_f64x8[b]);
    }
  }
  for (size_t b = 0; b < kBlock && c0 + b < k; ++b) _mm512_storeu_pd(qt + (c0 + b) * kLanes, q_f64x8[b]);
}

}  // namespace

int64_t gmm_estep_f64(const double* x, const double* w, size_t n, size_t d, size_t k,
                      const double* shift, const double* means, const double* chol,
                      const double* inv_diag, const double* log_c, const uint8_t* pseudo,
                      double* resp_sum, double* sum_x, double* sum_xx, double* loglik,
                      double* resp) {
  const size_t kLanes = 8;
  const size_t kGroup = 4;  // chunks folded into the accumulators per pass
  const size_t n_full = n / kLanes * kLanes;
  // Pseudo-inverse components (singular covariances, gmm.h) are rare: the scalar kernel takes them.
  if (n_full == 0 || k == 0 || pseudo != nullptr) {
    return scalar::gmm_estep_f64(x, w, n, d, k, shift, means, chol, inv_diag, log_c, pseudo,
                                 resp_sum, sum_x, sum_xx, loglik, resp);
  }
  const size_t tri = d * (d + 1) / 2;
  const bool stats = sum_x != nullptr;
  // Scratch, one 8-lane vector each: per group slot g, xt (d) and rt (k); zt (k d), qt (k),
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

  const __m512d zero_f64x8 = _mm512_setzero_pd();
  const __m512d one_f64x8 = _mm512_set1_pd(1.0);
  const __m512d inf_f64x8 = _mm512_set1_pd(kInf);
  const __m512d log_eps_f64x8 = _mm512_set1_pd(kGmmLogEpsilon);
  const __m512d half_f64x8 = _mm512_set1_pd(0.5);
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
      __m512d chk_f64x8 = zero_f64x8;
      for (size_t a = 0; a < d; ++a) chk_f64x8 = _mm512_fmadd_pd(_mm512_loadu_pd(xg + a * kLanes), zero_f64x8, chk_f64x8);
      __m512d w_f64x8 = w != nullptr ? _mm512_loadu_pd(w + r0) : one_f64x8;
      __mmask8 ok = _mm512_cmp_pd_mask(chk_f64x8, chk_f64x8, _CMP_ORD_Q) &
                    _mm512_cmp_pd_mask(w_f64x8, zero_f64x8, _CMP_GE_OQ) &
                    _mm512_cmp_pd_mask(w_f64x8, inf_f64x8, _CMP_LT_OQ);
      if (ok != 0xFF) {
        stop = true;  // the scalar kernel finds and reports the row
        break;
      }
      // Forward substitution L_c z_c = x - mu_c, 8 components at a time with their partial sums
      // in registers (8 independent FMA chains); the q_c = |z_c|^2 go to qt.
      for (size_t c0 = 0; c0 < k; c0 += kBlock) solve_block(xg, d, k, c0, means, chol, inv_diag, zt, qt);
      __m512d m_f64x8 = log_eps_f64x8;
      for (size_t c = 0; c < k; ++c) {
        __m512d l_f64x8 = _mm512_fnmadd_pd(half_f64x8, _mm512_loadu_pd(qt + c * kLanes), _mm512_set1_pd(log_c[c]));
        _mm512_storeu_pd(lt + c * kLanes, l_f64x8);
        m_f64x8 = _mm512_max_pd(l_f64x8, m_f64x8);  // a NaN l is passed over here, caught by den
      }
      __m512d e_eps_f64x8 = exp_f64x8(_mm512_sub_pd(log_eps_f64x8, m_f64x8));
      __m512d den_f64x8 = zero_f64x8;
      for (size_t c = 0; c < k; ++c) {
        __m512d p_f64x8 = _mm512_add_pd(e_eps_f64x8, exp_f64x8(_mm512_sub_pd(_mm512_loadu_pd(lt + c * kLanes), m_f64x8)));
        _mm512_storeu_pd(pt + c * kLanes, p_f64x8);
        den_f64x8 = _mm512_add_pd(den_f64x8, p_f64x8);
      }
      __mmask8 fin = _mm512_cmp_pd_mask(den_f64x8, one_f64x8, _CMP_GE_OQ) & _mm512_cmp_pd_mask(den_f64x8, inf_f64x8, _CMP_LT_OQ);
      if (fin != 0xFF) {
        stop = true;
        break;
      }
      __m512d inv_den_f64x8 = _mm512_div_pd(one_f64x8, den_f64x8);
      if (resp != nullptr) {
        for (size_t c = 0; c < k; ++c) {
          _mm512_storeu_pd(tmp, _mm512_mul_pd(_mm512_loadu_pd(pt + c * kLanes), inv_den_f64x8));
          for (size_t lane = 0; lane < kLanes; ++lane) resp[(r0 + lane) * k + c] = tmp[lane];
        }
      }
      if (!stats) continue;
      _mm512_storeu_pd(tmp, den_f64x8);
      for (size_t lane = 0; lane < kLanes; ++lane) tmp[lane] = log(tmp[lane]);
      __m512d lp_f64x8 = _mm512_add_pd(m_f64x8, _mm512_loadu_pd(tmp));
      _mm512_storeu_pd(acc_ll, _mm512_fmadd_pd(lp_f64x8, w_f64x8, _mm512_loadu_pd(acc_ll)));
      __mmask8 floored = _mm512_cmp_pd_mask(m_f64x8, log_eps_f64x8, _CMP_LE_OQ);
      _mm512_storeu_pd(acc_fl, _mm512_mask_add_pd(_mm512_loadu_pd(acc_fl), floored, _mm512_loadu_pd(acc_fl), w_f64x8));
      double* rg = rt + used * k * kLanes;
      for (size_t c = 0; c < k; ++c) {
        _mm512_storeu_pd(rg + c * kLanes, _mm512_mul_pd(_mm512_mul_pd(_mm512_loadu_pd(pt + c * kLanes), inv_den_f64x8), w_f64x8));
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
        __m512d r0_f64x8 = _mm512_loadu_pd(rt + c * kLanes);
        __m512d r1_f64x8 = _mm512_loadu_pd(rt + (k + c) * kLanes);
        __m512d r2_f64x8 = _mm512_loadu_pd(rt + (2 * k + c) * kLanes);
        __m512d r3_f64x8 = _mm512_loadu_pd(rt + (3 * k + c) * kLanes);
        double* ar = acc_r + c * kLanes;
        _mm512_storeu_pd(ar, _mm512_add_pd(_mm512_loadu_pd(ar), _mm512_add_pd(_mm512_add_pd(r0_f64x8, r1_f64x8), _mm512_add_pd(r2_f64x8, r3_f64x8))));
        double* ax = acc_x + c * d * kLanes;
        for (size_t a = 0; a < d; ++a) {
          const size_t o = a * kLanes;
          __m512d acc_f64x8 = _mm512_loadu_pd(ax + o);
          acc_f64x8 = _mm512_fmadd_pd(r0_f64x8, _mm512_loadu_pd(x0 + o), acc_f64x8);
          acc_f64x8 = _mm512_fmadd_pd(r1_f64x8, _mm512_loadu_pd(x1 + o), acc_f64x8);
          acc_f64x8 = _mm512_fmadd_pd(r2_f64x8, _mm512_loadu_pd(x2 + o), acc_f64x8);
          acc_f64x8 = _mm512_fmadd_pd(r3_f64x8, _mm512_loadu_pd(x3 + o), acc_f64x8);
          _mm512_storeu_pd(ax + o, acc_f64x8);
        }
        double* axx = acc_xx + c * tri * kLanes;
        for (size_t j = 0; j < d; ++j) {
          const size_t oj = j * kLanes;
          __m512d t0_f64x8 = _mm512_mul_pd(r0_f64x8, _mm512_loadu_pd(x0 + oj));
          __m512d t1_f64x8 = _mm512_mul_pd(r1_f64x8, _mm512_loadu_pd(x1 + oj));
          __m512d t2_f64x8 = _mm512_mul_pd(r2_f64x8, _mm512_loadu_pd(x2 + oj));
          __m512d t3_f64x8 = _mm512_mul_pd(r3_f64x8, _mm512_loadu_pd(x3 + oj));
          double* col = axx + j * (j + 1) / 2 * kLanes;
          for (size_t a = 0; a <= j; ++a) {
            const size_t o = a * kLanes;
            __m512d acc_f64x8 = _mm512_loadu_pd(col + o);
            acc_f64x8 = _mm512_fmadd_pd(_mm512_loadu_pd(x0 + o), t0_f64x8, acc_f64x8);
            acc_f64x8 = _mm512_fmadd_pd(_mm512_loadu_pd(x1 + o), t1_f64x8, acc_f64x8);
            acc_f64x8 = _mm512_fmadd_pd(_mm512_loadu_pd(x2 + o), t2_f64x8, acc_f64x8);
            acc_f64x8 = _mm512_fmadd_pd(_mm512_loadu_pd(x3 + o), t3_f64x8, acc_f64x8);
            _mm512_storeu_pd(col + o, acc_f64x8);
          }
        }
      }
    }
    i0 += used * kLanes;
  }
  if (stats) {
    for (size_t c = 0; c < k; ++c) resp_sum[c] += _mm512_reduce_add_pd(_mm512_loadu_pd(acc_r + c * kLanes));
    for (size_t e = 0; e < k * d; ++e) sum_x[e] += _mm512_reduce_add_pd(_mm512_loadu_pd(acc_x + e * kLanes));
    for (size_t e = 0; e < k * tri; ++e) sum_xx[e] += _mm512_reduce_add_pd(_mm512_loadu_pd(acc_xx + e * kLanes));
    loglik[0] += _mm512_reduce_add_pd(_mm512_loadu_pd(acc_ll));
    loglik[1] += _mm512_reduce_add_pd(_mm512_loadu_pd(acc_fl));
  }
  delete[] buf;
  if (i0 == n) return kOk;
  int64_t st = scalar::gmm_estep_f64(x + i0 * d, w != nullptr ? w + i0 : nullptr, n - i0, d, k, shift,
                                     means, chol, inv_diag, log_c, nullptr, resp_sum, sum_x, sum_xx,
                                     loglik, resp != nullptr ? resp + i0 * k : nullptr);
  return st == kOk ? kOk : st + static_cast<int64_t>(i0);
}

}  // namespace kindling::avx512
