// Grouped aggregation: int32 group codes -> per-group [count, sum, min, max] (kGroupSlot doubles).
#pragma once
#include "kindling/types.h"

#define KINDLING_DECLARE_GROUPBY                                                               \
  int64_t group_agg_f64(const int32_t* keys, const double* vals, const uint8_t* valid,         \
                        size_t bit_off, size_t n, size_t num_groups, double* acc);

namespace kindling::scalar { KINDLING_DECLARE_GROUPBY }
namespace kindling::avx2 { KINDLING_DECLARE_GROUPBY }
// No AVX-512 tier: the AVX2 kernel is as fast (see dispatch.cc).

namespace kindling {
// Initialises n_groups slots to [0, 0, NaN, -inf]. When the buffer is large it first asks the
// OS (Linux: madvise MADV_HUGEPAGE) for huge pages, which cuts TLB misses of random slot access.
void group_agg_init(double* acc, size_t num_groups);
}  // namespace kindling
