// Row checks, scalar reference: rows in order; a value v is finite when v - v == 0.
#include "kindling/types.h"
#include "kindling/kernels/validate.h"

namespace kindling::scalar {

int64_t first_bad_row_f64(const double* x, size_t n, size_t d, uint32_t flags) {
  for (size_t i = 0; i < n; ++i) {
    const double* row = x + i * d;
    double s = 0;
    bool finite = true;
    for (size_t t = 0; t < d; ++t) {
      double v = row[t];
      finite = finite && (v - v == 0);
      s += v * v;
    }
    if (!finite) return static_cast<int64_t>(i);
    if ((flags & kRowNonZeroNorm) && !(s > 0)) return static_cast<int64_t>(i);
    if ((flags & kRowFiniteNorm) && s == __builtin_inf()) return static_cast<int64_t>(i);
  }
  return kOk;
}

int64_t first_bad_weight_f64(const double* w, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    double v = w[i];
    if (!(v >= 0) || v == __builtin_inf()) return static_cast<int64_t>(i);
  }
  return kOk;
}

}  // namespace kindling::scalar
