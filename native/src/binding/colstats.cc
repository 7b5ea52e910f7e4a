// Column statistics and the scalers' affine map (kindling/kernels/colstats.h): shape checks,
// then one kernel call through the table bound to the export.
#include <vector>

#include "args.h"
#include "exports.h"
#include "kindling/kernels/colstats.h"

namespace kindling::binding {
namespace {

// n = x.length / d rows; d >= 1 and x.length a multiple of d.
size_t rows_of(const Napi::CallbackInfo& info, size_t len, size_t d, const char* fn) {
  if (d == 0) throw_arg(info.Env(), std::string(fn) + ": d must be at least 1", true);
  if (len % d != 0) throw_arg(info.Env(), std::string(fn) + ": x length is not a multiple of d", true);
  return len / d;
}

}  // namespace

// colStatsF64(x: Float64Array, d: number, out: Float64Array): void
Napi::Value ColStatsF64(const Napi::CallbackInfo& info) {
  const char* fn = "colStatsF64";
  auto x = typed_array<double>(info, 0, fn, "x");
  size_t d = size_arg(info, 1, fn, "d");
  size_t n = rows_of(info, x.length, d, fn);
  auto out = typed_array<double>(info, 2, fn, "out");
  size_t five_d = checked_mul(info, fn, "out", {d, 5});
  expect_length(info, out.length, five_d + 1, fn, "out");
  std::vector<double> scratch(five_d);
  table(info).colstats_f64(x.data, n, d, out.data, scratch.data());
  return info.Env().Undefined();
}

// affineRowsF64(x: Float64Array, d: number, shift: Float64Array, scale: Float64Array, offset: Float64Array, y: Float64Array): void
Napi::Value AffineRowsF64(const Napi::CallbackInfo& info) {
  const char* fn = "affineRowsF64";
  auto x = typed_array<double>(info, 0, fn, "x");
  size_t d = size_arg(info, 1, fn, "d");
  size_t n = rows_of(info, x.length, d, fn);
  auto shift = typed_array<double>(info, 2, fn, "shift");
  expect_length(info, shift.length, d, fn, "shift");
  auto scale = typed_array<double>(info, 3, fn, "scale");
  expect_length(info, scale.length, d, fn, "scale");
  auto offset = typed_array<double>(info, 4, fn, "offset");
  expect_length(info, offset.length, d, fn, "offset");
  auto y = typed_array<double>(info, 5, fn, "y");
  expect_length(info, y.length, x.length, fn, "y");
  table(info).affine_f64(x.data, n, d, shift.data, scale.data, offset.data, y.data);
  return info.Env().Undefined();
}

}  // namespace kindling::binding
