// kindling/types.h: plain data shared by every kernel tier. No STL, no Node-API.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace kindling {

// One-pass column moments over the valid rows of a span (a mergeable partition summary).
// NaN values count in `count` and `nan_count`, propagate into sum/mean/m2 and are skipped by
// min/max (the TS layer applies Spark's NaN ordering on top). min/max over no non-NaN value
// are +inf/-inf.
struct Moments {
  double count;      // valid (non-null) rows
  double nan_count;  // valid rows that are NaN
  double sum;
  double mean;
  double m2;         // sum of squared deviations from mean
  double min;
  double max;
};

// Grouped aggregation accumulators: 4 doubles per group, interleaved so that one row touches
// one 32-byte slot: [count, sum, min, max].
constexpr size_t kGroupSlot = 4;

enum class Measure : int32_t { kSquaredEuclidean = 0, kCosine = 1 };

// Rows are consumed by the moments kernels in blocks of this many elements: the block mean is
// computed first, then the block M2 around it (the block is in L1), then merged (Chan et al.).
constexpr size_t kMomentsBlock = 512;

// Status returned by kernels that validate data: -1 = ok, otherwise the first offending row.
constexpr int64_t kOk = -1;

}  // namespace kindling
