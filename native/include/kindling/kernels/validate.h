// Row checks for prepared training data: one pass over a row-major n x d block that finds the
// first row a fit cannot use, so the TS layer can name it. The caller explains the row.
#pragma once
#include "kindling/types.h"

namespace kindling {
// Flags of first_bad_row_f64 (a non-finite value always fails).
constexpr uint32_t kRowNonZeroNorm = 1u << 0;  // the row's norm must be > 0 (cosine distance)
constexpr uint32_t kRowFiniteNorm = 1u << 1;   // the row's squared norm must not overflow to inf
}  // namespace kindling

#define KINDLING_DECLARE_VALIDATE                                                               \
  /* First row holding NaN or +-inf, or failing a flag check; kOk (-1) when all rows pass. */   \
  int64_t first_bad_row_f64(const double* x, size_t n, size_t d, uint32_t flags);               \
  /* First weight that is NaN, negative or +inf; kOk when all are finite and >= 0. */           \
  int64_t first_bad_weight_f64(const double* w, size_t n);

namespace kindling::scalar { KINDLING_DECLARE_VALIDATE }
namespace kindling::avx2 { KINDLING_DECLARE_VALIDATE }
// No AVX-512 tier: a streaming check is memory-bound; 256-bit loads saturate bandwidth.
