// The Gaussian-mixture E-step over one partition (Spark's ExpectationAggregator), one tier per
// namespace. Every tier has the same contract:
//
//   x        n x d row-major features;  w  n row weights (null: weight 1)
//   shift    d: every row is used as x - shift (the driver passes the data mean, so the sums of
//            outer products below are taken around it: the same M-step as Spark's raw sums in
//            exact arithmetic, without their cancellation when |mean| >> spread)
//   means    k x d component means, minus shift
//   chol     k x d x d lower Cholesky factors L (cov = L L^T), row-major; entries above the
//            diagonal are never read
//   inv_diag k x d:  1 / L[j][j]                         (from gmm_prepare)
//   log_c    k:      log(w_c) - 0.5 (d log(2 pi) + log det cov_c)   (from gmm_prepare)
//   pseudo   null, or k flags: a component c with pseudo[c] != 0 has a singular covariance,
//            evaluated as Spark's MultivariateGaussian does (docs/formats/SPARK_DEFINITIONS.md §11): its chol
//            slot holds a full d x d matrix W = D^-1/2 U^T (row-major; eigenvalues <= EPSILON x
//            max x d dropped, their rows 0), z = W (x' - mu_c) replaces the forward substitution,
//            and its "log det" is the log pseudo-determinant. SIMD tiers hand such calls to the
//            scalar kernel (the case is rare: a collapsed component).
//
// Per row (x' = x - shift): l_c = log_c - 0.5 |z|^2 with z = L_c^-1 (x' - mu_c) by forward
// substitution (so l_c is
// log(w_c pdf_c(x)), computed in log space as Spark's MultivariateGaussian.logpdf), then Spark's
//   p_c = EPSILON + w_c pdf_c(x),   probSum = sum_c p_c,   r_c = p_c / probSum * weight,
//   logLik += log(probSum) * weight
// evaluated with a shift M = max(log EPSILON, max_c l_c):  p_c / e^M = e^(log EPSILON - M) +
// e^(l_c - M)  (every exponent <= 0, the largest term is 1, so nothing overflows, and a row far
// from every component still gets EPSILON's uniform responsibilities as in Spark), and
// log(probSum) = M + log(sum_c p_c / e^M). In exact arithmetic these are Spark's numbers; in
// floating point they differ from Spark's direct form only where that form over- or underflows
// (w_c pdf_c beyond ~1e308, where Spark gets inf/NaN; or below ~1e-308, where both are
// dominated by EPSILON).
//
// Accumulated (added into) when sum_x is not null:
//   resp_sum  k          sum of r_c
//   sum_x     k x d      sum of r_c x'
//   sum_xx    k x d(d+1)/2   sum of r_c x' x'^T as a packed upper triangle, column-major (entry
//                        (i, j), i <= j, at j(j+1)/2 + i: Spark's BLAS.spr layout)
//   loglik    2          [0]: sum of log(probSum) * weight; [1]: sum of the weights of the rows
//                        where every w_c pdf_c <= EPSILON (max_c l_c <= log EPSILON): Spark's
//                        EPSILON floor decides their responsibilities (uniform), whatever the
//                        model; in many dimensions this is most rows, and EM cannot separate
//                        the components
// Written when resp is not null: resp[i*k + c] = p_c / probSum (the posterior of row i, without
// the row weight: Spark's GaussianMixtureModel.predictProbability).
//
// Returns kOk, or the first row whose features are not all finite, whose weight is negative or
// not finite, or whose densities are not finite (features too large for a covariance); rows
// before it have been accumulated, so the outputs are then unusable.
#pragma once
#include "kindling/types.h"

#define KINDLING_DECLARE_GMM                                                                    \
  int64_t gmm_estep_f64(const double* x, const double* w, size_t n, size_t d, size_t k,          \
                        const double* shift, const double* means, const double* chol, const double* inv_diag,        \
                        const double* log_c, const uint8_t* pseudo, double* resp_sum,           \
                        double* sum_x, double* sum_xx, double* loglik, double* resp);

namespace kindling::scalar { KINDLING_DECLARE_GMM }
namespace kindling::avx2 { KINDLING_DECLARE_GMM }
namespace kindling::avx512 { KINDLING_DECLARE_GMM }

namespace kindling {
// Spark's MLUtils.EPSILON (the machine epsilon found by halving: 2^-52) and its log.
constexpr double kGmmEpsilon = 2.220446049250313e-16;
constexpr double kGmmLogEpsilon = -36.04365338911715;  // log(2^-52) = -52 log 2
// Fills inv_diag (k x d) and log_c (k) from the mixture weights (k), the Cholesky factors (k x d
// x d) and the log-determinants of the covariances (k). No value checks: the caller validated
// them once (weights finite and >= 0, finite factors with a positive diagonal, finite log dets).
void gmm_prepare(const double* weights, const double* chol, const double* log_det, size_t k,
                 size_t d, double* inv_diag, double* log_c);
}  // namespace kindling
