// Gaussian-mixture exports: shape checks only (the values were validated once, where the
// components were built: ts/src/kernels/gmm.ts), the component preparation (gmm_prepare), then
// one kernel call through the table bound to the function.
#include <vector>

#include "args.h"
#include "exports.h"
#include "kindling/kernels/gmm.h"

namespace kindling::binding {

// gmmEStepF64(x: Float64Array, weights: Float64Array | null, d: number, k: number, shift: Float64Array, mixWeights: Float64Array, means: Float64Array, chol: Float64Array, logDet: Float64Array, respSum: Float64Array | null, sumX: Float64Array | null, sumXX: Float64Array | null, logLik: Float64Array | null, resp: Float64Array | null, pseudo: Uint8Array | null): number
Napi::Value GmmEStepF64(const Napi::CallbackInfo& info) {
  const char* fn = "gmmEStepF64";
  Napi::Env env = info.Env();
  auto x = typed_array<double>(info, 0, fn, "x");
  auto w = optional_typed_array<double>(info, 1, fn, "weights");
  size_t d = size_arg(info, 2, fn, "d");
  if (d == 0) throw_arg(env, std::string(fn) + ": d must be at least 1", true);
  if (x.length % d != 0) throw_arg(env, std::string(fn) + ": x length is not a multiple of d", true);
  size_t n = x.length / d;
  if (w.data != nullptr) expect_length(info, w.length, n, fn, "weights");
  size_t k = size_arg(info, 3, fn, "k");
  if (k == 0) throw_arg(env, std::string(fn) + ": k must be at least 1", true);
  if (d > 65536 || k > 65536) throw_arg(env, std::string(fn) + ": d and k must be at most 65536", true);
  auto shift = typed_array<double>(info, 4, fn, "shift");
  expect_length(info, shift.length, d, fn, "shift");
  auto mix = typed_array<double>(info, 5, fn, "mixWeights");
  expect_length(info, mix.length, k, fn, "mixWeights");
  auto means = typed_array<double>(info, 6, fn, "means");
  const size_t kd = checked_mul(info, fn, "means", {k, d});
  expect_length(info, means.length, kd, fn, "means");
  auto chol = typed_array<double>(info, 7, fn, "chol");
  expect_length(info, chol.length, checked_mul(info, fn, "chol", {k, d, d}), fn, "chol");
  auto log_det = typed_array<double>(info, 8, fn, "logDet");
  expect_length(info, log_det.length, k, fn, "logDet");
  auto resp_sum = optional_typed_array<double>(info, 9, fn, "respSum");
  auto sum_x = optional_typed_array<double>(info, 10, fn, "sumX");
  auto sum_xx = optional_typed_array<double>(info, 11, fn, "sumXX");
  auto loglik = optional_typed_array<double>(info, 12, fn, "logLik");
  bool stats = sum_x.data != nullptr;
  if (stats != (resp_sum.data != nullptr) || stats != (sum_xx.data != nullptr) || stats != (loglik.data != nullptr)) {
    throw_arg(env, std::string(fn) + ": respSum, sumX, sumXX and logLik must be given together (or all null)");
  }
  if (stats) {
    expect_length(info, resp_sum.length, k, fn, "respSum");
    expect_length(info, sum_x.length, kd, fn, "sumX");
    expect_length(info, sum_xx.length, checked_mul(info, fn, "sumXX", {k, checked_mul(info, fn, "sumXX", {d, d + 1}) / 2}), fn, "sumXX");
    expect_length(info, loglik.length, 2, fn, "logLik");
  }
  auto resp = optional_typed_array<double>(info, 13, fn, "resp");
  if (resp.data != nullptr) expect_length(info, resp.length, checked_mul(info, fn, "resp", {n, k}), fn, "resp");
  auto pseudo = optional_typed_array<uint8_t>(info, 14, fn, "pseudo");
  if (pseudo.data != nullptr) expect_length(info, pseudo.length, k, fn, "pseudo");
  const uint8_t* pseudo_flags = nullptr;  // null unless some component is a pseudo-inverse one
  for (size_t c = 0; c < pseudo.length && pseudo_flags == nullptr; ++c) {
    if (pseudo.data[c] != 0) pseudo_flags = pseudo.data;
  }
  std::vector<double> inv_diag(kd), log_c(k);
  gmm_prepare(mix.data, chol.data, log_det.data, k, d, inv_diag.data(), log_c.data());
  // The kernel works on x - shift: the means move with it.
  std::vector<double> means_shifted(kd);
  for (size_t e = 0; e < kd; ++e) means_shifted[e] = means.data[e] - shift.data[e % d];
  int64_t st = table(info).gmm_estep_f64(x.data, w.data, n, d, k, shift.data, means_shifted.data(), chol.data,
                                         inv_diag.data(), log_c.data(), pseudo_flags, resp_sum.data, sum_x.data,
                                         sum_xx.data, loglik.data, resp.data);
  return Napi::Number::New(env, static_cast<double>(st));
}

}  // namespace kindling::binding
