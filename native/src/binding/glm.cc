// The GLM loss and gradient and the margins (kindling/kernels/glm.h): shape checks (and, for the
// multinomial loss, that every label indexes a class: the kernel indexes by it), then one kernel
// call through the table bound to the export.
#include <vector>

#include "args.h"
#include "exports.h"
#include "kindling/kernels/glm.h"

namespace kindling::binding {

// glmLossGradF64(kind: number, x: Float64Array, y: Float64Array, w: Float64Array | null, d: number, k: number, coef: Float64Array, intercept: Float64Array, grad: Float64Array, sums: Float64Array): void
// n = y.length rows; grad (k*d + k) and sums ([loss, weightSum]) are added into.
Napi::Value GlmLossGradF64(const Napi::CallbackInfo& info) {
  const char* fn = "glmLossGradF64";
  size_t kind = size_arg(info, 0, fn, "kind");
  if (kind > kGlmHinge) throw_arg(info.Env(), std::string(fn) + ": expected kind 0 (binomial), 1 (multinomial), 2 (squared) or 3 (hinge)", true);
  auto x = typed_array<double>(info, 1, fn, "x");
  auto y = typed_array<double>(info, 2, fn, "y");
  auto w = optional_typed_array<double>(info, 3, fn, "w");
  size_t d = size_arg(info, 4, fn, "d");
  size_t k = size_arg(info, 5, fn, "k");
  if (k == 0) throw_arg(info.Env(), std::string(fn) + ": k must be at least 1", true);
  if (kind != kGlmMultinomial && k != 1) throw_arg(info.Env(), std::string(fn) + ": k must be 1 for a loss with one margin", true);
  size_t n = y.length;
  expect_length(info, x.length, checked_mul(info, fn, "x", {n, d}), fn, "x");
  if (w.data != nullptr) expect_length(info, w.length, n, fn, "w");
  auto coef = typed_array<double>(info, 6, fn, "coef");
  size_t kd = checked_mul(info, fn, "coef", {k, d});
  expect_length(info, coef.length, kd, fn, "coef");
  auto intercept = typed_array<double>(info, 7, fn, "intercept");
  expect_length(info, intercept.length, k, fn, "intercept");
  auto grad = typed_array<double>(info, 8, fn, "grad");
  if (kd > SIZE_MAX - k) throw_arg(info.Env(), std::string(fn) + ": the size of grad overflows", true);
  expect_length(info, grad.length, kd + k, fn, "grad");
  auto sums = typed_array<double>(info, 9, fn, "sums");
  expect_length(info, sums.length, 2, fn, "sums");
  if (kind == kGlmMultinomial) {
    for (size_t i = 0; i < n; ++i) {
      const double v = y.data[i];
      if (!(v >= 0 && v < static_cast<double>(k) && v == static_cast<double>(static_cast<size_t>(v)))) {
        throw_arg(info.Env(), std::string(fn) + ": label at row " + std::to_string(i) + " is not a class index below k", true);
      }
    }
  }
  std::vector<double> scratch(checked_mul(info, fn, "scratch", {k, 8}));  // glm.h: 8k doubles
  table(info).glm_loss_grad_f64(static_cast<int32_t>(kind), x.data, y.data, w.data, n, d, k, coef.data, intercept.data,
                                grad.data, sums.data, scratch.data());
  return info.Env().Undefined();
}

// glmMarginsF64(x: Float64Array, n: number, d: number, coef: Float64Array, intercept: Float64Array, k: number, out: Float64Array): void
// out (n x k) = x coefᵀ + intercept
Napi::Value GlmMarginsF64(const Napi::CallbackInfo& info) {
  const char* fn = "glmMarginsF64";
  auto x = typed_array<double>(info, 0, fn, "x");
  size_t n = size_arg(info, 1, fn, "n");
  size_t d = size_arg(info, 2, fn, "d");
  expect_length(info, x.length, checked_mul(info, fn, "x", {n, d}), fn, "x");
  auto coef = typed_array<double>(info, 3, fn, "coef");
  auto intercept = typed_array<double>(info, 4, fn, "intercept");
  size_t k = size_arg(info, 5, fn, "k");
  if (k == 0) throw_arg(info.Env(), std::string(fn) + ": k must be at least 1", true);
  expect_length(info, coef.length, checked_mul(info, fn, "coef", {k, d}), fn, "coef");
  expect_length(info, intercept.length, k, fn, "intercept");
  auto out = typed_array<double>(info, 6, fn, "out");
  expect_length(info, out.length, checked_mul(info, fn, "out", {n, k}), fn, "out");
  table(info).glm_margins_f64(x.data, n, d, coef.data, intercept.data, k, out.data);
  return info.Env().Undefined();
}

}  // namespace kindling::binding
