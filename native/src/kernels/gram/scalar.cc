// Shifted Gram matrix and column sums, scalar reference (the spec every SIMD tier is checked
// against): rows in order, each entry of the upper triangle accumulates its products in row
// order. Plain loops, no reassociation.
#include "kindling/kernels/gram.h"

namespace kindling::scalar {

void gram_add_f64(const double* x, size_t n, size_t d, const double* shift, double* gram, double* sums) {
  for (size_t r = 0; r < n; ++r) {
    const double* row = x + r * d;
    for (size_t a = 0; a < d; ++a) {
      double da = row[a] - shift[a];
      sums[a] += da;
      double* g = gram + a * d;
      for (size_t b = a; b < d; ++b) g[b] += da * (row[b] - shift[b]);
    }
  }
}

}  // namespace kindling::scalar
