// Distances and the KMeans assignment step, scalar reference: direct sum_d (x_d - c_d)^2 in
// dimension order (no |x|^2 - 2x.c + |c|^2 expansion, so no cancellation), strict < over
// centres in index order (ties go to the lowest index).
#include <math.h>
#include "kindling/kernels/distance.h"

namespace kindling::scalar {
namespace {

// Distances from one point to every real centre; returns 0, or -1 when the point is unusable
// (cosine: zero/non-finite norm). *inv_norm receives 1/|x| for cosine.
int point_dists(const double* xi, size_t d, const double* ct, const double* cconst, size_t k,
                size_t kpad, Measure m, double* dist, double* inv_norm) {
  if (m == Measure::kCosine) {
    double nrm2 = 0;
    for (size_t dd = 0; dd < d; ++dd) nrm2 += xi[dd] * xi[dd];
    double nrm = sqrt(nrm2);
    if (!(nrm > 0) || !(nrm < __builtin_inf())) return -1;
    double inv = 1.0 / nrm;
    *inv_norm = inv;
    for (size_t j = 0; j < k; ++j) {
      double dot = 0;
      for (size_t dd = 0; dd < d; ++dd) dot += xi[dd] * ct[dd * kpad + j];
      dist[j] = 1.0 - dot * inv + cconst[j];
    }
  } else {
    for (size_t j = 0; j < k; ++j) {
      double acc = 0;
      for (size_t dd = 0; dd < d; ++dd) {
        double diff = xi[dd] - ct[dd * kpad + j];
        acc += diff * diff;
      }
      dist[j] = acc + cconst[j];
    }
  }
  return 0;
}

}  // namespace

int64_t pairwise_f64(const double* x, size_t n, size_t d, const double* ct, const double* cconst,
                     size_t k, size_t kpad, Measure m, double* out) {
  double inv = 0;
  for (size_t i = 0; i < n; ++i) {
    if (point_dists(x + i * d, d, ct, cconst, k, kpad, m, out + i * k, &inv) != 0) {
      return static_cast<int64_t>(i);
    }
  }
  return kOk;
}

int64_t kmeans_assign_f64(const double* x, const double* w, size_t n, size_t d, const double* ct,
                          const double* cconst, size_t k, size_t kpad, Measure m, double* sums,
                          double* weights, int32_t* labels, double* cost) {
  double* dist = new double[k > 0 ? k : 1];
  double total = *cost;
  int64_t status = kOk;
  for (size_t i = 0; i < n; ++i) {
    const double* xi = x + i * d;
    double inv = 1;
    if (point_dists(xi, d, ct, cconst, k, kpad, m, dist, &inv) != 0) {
      status = static_cast<int64_t>(i);
      break;
    }
    double best = __builtin_inf();
    size_t bj = k;
    for (size_t j = 0; j < k; ++j) {
      if (dist[j] < best) {
        best = dist[j];
        bj = j;
      }
    }
    if (bj == k) {
      status = static_cast<int64_t>(i);
      break;
    }
    double wi = w != nullptr ? w[i] : 1.0;
    double scale = m == Measure::kCosine ? wi * inv : wi;
    double* s = sums + bj * d;
    for (size_t dd = 0; dd < d; ++dd) s[dd] += scale * xi[dd];
    weights[bj] += wi;
    total += wi * best;
    if (labels != nullptr) labels[i] = static_cast<int32_t>(bj);
  }
  *cost = total;
  delete[] dist;
  return status;
}

}  // namespace kindling::scalar
