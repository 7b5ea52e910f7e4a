// Gaussian-mixture E-step, scalar reference (the spec of gmm.h): one row at a time (x - shift),
// components in index order, forward substitution in dimension order (a pseudo-inverse
// component: z = W (x - mu), row by row, each a dot product in dimension order), Spark's summation
// orders (probSum over components in order; BLAS.axpy for the means; BLAS.dspr's
// column-by-column upper triangle with temp = r * x_j for the outer products).
#include <math.h>
#include "kindling/kernels/gmm.h"

namespace kindling::scalar {

int64_t gmm_estep_f64(const double* x, const double* w, size_t n, size_t d, size_t k,
                      const double* shift, const double* means, const double* chol,
                      const double* inv_diag, const double* log_c, const uint8_t* pseudo,
                      double* resp_sum, double* sum_x, double* sum_xx, double* loglik,
                      double* resp) {
  const size_t tri = d * (d + 1) / 2;
  double* xi = new double[2 * d + 2 * k + 1];
  double* z = xi + d;
  double* l = z + d;
  double* p = l + k;
  double ll = loglik != nullptr ? loglik[0] : 0;
  double floored = loglik != nullptr ? loglik[1] : 0;
  int64_t status = kOk;
  for (size_t i = 0; i < n; ++i) {
    double wi = w != nullptr ? w[i] : 1.0;
    bool ok = wi >= 0 && wi < __builtin_inf();
    for (size_t a = 0; a < d; ++a) {
      xi[a] = x[i * d + a] - shift[a];
      ok = ok && isfinite(xi[a]);
    }
    if (!ok) {
      status = static_cast<int64_t>(i);
      break;
    }
    double m = kGmmLogEpsilon;
    for (size_t c = 0; c < k; ++c) {
      const double* mu = means + c * d;
      const double* L = chol + c * d * d;
      const double* inv = inv_diag + c * d;
      double q = 0;
      if (pseudo != nullptr && pseudo[c] != 0) {
        // L holds W (full, row-major): q = |W (x - mu)|^2, Spark's root pseudo-inverse.
        for (size_t t = 0; t < d; ++t) z[t] = xi[t] - mu[t];
        for (size_t j = 0; j < d; ++j) {
          double s = 0;
          for (size_t t = 0; t < d; ++t) s += L[j * d + t] * z[t];
          q += s * s;
        }
      } else {
        for (size_t j = 0; j < d; ++j) {
          double s = xi[j] - mu[j];
          for (size_t t = 0; t < j; ++t) s -= L[j * d + t] * z[t];
          z[j] = s * inv[j];
          q += z[j] * z[j];
        }
      }
      l[c] = log_c[c] - 0.5 * q;
      if (l[c] > m) m = l[c];
    }
    double e_eps = exp(kGmmLogEpsilon - m);
    double den = 0;
    for (size_t c = 0; c < k; ++c) {
      p[c] = e_eps + exp(l[c] - m);
      den += p[c];
    }
    if (!(den >= 1) || !(den < __builtin_inf())) {
      status = static_cast<int64_t>(i);
      break;
    }
    if (resp != nullptr) {
      for (size_t c = 0; c < k; ++c) resp[i * k + c] = p[c] / den;
    }
    if (sum_x == nullptr) continue;
    ll += (m + log(den)) * wi;
    if (!(m > kGmmLogEpsilon)) floored += wi;
    for (size_t c = 0; c < k; ++c) {
      double r = p[c] / den * wi;
      resp_sum[c] += r;
      double* sx = sum_x + c * d;
      for (size_t a = 0; a < d; ++a) sx[a] += r * xi[a];
      double* sxx = sum_xx + c * tri;
      for (size_t j = 0; j < d; ++j) {
        double temp = r * xi[j];
        double* col = sxx + j * (j + 1) / 2;
        for (size_t a = 0; a <= j; ++a) col[a] += xi[a] * temp;
      }
    }
  }
  if (loglik != nullptr) {
    loglik[0] = ll;
    loglik[1] = floored;
  }
  delete[] xi;
  return status;
}

}  // namespace kindling::scalar
