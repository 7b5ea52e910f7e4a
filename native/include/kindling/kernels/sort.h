// Stable argsort with Spark's ordering: LSD radix sort (passes whose digit is the same for every row
// skipped) over order-preserving unsigned transforms of the keys. Doubles:
// -0.0 == 0.0, NaN (any payload) is larger than +inf and equal to every other NaN. Nulls (valid
// bit 0) go first or last as asked, in input order. Ties keep input order in both directions.
// Scalar only: the passes are scatter-bound (no lane parallelism to exploit).
#pragma once
#include "kindling/types.h"

#define KINDLING_DECLARE_SORT(name, T)                                                        \
  void name(const T* x, const uint8_t* valid, size_t bit_off, size_t n, bool descending,      \
            bool nulls_first, const int32_t* perm, size_t m, int32_t* out);

namespace kindling::scalar {
// Sorts the m row indices perm[0, m) (each in [0, n)) stably by x[row] and writes them to
// out[0, m). perm == nullptr means the rows 0 .. m - 1 (pass m = n to sort the whole column). Refining a multi-key sort: sort by the last key
// first, then pass the result as perm when sorting by the previous key, and so on (LSD over keys).
// Scratch memory comes from the heap (throws std::bad_alloc).
KINDLING_DECLARE_SORT(argsort_i32, int32_t)
KINDLING_DECLARE_SORT(argsort_i64, int64_t)
KINDLING_DECLARE_SORT(argsort_f64, double)
}  // namespace kindling::scalar
