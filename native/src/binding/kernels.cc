// Kernel exports: each checks shapes, then makes one kernel call through the table bound to the
// function (the active table, or one tier's table for _variants()).
#include <vector>

#include "args.h"
#include "exports.h"
#include "kindling/kernels/distance.h"
#include "kindling/kernels/groupby.h"
#include "kindling/kernels/hash.h"
#include "kindling/kernels/moments.h"
#include "kindling/kernels/validate.h"

namespace kindling::binding {
namespace {

void write_moments(const Moments& m, double* out) {
  out[0] = m.count;
  out[1] = m.nan_count;
  out[2] = m.sum;
  out[3] = m.mean;
  out[4] = m.m2;
  out[5] = m.min;
  out[6] = m.max;
}

template <typename T, Moments (*KernelTable::*Slot)(const T*, const uint8_t*, size_t, size_t)>
Napi::Value moments(const Napi::CallbackInfo& info, const char* fn) {
  auto x = typed_array<T>(info, 0, fn, "x");
  size_t bit_off = size_arg(info, 2, fn, "bitOffset");
  const uint8_t* valid = validity(info, 1, bit_off, x.length, fn);
  auto out = typed_array<double>(info, 3, fn, "out");
  expect_length(info, out.length, 7, fn, "out");
  write_moments((table(info).*Slot)(x.data, valid, bit_off, x.length), out.data);
  return info.Env().Undefined();
}

}  // namespace

// momentsF64(x: Float64Array, validity: Uint8Array | null, bitOffset: number, out: Float64Array): void
Napi::Value MomentsF64(const Napi::CallbackInfo& info) {
  return moments<double, &KernelTable::moments_f64>(info, "momentsF64");
}
// momentsF32(x: Float32Array, validity: Uint8Array | null, bitOffset: number, out: Float64Array): void
Napi::Value MomentsF32(const Napi::CallbackInfo& info) {
  return moments<float, &KernelTable::moments_f32>(info, "momentsF32");
}
// momentsI32(x: Int32Array, validity: Uint8Array | null, bitOffset: number, out: Float64Array): void
Napi::Value MomentsI32(const Napi::CallbackInfo& info) {
  return moments<int32_t, &KernelTable::moments_i32>(info, "momentsI32");
}

// _streamSumF64(x: Float64Array): number
Napi::Value StreamSumF64(const Napi::CallbackInfo& info) {
  auto x = typed_array<double>(info, 0, "_streamSumF64", "x");
  return Napi::Number::New(info.Env(), table(info).stream_sum_f64(x.data, x.length));
}

// _nativeThrow(kind: string): void
// Test-only: throws a C++ exception of `kind` (bad_alloc, length_error, other) from inside an
// export, so test/native/hostile.test.ts can show the guard (args.h) turns each into a coded error.
Napi::Value NativeThrow(const Napi::CallbackInfo& info) {
  const std::string kind = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : std::string();
  if (kind == "bad_alloc") throw std::bad_alloc();
  if (kind == "length_error") throw std::length_error("vector::reserve");
  if (kind == "other") throw 42;
  throw_arg(info.Env(), "_nativeThrow: expected one of bad_alloc, length_error, other for kind");
}

// groupAggF64(keys: Int32Array, values: Float64Array, validity: Uint8Array | null, bitOffset: number, numGroups: number, acc: Float64Array): number
Napi::Value GroupAggF64(const Napi::CallbackInfo& info) {
  const char* fn = "groupAggF64";
  auto keys = typed_array<int32_t>(info, 0, fn, "keys");
  auto vals = typed_array<double>(info, 1, fn, "values");
  expect_length(info, vals.length, keys.length, fn, "values");
  size_t bit_off = size_arg(info, 3, fn, "bitOffset");
  const uint8_t* valid = validity(info, 2, bit_off, keys.length, fn);
  size_t groups = size_arg(info, 4, fn, "numGroups");
  auto acc = typed_array<double>(info, 5, fn, "acc");
  expect_length(info, acc.length, checked_mul(info, fn, "acc", {groups, kGroupSlot}), fn, "acc");
  int64_t st = table(info).group_agg_f64(keys.data, vals.data, valid, bit_off, keys.length, groups, acc.data);
  return Napi::Number::New(info.Env(), static_cast<double>(st));
}

// groupAggInitF64(numGroups: number): Float64Array
Napi::Value GroupAggInitF64(const Napi::CallbackInfo& info) {
  const char* fn = "groupAggInitF64";
  size_t groups = size_arg(info, 0, fn, "numGroups");
  if (groups > (size_t{1} << 27)) throw_arg(info.Env(), "groupAggInitF64: numGroups must be at most 2^27", true);
  // V8-owned and freshly allocated (untouched), so the huge-page advice can still take effect.
  // The view starts on a 32-byte boundary: a slot is one 256-bit store, and a store split across
  // two cache lines costs ~25% more in the kernel.
  const size_t len = checked_mul(info, fn, "acc", {groups, kGroupSlot});
  Napi::ArrayBuffer buf = new_buffer(info.Env(), (len + kGroupSlot) * sizeof(double));
  uintptr_t addr = reinterpret_cast<uintptr_t>(buf.Data());
  size_t offset = ((addr + 31) & ~uintptr_t{31}) - addr;
  Napi::Float64Array acc = Napi::Float64Array::New(info.Env(), len, buf, offset);
  group_agg_init(acc.Data(), groups);
  return acc;
}

namespace {
Napi::Value murmur(const Napi::CallbackInfo& info, const char* fn, bool legacy) {
  auto bytes = typed_array<uint8_t>(info, 0, fn, "bytes");
  auto offsets = typed_array<int32_t>(info, 1, fn, "offsets");
  // The kernels trust offsets: check them here so a bad call can never read out of bounds.
  check_offsets(info, fn, "strings.offsets", offsets, bytes.length);
  const size_t n = offsets.length - 1;
  Napi::Value sv = info[2];
  if (!sv.IsNumber()) throw_arg(info.Env(), std::string(fn) + ": expected a number for seed");
  const double sd = sv.As<Napi::Number>().DoubleValue();
  if (!(sd >= -2147483648.0 && sd <= 4294967295.0) || sd != static_cast<double>(static_cast<int64_t>(sd))) {
    throw_arg(info.Env(), std::string(fn) + ": expected an integer in [-2^31, 2^32 - 1] for seed", true);
  }
  const uint32_t seed = static_cast<uint32_t>(static_cast<int64_t>(sd));
  auto out = typed_array<int32_t>(info, 3, fn, "out");
  expect_length(info, out.length, n, fn, "out");
  if (legacy) scalar::murmur3_legacy_batch(bytes.data, offsets.data, n, seed, out.data);
  else table(info).murmur3_batch(bytes.data, offsets.data, n, seed, out.data);
  return info.Env().Undefined();
}

struct Centres {
  std::vector<double> ct, cconst;
  size_t n, d, k, kpad;
  Measure m;
};

// Shared shape checks of pairwiseF64 / kmeansAssignF64: x (n x d), centers (k x d), measure.
Centres centres(const Napi::CallbackInfo& info, const char* fn, Span<double> x, size_t d_idx,
                size_t c_idx, size_t k_idx, size_t m_idx) {
  Centres c;
  c.d = size_arg(info, d_idx, fn, "d");
  if (c.d == 0) throw_arg(info.Env(), std::string(fn) + ": d must be at least 1", true);
  if (x.length % c.d != 0) throw_arg(info.Env(), std::string(fn) + ": x length is not a multiple of d", true);
  c.n = x.length / c.d;
  auto cen = typed_array<double>(info, c_idx, fn, "centers");
  c.k = size_arg(info, k_idx, fn, "k");
  if (c.k == 0) throw_arg(info.Env(), std::string(fn) + ": k must be at least 1", true);
  expect_length(info, cen.length, checked_mul(info, fn, "centers", {c.k, c.d}), fn, "centers");
  size_t m = size_arg(info, m_idx, fn, "measure");
  if (m > 1) throw_arg(info.Env(), std::string(fn) + ": measure must be 0 (squaredEuclidean) or 1 (cosine)", true);
  c.m = static_cast<Measure>(m);
  c.kpad = pad_centres(c.k);
  c.ct.assign(checked_mul(info, fn, "the padded centres", {c.kpad, c.d}), 0.0);
  c.cconst.assign(c.kpad, 0.0);
  int64_t bad = prepare_centres(cen.data, c.k, c.d, c.m, c.ct.data(), c.cconst.data());
  if (bad != kOk) {
    throw_arg(info.Env(), std::string(fn) + ": centre " + std::to_string(bad) +
                              (c.m == Measure::kCosine ? " has zero or non-finite norm" : " is not finite"), true);
  }
  return c;
}
}  // namespace

// murmur3Batch(bytes: Uint8Array, offsets: Int32Array, seed: number, out: Int32Array): void
Napi::Value Murmur3Batch(const Napi::CallbackInfo& info) { return murmur(info, "murmur3Batch", false); }
// murmur3LegacyBatch(bytes: Uint8Array, offsets: Int32Array, seed: number, out: Int32Array): void
Napi::Value Murmur3LegacyBatch(const Napi::CallbackInfo& info) { return murmur(info, "murmur3LegacyBatch", true); }

// pairwiseF64(x: Float64Array, d: number, centers: Float64Array, k: number, measure: number, out: Float64Array): number
Napi::Value PairwiseF64(const Napi::CallbackInfo& info) {
  const char* fn = "pairwiseF64";
  auto x = typed_array<double>(info, 0, fn, "x");
  Centres c = centres(info, fn, x, 1, 2, 3, 4);
  auto out = typed_array<double>(info, 5, fn, "out");
  expect_length(info, out.length, checked_mul(info, fn, "out", {c.n, c.k}), fn, "out");
  int64_t st = table(info).pairwise_f64(x.data, c.n, c.d, c.ct.data(), c.cconst.data(), c.k, c.kpad, c.m, out.data);
  return Napi::Number::New(info.Env(), static_cast<double>(st));
}

// kmeansAssignF64(x: Float64Array, weights: Float64Array | null, d: number, centers: Float64Array, k: number, measure: number, sums: Float64Array, clusterWeights: Float64Array, labels: Int32Array | null, cost: Float64Array): number
Napi::Value KmeansAssignF64(const Napi::CallbackInfo& info) {
  const char* fn = "kmeansAssignF64";
  auto x = typed_array<double>(info, 0, fn, "x");
  Centres c = centres(info, fn, x, 2, 3, 4, 5);
  auto w = optional_typed_array<double>(info, 1, fn, "weights");
  if (w.data != nullptr) expect_length(info, w.length, c.n, fn, "weights");
  auto sums = typed_array<double>(info, 6, fn, "sums");
  expect_length(info, sums.length, checked_mul(info, fn, "sums", {c.k, c.d}), fn, "sums");
  auto cw = typed_array<double>(info, 7, fn, "clusterWeights");
  expect_length(info, cw.length, c.k, fn, "clusterWeights");
  auto labels = optional_typed_array<int32_t>(info, 8, fn, "labels");
  if (labels.data != nullptr) expect_length(info, labels.length, c.n, fn, "labels");
  auto cost = typed_array<double>(info, 9, fn, "cost");
  expect_length(info, cost.length, 1, fn, "cost");
  int64_t st = table(info).kmeans_assign_f64(x.data, w.data, c.n, c.d, c.ct.data(), c.cconst.data(), c.k, c.kpad,
                                             c.m, sums.data, cw.data, labels.data, cost.data);
  return Napi::Number::New(info.Env(), static_cast<double>(st));
}

// firstBadRowF64(x: Float64Array, d: number, flags: number): number
Napi::Value FirstBadRowF64(const Napi::CallbackInfo& info) {
  const char* fn = "firstBadRowF64";
  auto x = typed_array<double>(info, 0, fn, "x");
  size_t d = size_arg(info, 1, fn, "d");
  if (d == 0) throw_arg(info.Env(), std::string(fn) + ": d must be at least 1", true);
  if (x.length % d != 0) throw_arg(info.Env(), std::string(fn) + ": x length is not a multiple of d", true);
  size_t flags = size_arg(info, 2, fn, "flags");
  if (flags > (kRowNonZeroNorm | kRowFiniteNorm)) throw_arg(info.Env(), std::string(fn) + ": unknown flags", true);
  int64_t st = table(info).first_bad_row_f64(x.data, x.length / d, d, static_cast<uint32_t>(flags));
  return Napi::Number::New(info.Env(), static_cast<double>(st));
}

// firstBadWeightF64(w: Float64Array): number
Napi::Value FirstBadWeightF64(const Napi::CallbackInfo& info) {
  const char* fn = "firstBadWeightF64";
  auto w = typed_array<double>(info, 0, fn, "w");
  int64_t st = table(info).first_bad_weight_f64(w.data, w.length);
  return Napi::Number::New(info.Env(), static_cast<double>(st));
}

}  // namespace kindling::binding
