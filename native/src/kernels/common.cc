// Tier-independent helpers: the moments merge and the centre preparation for distance kernels.
#include <math.h>
#include <stdint.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif
#include "kindling/kernels/distance.h"
#include "kindling/kernels/groupby.h"
#include "kindling/kernels/moments.h"

namespace kindling {

void group_agg_init(double* acc, size_t num_groups) {
  size_t bytes = num_groups * kGroupSlot * sizeof(double);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  // Only the 2 MiB-aligned interior can become huge pages; it must not be touched yet.
  constexpr uintptr_t kHuge = uintptr_t{1} << 21;
  uintptr_t lo = (reinterpret_cast<uintptr_t>(acc) + kHuge - 1) & ~(kHuge - 1);
  uintptr_t hi = (reinterpret_cast<uintptr_t>(acc) + bytes) & ~(kHuge - 1);
  if (bytes >= 4 * kHuge && hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
#endif
  for (size_t g = 0; g < num_groups; ++g) {
    acc[g * kGroupSlot] = 0;
    acc[g * kGroupSlot + 1] = 0;
    acc[g * kGroupSlot + 2] = __builtin_nan("");
    acc[g * kGroupSlot + 3] = -__builtin_inf();
  }
}

Moments moments_zero() { return Moments{0, 0, 0, 0, 0, __builtin_inf(), -__builtin_inf()}; }

Moments moments_merge(const Moments& a, const Moments& b) {
  Moments r = a;
  r.nan_count = a.nan_count + b.nan_count;
  r.sum = a.sum + b.sum;
  r.min = b.min < a.min ? b.min : a.min;
  r.max = b.max > a.max ? b.max : a.max;
  if (b.count == 0) return r;
  if (a.count == 0) {
    r.count = b.count;
    r.mean = b.mean;
    r.m2 = b.m2;
    return r;
  }
  double n = a.count + b.count, delta = b.mean - a.mean;
  r.count = n;
  r.mean = a.mean + delta * (b.count / n);
  r.m2 = a.m2 + b.m2 + delta * delta * (a.count * b.count / n);
  return r;
}

int64_t prepare_centres(const double* c, size_t k, size_t d, Measure m, double* ct, double* cconst) {
  size_t kpad = pad_centres(k);
  for (size_t j = 0; j < kpad; ++j) {
    cconst[j] = j < k ? 0.0 : __builtin_inf();
    double scale = 1.0;
    if (j < k) {
      double nrm2 = 0;
      for (size_t dd = 0; dd < d; ++dd) {
        double v = c[j * d + dd];
        if (!isfinite(v)) return static_cast<int64_t>(j);
        nrm2 += v * v;
      }
      if (m == Measure::kCosine) {
        double nrm = sqrt(nrm2);
        if (!(nrm > 0)) return static_cast<int64_t>(j);
        scale = 1.0 / nrm;
      }
    }
    for (size_t dd = 0; dd < d; ++dd) ct[dd * kpad + j] = j < k ? c[j * d + dd] * scale : 0.0;
  }
  return kOk;
}

}  // namespace kindling
