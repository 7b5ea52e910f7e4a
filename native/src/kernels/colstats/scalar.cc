// Column statistics and the affine map, scalar: the spec (ts/src/kernels/colstats.ts's JS twin
// does the same operations in the same order, so the two agree bit for bit).
#include "kindling/types.h"
#include "kindling/kernels/colstats.h"

namespace kindling {

void colstats_init(double* out, size_t d) {
  out[0] = 0;
  for (size_t j = 0; j < d; ++j) {
    out[1 + j] = 0;
    out[1 + d + j] = 0;
    out[1 + 2 * d + j] = __DBL_MAX__;
    out[1 + 3 * d + j] = -__DBL_MAX__;
    out[1 + 4 * d + j] = 0;
  }
}

void colstats_merge_block(double* out, const double* block, size_t d, double m) {
  double* mean = out + 1;
  double* m2 = mean + d;
  double* mn = m2 + d;
  double* mx = mn + d;
  double* nnz = mx + d;
  const double* bmean = block;
  const double* bm2 = bmean + d;
  const double* bmn = bm2 + d;
  const double* bmx = bmn + d;
  const double* bnnz = bmx + d;
  const double count = out[0];
  if (count == 0) {
    for (size_t k = 0; k < 5 * d; ++k) out[1 + k] = block[k];
    out[0] = m;
    return;
  }
  const double total = count + m;
  const double wb = m / total;
  const double wab = (count * m) / total;
  for (size_t j = 0; j < d; ++j) {
    const double delta = bmean[j] - mean[j];
    mean[j] = mean[j] + delta * wb;
    m2[j] = m2[j] + bm2[j] + delta * delta * wab;
    if (bmn[j] < mn[j]) mn[j] = bmn[j];
    if (bmx[j] > mx[j]) mx[j] = bmx[j];
    nnz[j] = nnz[j] + bnnz[j];
  }
  out[0] = total;
}

}  // namespace kindling

namespace kindling::scalar {

void colstats_f64(const double* x, size_t n, size_t d, double* out, double* scratch) {
  double* bmean = scratch;
  double* bm2 = bmean + d;
  double* bmn = bm2 + d;
  double* bmx = bmn + d;
  double* bnnz = bmx + d;
  colstats_init(out, d);
  for (size_t start = 0; start < n; start += kColStatsBlock) {
    const size_t end = start + kColStatsBlock < n ? start + kColStatsBlock : n;
    const double m = static_cast<double>(end - start);
    // per feature: the sums and squared deviations go to four partial sums by row (row - start)
    // % 4, added as (p0 + p1) + (p2 + p3): the order every tier and the JS twin follow
    for (size_t j = 0; j < d; ++j) {
      double p[4] = {0, 0, 0, 0};
      double lo = __DBL_MAX__, hi = -__DBL_MAX__, nz = 0;
      for (size_t i = start; i < end; ++i) {
        const double v = x[i * d + j];
        p[(i - start) & 3] += v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (v != 0) nz += 1;
      }
      const double mean = ((p[0] + p[1]) + (p[2] + p[3])) / m;
      double q[4] = {0, 0, 0, 0};
      for (size_t i = start; i < end; ++i) {
        const double dev = x[i * d + j] - mean;
        q[(i - start) & 3] += dev * dev;
      }
      bmean[j] = mean;
      bm2[j] = (q[0] + q[1]) + (q[2] + q[3]);
      bmn[j] = lo;
      bmx[j] = hi;
      bnnz[j] = nz;
    }
    colstats_merge_block(out, scratch, d, m);
  }
}

void affine_f64(const double* x, size_t n, size_t d, const double* shift, const double* scale,
                const double* offset, double* y) {
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < d; ++j) y[i * d + j] = (x[i * d + j] - shift[j]) * scale[j] + offset[j];
  }
}

}  // namespace kindling::scalar
