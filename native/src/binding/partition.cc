// Shuffle exports: Spark's Murmur3Hash per column (through the tier table), Pmod partition ids,
// and the stable counting-sort scatter of rows by partition (or any dense code).
#include "exports.h"
#include "kindling/kernels/hashtable.h"
#include "kindling/kernels/partition.h"
#include "relational_args.h"

namespace kindling::binding {
namespace {

template <typename T, void (*KernelTable::*Slot)(const T*, const uint8_t*, size_t, size_t, int32_t*)>
Napi::Value murmur3_col(const Napi::CallbackInfo& info, const char* fn) {
  auto x = typed_array<T>(info, 0, fn, "values");
  size_t bit_off = size_arg(info, 2, fn, "bitOffset");
  const uint8_t* valid = validity(info, 1, bit_off, x.length, fn);
  auto h = typed_array<int32_t>(info, 3, fn, "hashes");
  expect_length(info, h.length, x.length, fn, "hashes");
  (table(info).*Slot)(x.data, valid, bit_off, x.length, h.data);
  return info.Env().Undefined();
}

size_t count_arg(const Napi::CallbackInfo& info, size_t idx, const char* fn, const char* name) {
  size_t v = size_arg(info, idx, fn, name);
  if (v == 0 || v > kMaxRows) {
    throw_arg(info.Env(), std::string(fn) + ": expected an integer in [1, 2^31 - 1] for " + name + ", got " + std::to_string(v), true);
  }
  return v;
}

}  // namespace

// murmur3ColumnI32(values: Int32Array, validity: Uint8Array | null, bitOffset: number, hashes: Int32Array): void
Napi::Value Murmur3ColumnI32(const Napi::CallbackInfo& info) {
  return murmur3_col<int32_t, &KernelTable::murmur3_col_i32>(info, "murmur3ColumnI32");
}
// murmur3ColumnI64(values: BigInt64Array, validity: Uint8Array | null, bitOffset: number, hashes: Int32Array): void
Napi::Value Murmur3ColumnI64(const Napi::CallbackInfo& info) {
  return murmur3_col<int64_t, &KernelTable::murmur3_col_i64>(info, "murmur3ColumnI64");
}
// murmur3ColumnF64(values: Float64Array, validity: Uint8Array | null, bitOffset: number, hashes: Int32Array): void
Napi::Value Murmur3ColumnF64(const Napi::CallbackInfo& info) {
  return murmur3_col<double, &KernelTable::murmur3_col_f64>(info, "murmur3ColumnF64");
}
// murmur3ColumnF32(values: Float32Array, validity: Uint8Array | null, bitOffset: number, hashes: Int32Array): void
Napi::Value Murmur3ColumnF32(const Napi::CallbackInfo& info) {
  return murmur3_col<float, &KernelTable::murmur3_col_f32>(info, "murmur3ColumnF32");
}

// murmur3ColumnStrings(bytes: Uint8Array, offsets: Int32Array, validity: Uint8Array | null, bitOffset: number, hashes: Int32Array): void
Napi::Value Murmur3ColumnStrings(const Napi::CallbackInfo& info) {
  const char* fn = "murmur3ColumnStrings";
  auto bytes = typed_array<uint8_t>(info, 0, fn, "bytes");
  auto offsets = typed_array<int32_t>(info, 1, fn, "offsets");
  check_offsets(info, fn, "offsets", offsets, bytes.length);
  const size_t n = offsets.length - 1;
  size_t bit_off = size_arg(info, 3, fn, "bitOffset");
  const uint8_t* valid = validity(info, 2, bit_off, n, fn);
  auto h = typed_array<int32_t>(info, 4, fn, "hashes");
  expect_length(info, h.length, n, fn, "hashes");
  scalar::murmur3_col_strings(bytes.data, offsets.data, valid, bit_off, n, h.data);
  return info.Env().Undefined();
}

// partitionIds(hashes: Int32Array, numPartitions: number): Int32Array
Napi::Value PartitionIds(const Napi::CallbackInfo& info) {
  const char* fn = "partitionIds";
  auto h = typed_array<int32_t>(info, 0, fn, "hashes");
  size_t parts = count_arg(info, 1, fn, "numPartitions");
  Napi::Int32Array out = new_i32(info.Env(), h.length);
  scalar::pmod_i32(h.data, h.length, static_cast<uint32_t>(parts), out.Data());
  return out;
}

// scatterRows(ids: Int32Array, numBuckets: number): NativeScatter
Napi::Value ScatterRows(const Napi::CallbackInfo& info) {
  const char* fn = "scatterRows";
  Napi::Env env = info.Env();
  auto ids = typed_array<int32_t>(info, 0, fn, "ids");
  expect_rows(info, ids.length, fn, "ids");
  size_t buckets = count_arg(info, 1, fn, "numBuckets");
  Napi::Int32Array offsets = new_i32(env, buckets + 1);
  Napi::Int32Array rows = new_i32(env, ids.length);
  int64_t bad = scalar::scatter_rows(ids.data, ids.length, buckets, offsets.Data(), rows.Data());
  if (bad != kOk) {
    throw_arg(env, std::string(fn) + ": row " + std::to_string(bad) + " of ids holds " + std::to_string(ids.data[bad]) +
                       ", outside [0, " + std::to_string(buckets) + ")", true);
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("offsets", offsets);
  o.Set("rows", rows);
  return o;
}

}  // namespace kindling::binding
