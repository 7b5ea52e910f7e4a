// Column moments (count, NaN count, sum, mean, M2, min, max) over one span, one tier per namespace.
#pragma once
#include "kindling/types.h"

#define KINDLING_DECLARE_MOMENTS                                                                \
  Moments moments_f64(const double* x, const uint8_t* valid, size_t bit_off, size_t n);         \
  Moments moments_f32(const float* x, const uint8_t* valid, size_t bit_off, size_t n);          \
  Moments moments_i32(const int32_t* x, const uint8_t* valid, size_t bit_off, size_t n);        \
  /* Plain sum with independent accumulators: measures the memory-read floor (benchmarks). */   \
  double stream_sum_f64(const double* x, size_t n);

namespace kindling::scalar { KINDLING_DECLARE_MOMENTS }
namespace kindling::avx2 { KINDLING_DECLARE_MOMENTS }
// No AVX-512 tier: memory-bound, 256-bit loads already saturate bandwidth (see dispatch.cc).

namespace kindling {
// Chan et al. merge of two summaries (associative; a zero summary is the identity).
Moments moments_merge(const Moments& a, const Moments& b);
Moments moments_zero();
}  // namespace kindling
