// Grouped aggregation, scalar reference. acc holds kGroupSlot doubles per group:
// [count, sum, min, max]. The caller initialises a group as [0, 0, NaN, -inf].
// count and sum include NaN values (sum becomes NaN, as Spark's sum does); min skips NaN unless
// every value is NaN (then it stays NaN); max becomes NaN once a NaN is seen (Spark orders NaN
// above every number). Null rows (validity bit 0) are skipped. Rows are folded in order, so every
// tier produces bit-identical results.
#include "kindling/kernels/groupby.h"

namespace kindling::scalar {

int64_t group_agg_f64(const int32_t* keys, const double* vals, const uint8_t* valid,
                      size_t bit_off, size_t n, size_t num_groups, double* acc) {
  for (size_t i = 0; i < n; ++i) {
    if (valid != nullptr && ((valid[(bit_off + i) >> 3] >> ((bit_off + i) & 7)) & 1) == 0) continue;
    uint32_t g = static_cast<uint32_t>(keys[i]);
    if (g >= num_groups) return static_cast<int64_t>(i);
    double v = vals[i];
    double* a = acc + g * kGroupSlot;
    a[0] += 1;
    a[1] += v;
    if (v != v) {
      a[3] = v;
    } else {
      a[2] = a[2] < v ? a[2] : v;
      a[3] = v > a[3] ? v : a[3];
    }
  }
  return kOk;
}

}  // namespace kindling::scalar
