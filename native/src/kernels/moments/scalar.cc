// Column moments, scalar reference (the spec every SIMD tier is checked against).
// Rows are taken in blocks of kMomentsBlock: the block's count, NaN count, min, max and the sum of
// x - k (k = the block's first valid finite value, else 0) in one loop, giving sum = cnt k + s
// and mean = k + s / cnt; then M2 around the block mean in a second loop over the
// (cache-resident) block; then a Chan et al. merge into the running summary. The shift keeps
// the block means exact to the data's spread rather than its offset, which the merge's
// delta^2 term needs (at offset/spread = 1e9: ~1e-9 relative M2 error instead of ~1e-8).
// Plain loops, no reassociation.
#include "kindling/kernels/moments.h"

namespace kindling::scalar {
namespace {

constexpr double kInf = __builtin_inf();

inline bool is_valid(const uint8_t* valid, size_t bit) {
  return valid == nullptr || ((valid[bit >> 3] >> (bit & 7)) & 1) != 0;
}

inline void merge_block(Moments& s, double cnt, double mean, double m2) {
  if (s.count == 0) {
    s.count = cnt;
    s.mean = mean;
    s.m2 = m2;
    return;
  }
  double n = s.count + cnt;
  double delta = mean - s.mean;
  s.mean += delta * (cnt / n);
  s.m2 += m2 + delta * delta * (s.count * cnt / n);
  s.count = n;
}

template <typename T>
Moments moments_impl(const T* x, const uint8_t* valid, size_t bit_off, size_t n) {
  Moments s{0, 0, 0, 0, 0, kInf, -kInf};
  for (size_t b = 0; b < n; b += kMomentsBlock) {
    size_t e = b + kMomentsBlock < n ? b + kMomentsBlock : n;
    double k = 0;
    for (size_t i = b; i < e; ++i) {
      double v = static_cast<double>(x[i]);
      if (is_valid(valid, bit_off + i) && v - v == 0) {
        k = v;
        break;
      }
    }
    double cnt = 0, shifted = 0, nans = 0;
    for (size_t i = b; i < e; ++i) {
      if (!is_valid(valid, bit_off + i)) continue;
      double v = static_cast<double>(x[i]);
      cnt += 1;
      shifted += v - k;
      if (v != v) {
        nans += 1;
        continue;
      }
      s.min = v < s.min ? v : s.min;
      s.max = v > s.max ? v : s.max;
    }
    if (cnt == 0) continue;
    double sum = cnt * k + shifted;
    double mean = k + shifted / cnt, m2 = 0;
    for (size_t i = b; i < e; ++i) {
      if (!is_valid(valid, bit_off + i)) continue;
      double dv = static_cast<double>(x[i]) - mean;
      m2 += dv * dv;
    }
    s.sum += sum;
    s.nan_count += nans;
    merge_block(s, cnt, mean, m2);
  }
  return s;
}

}  // namespace

Moments moments_f64(const double* x, const uint8_t* valid, size_t bit_off, size_t n) {
  return moments_impl(x, valid, bit_off, n);
}
Moments moments_f32(const float* x, const uint8_t* valid, size_t bit_off, size_t n) {
  return moments_impl(x, valid, bit_off, n);
}
Moments moments_i32(const int32_t* x, const uint8_t* valid, size_t bit_off, size_t n) {
  return moments_impl(x, valid, bit_off, n);
}

double stream_sum_f64(const double* x, size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += x[i];
    s1 += x[i + 1];
    s2 += x[i + 2];
    s3 += x[i + 3];
  }
  for (; i < n; ++i) s0 += x[i];
  return (s0 + s1) + (s2 + s3);
}

}  // namespace kindling::scalar
