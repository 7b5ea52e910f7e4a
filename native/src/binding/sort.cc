// Argsort exports: check shapes (values, validity, the optional permutation to refine), then
// one stable radix-sort kernel call; the permutation is a V8-owned Int32Array.
#include "exports.h"
#include "kindling/kernels/sort.h"
#include "relational_args.h"

namespace kindling::binding {
namespace {

template <typename T, void (*Kernel)(const T*, const uint8_t*, size_t, size_t, bool, bool, const int32_t*, size_t, int32_t*)>
Napi::Value argsort(const Napi::CallbackInfo& info, const char* fn) {
  auto x = typed_array<T>(info, 0, fn, "values");
  expect_rows(info, x.length, fn, "values");
  size_t bit_off = size_arg(info, 2, fn, "bitOffset");
  const uint8_t* valid = validity(info, 1, bit_off, x.length, fn);
  const bool descending = bool_arg(info, 3, fn, "descending");
  const bool nulls_first = bool_arg(info, 4, fn, "nullsFirst");
  const bool has_perm = !info[5].IsNull() && !info[5].IsUndefined();
  static const int32_t kNoRows = 0;
  const int32_t* perm = nullptr;
  size_t m = x.length;
  if (has_perm) {
    auto p = typed_array<int32_t>(info, 5, fn, "perm");
    m = p.length;
    perm = m > 0 ? p.data : &kNoRows;  // non-null: an empty permutation sorts nothing
    for (size_t k = 0; k < m; ++k) {
      if (static_cast<uint32_t>(perm[k]) >= x.length) {
        throw_arg(info.Env(), std::string(fn) + ": row " + std::to_string(k) + " of perm holds " + std::to_string(perm[k]) +
                                  ", outside [0, " + std::to_string(x.length) + ")", true);
      }
    }
  }
  Napi::Int32Array out = new_i32(info.Env(), m);
  Kernel(x.data, valid, bit_off, x.length, descending, nulls_first, perm, m, out.Data());
  return out;
}

}  // namespace

// argsortI32(values: Int32Array, validity: Uint8Array | null, bitOffset: number, descending: boolean, nullsFirst: boolean, perm: Int32Array | null): Int32Array
Napi::Value ArgsortI32(const Napi::CallbackInfo& info) { return argsort<int32_t, scalar::argsort_i32>(info, "argsortI32"); }
// argsortI64(values: BigInt64Array, validity: Uint8Array | null, bitOffset: number, descending: boolean, nullsFirst: boolean, perm: Int32Array | null): Int32Array
Napi::Value ArgsortI64(const Napi::CallbackInfo& info) { return argsort<int64_t, scalar::argsort_i64>(info, "argsortI64"); }
// argsortF64(values: Float64Array, validity: Uint8Array | null, bitOffset: number, descending: boolean, nullsFirst: boolean, perm: Int32Array | null): Int32Array
Napi::Value ArgsortF64(const Napi::CallbackInfo& info) { return argsort<double, scalar::argsort_f64>(info, "argsortF64"); }

}  // namespace kindling::binding
