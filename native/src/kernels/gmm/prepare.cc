// Tier-independent preparation of the Gaussian-mixture components (see gmm.h): reciprocal
// Cholesky diagonals and the per-component log constants. The values were validated where the
// components were built (ts/src/kernels/gmm.ts): nothing is re-checked here.
#include <math.h>
#include "kindling/kernels/gmm.h"

namespace kindling {

void gmm_prepare(const double* weights, const double* chol, const double* log_det, size_t k,
                 size_t d, double* inv_diag, double* log_c) {
  const double log_2pi = 1.8378770664093453;  // log(2 pi)
  for (size_t c = 0; c < k; ++c) {
    const double* L = chol + c * d * d;
    // Unused for a pseudo-inverse component (its slot holds W, whose diagonal may be 0).
    for (size_t j = 0; j < d; ++j) inv_diag[c * d + j] = 1.0 / L[j * d + j];
    // log(0) = -inf: a component of weight 0 contributes only EPSILON, as in Spark.
    log_c[c] = log(weights[c]) - 0.5 * (static_cast<double>(d) * log_2pi + log_det[c]);
  }
}

}  // namespace kindling
