// The data term of a linear model's loss and its gradient over one block of rows (Spark's loss
// aggregators: binomial, multinomial, squared, hinge), and the margins coef·x + intercept, one
// tier per namespace. The TS wrapper and its JS twin are ts/src/kernels/glm.ts (which states the
// losses); the SIMD tiers agree with it to rounding (sums in another order, their own exp/log1p
// accurate to a few ulps), not bit for bit.
#pragma once
#include "kindling/types.h"

namespace kindling {
enum GlmLoss : int32_t { kGlmBinomial = 0, kGlmMultinomial = 1, kGlmSquared = 2, kGlmHinge = 3 };
}  // namespace kindling

#define KINDLING_DECLARE_GLM                                                                          \
  /* Over n rows of x (n x d), labels y, weights w (null: 1), k margins per row (coef k x d,         \
     intercept k): adds the gradient of sum_i w_i loss_i into grad (k*d coefficient entries, then    \
     k intercept entries), and adds sum_i w_i loss_i to sums[0] and sum_i w_i to sums[1]. Rows of    \
     weight 0 add nothing but their weight. scratch holds 8k doubles (multinomial). No checks: labels\
     must suit the loss (0/1; a class index below k). */                                            \
  void glm_loss_grad_f64(int32_t kind, const double* x, const double* y, const double* w, size_t n,   \
                         size_t d, size_t k, const double* coef, const double* intercept,             \
                         double* grad, double* sums, double* scratch);                                \
  /* out[i*k + c] = intercept[c] + sum_j coef[c*d + j] x[i*d + j] over n rows. */                     \
  void glm_margins_f64(const double* x, size_t n, size_t d, const double* coef,                       \
                       const double* intercept, size_t k, double* out);

namespace kindling::scalar { KINDLING_DECLARE_GLM }
namespace kindling::avx2 { KINDLING_DECLARE_GLM }
namespace kindling::avx512 { KINDLING_DECLARE_GLM }
