// Shifted Gram matrix and column sums of a row-major n x d block (PCA's covariance, issue 14):
// for every row r, dev = x_r - shift; sums += dev; gram[a * d + b] += dev_a * dev_b for b >= a
// (the upper triangle of a d x d row-major matrix; the lower triangle is not touched).
#pragma once
#include "kindling/types.h"

#define KINDLING_DECLARE_GRAM \
  void gram_add_f64(const double* x, size_t n, size_t d, const double* shift, double* gram, double* sums);

namespace kindling::scalar { KINDLING_DECLARE_GRAM }
namespace kindling::avx2 { KINDLING_DECLARE_GRAM }
namespace kindling::avx512 { KINDLING_DECLARE_GRAM }
