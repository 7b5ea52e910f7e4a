// Point-to-centre distances and the KMeans assignment step (see AssignFn in dispatch.h).
#pragma once
#include "kindling/types.h"

#define KINDLING_DECLARE_DISTANCE                                                               \
  int64_t pairwise_f64(const double* x, size_t n, size_t d, const double* ct,                    \
                       const double* cconst, size_t k, size_t kpad, Measure m, double* out);     \
  int64_t kmeans_assign_f64(const double* x, const double* w, size_t n, size_t d,                \
                            const double* ct, const double* cconst, size_t k, size_t kpad,       \
                            Measure m, double* sums, double* weights, int32_t* labels,           \
                            double* cost);

namespace kindling::scalar { KINDLING_DECLARE_DISTANCE }
namespace kindling::avx2 { KINDLING_DECLARE_DISTANCE }
namespace kindling::avx512 { KINDLING_DECLARE_DISTANCE }

namespace kindling {
// Lane width the centre matrix is padded to (the widest tier's f64 lanes).
constexpr size_t kCentrePad = 8;
inline size_t pad_centres(size_t k) { return (k + kCentrePad - 1) / kCentrePad * kCentrePad; }
// Fills ct (d x kpad, row dd holds dimension dd of every centre) and cconst (kpad: 0 for a real
// centre, +inf for padding) from row-major centres c (k x d). For cosine the centres are divided
// by their norm. Returns kOk, or the index of the first centre that is not finite or (cosine)
// has zero norm.
int64_t prepare_centres(const double* c, size_t k, size_t d, Measure m, double* ct, double* cconst);
}  // namespace kindling
