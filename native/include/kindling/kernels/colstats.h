// Column statistics of row-major vector blocks (the scalers' Summarizer metrics) and the
// scalers' per-row affine map, one tier per namespace. The TS wrapper and its JS twin are
// ts/src/kernels/colstats.ts.
#pragma once
#include "kindling/types.h"

namespace kindling {
// Rows per block of colstats_f64: a block's mean, then its M2, are computed while it is in cache,
// each per feature as four partial sums over rows (row - start) % 4 added as (p0 + p1) + (p2 + p3)
// (independent chains for the SIMD tiers, one order for every tier and the JS twin), and each
// block is merged into the running statistics with Chan et al.'s formulas.
constexpr size_t kColStatsBlock = 256;

// The tier-neutral steps every tier's colstats_f64 shares (scalar code, in colstats/scalar.cc):
// out (1 + 5d, as colstats_f64 writes it) set to the zero summary; and a block's statistics
// (block: 5d doubles, mean, m2, min, max, nnz of its m rows) merged into out by Chan et al.
void colstats_init(double* out, size_t d);
void colstats_merge_block(double* out, const double* block, size_t d, double m);
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
