// Column statistics of row-major vector blocks (the scalers' Summarizer metrics) and the
// scalers' per-row affine map, one tier per namespace. The TS wrapper and its JS twin are
// ts/src/kernels/colstats.ts.
#pragma once
#include "kindling/types.h"

namespace kindling {
// Rows per block of colstats_f64: a block's mean, then its M2, are computed while it is in cache,
// and each block is merged into the running statistics with Chan et al.'s formulas.
constexpr size_t kColStatsBlock = 256;
}  // namespace kindling

#define KINDLING_DECLARE_COLSTATS                                                                 \
  /* Statistics of n rows of d doubles (x is n x d). out (1 + 5d) is overwritten with            \
     [n, mean(d), m2(d), min(d), max(d), nnz(d)]; scratch holds 5d doubles. min / max skip NaN   \
     and start at +-DBL_MAX (Spark's SummarizerBuffer); nnz counts values != 0 (NaN counts). */   \
  void colstats_f64(const double* x, size_t n, size_t d, double* out, double* scratch);           \
  /* y[i*d + j] = (x[i*d + j] - shift[j]) * scale[j] + offset[j] over n rows of d. */            \
  void affine_f64(const double* x, size_t n, size_t d, const double* shift, const double* scale,  \
                  const double* offset, double* y);

namespace kindling::scalar { KINDLING_DECLARE_COLSTATS }
namespace kindling::avx2 { KINDLING_DECLARE_COLSTATS }
namespace kindling::avx512 { KINDLING_DECLARE_COLSTATS }
