// PCA's Gram export (issue 14, selection): shape checks only (the rows were validated where they
// were read: ts/ml/feature/pca-tasks.ts), then one kernel call through the table bound to the
// function.
#include "args.h"
#include "exports.h"
#include "kindling/kernels/gram.h"

namespace kindling::binding {

// gramAddF64(x: Float64Array, d: number, shift: Float64Array, gram: Float64Array, sums: Float64Array): void
Napi::Value GramAddF64(const Napi::CallbackInfo& info) {
  const char* fn = "gramAddF64";
  Napi::Env env = info.Env();
  auto x = typed_array<double>(info, 0, fn, "x");
  size_t d = size_arg(info, 1, fn, "d");
  if (d == 0) throw_arg(env, std::string(fn) + ": d must be at least 1", true);
  if (x.length % d != 0) throw_arg(env, std::string(fn) + ": x length is not a multiple of d", true);
  auto shift = typed_array<double>(info, 2, fn, "shift");
  expect_length(info, shift.length, d, fn, "shift");
  auto gram = typed_array<double>(info, 3, fn, "gram");
  expect_length(info, gram.length, checked_mul(info, fn, "gram", {d, d}), fn, "gram");
  auto sums = typed_array<double>(info, 4, fn, "sums");
  expect_length(info, sums.length, d, fn, "sums");
  table(info).gram_add_f64(x.data, x.length / d, d, shift.data, gram.data, sums.data);
  return env.Undefined();
}

}  // namespace kindling::binding
