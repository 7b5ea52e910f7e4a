// Tier-independent preparation of the Gaussian-mixture components (see gmm.h): reciprocal
// Cholesky diagonals and the per-component log constants, checked once per call.
#include <math.h>
#include "kindling/kernels/gmm.h"

namespace kindling {

int64_t gmm_prepare(const double* weights, const double* chol, const double* log_det, size_t k,
                    size_t d, double* inv_diag, double* log_c) {
  const double log_2pi = 1.8378770664093453;  // log(2 pi)
  for (size_t c = 0; c < k; ++c) {
    double wc = weights[c];
    if (!(wc >= 0) || !(wc < __builtin_inf()) || !isfinite(log_det[c])) return static_cast<int64_t>(c);
    const double* L = chol + c * d * d;
    for (size_t j = 0; j < d; ++j) {
      for (size_t t = 0; t <= j; ++t) {
        if (!isfinite(L[j * d + t])) return static_cast<int64_t>(c);
      }
      double diag = L[j * d + j];
      if (!(diag > 0)) return static_cast<int64_t>(c);
      inv_diag[c * d + j] = 1.0 / diag;
    }
    // log(0) = -inf: a component of weight 0 contributes only EPSILON, as in Spark.
    log_c[c] = log(wc) - 0.5 * (static_cast<double>(d) * log_2pi + log_det[c]);
  }
  return kOk;
}

}  // namespace kindling
