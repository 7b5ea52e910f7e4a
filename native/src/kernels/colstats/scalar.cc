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
    for (size_t j = 0; j < d; ++j) {
      bmean[j] = 0;
      bm2[j] = 0;
      bmn[j] = __DBL_MAX__;
      bmx[j] = -__DBL_MAX__;
      bnnz[j] = 0;
    }
    for (size_t i = start; i < end; ++i) {
      const double* row = x + i * d;
      for (size_t j = 0; j < d; ++j) {
        const double v = row[j];
        bmean[j] += v;
        if (v < bmn[j]) bmn[j] = v;
        if (v > bmx[j]) bmx[j] = v;
        if (v != 0) bnnz[j] += 1;
      }
    }
    for (size_t j = 0; j < d; ++j) bmean[j] /= m;
    for (size_t i = start; i < end; ++i) {
      const double* row = x + i * d;
      for (size_t j = 0; j < d; ++j) {
        const double dev = row[j] - bmean[j];
        bm2[j] += dev * dev;
      }
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
