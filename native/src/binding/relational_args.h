// Shape checks shared by the relational bindings (group ids, joins, sort, partitioning): the
// 64-bit and unsigned typed-array kinds, string offsets, key batches of every KeyKind, and
// V8-owned result arrays.
#pragma once
#include <string.h>

#include <string>

#include "args.h"
#include "kindling/kernels/hashtable.h"
#include "kindling/kernels/scratch.h"

namespace kindling::binding {

template <> struct ArrayKind<int64_t> { static constexpr napi_typedarray_type kType = napi_bigint64_array; static constexpr const char* kName = "BigInt64Array"; };
template <> struct ArrayKind<uint64_t> { static constexpr napi_typedarray_type kType = napi_biguint64_array; static constexpr const char* kName = "BigUint64Array"; };
template <> struct ArrayKind<uint32_t> { static constexpr napi_typedarray_type kType = napi_uint32_array; static constexpr const char* kName = "Uint32Array"; };

constexpr size_t kMaxRows = 0x7fffffff;  // row indices are int32

inline void expect_rows(const Napi::CallbackInfo& info, size_t n, const char* fn, const char* name) {
  if (n > kMaxRows) {
    throw_arg(info.Env(), std::string(fn) + ": expected at most 2^31 - 1 rows for " + name + ", got " + std::to_string(n), true);
  }
}

inline bool bool_arg(const Napi::CallbackInfo& info, size_t idx, const char* fn, const char* name) {
  if (!info[idx].IsBoolean()) throw_arg(info.Env(), std::string(fn) + ": expected a boolean for " + name);
  return info[idx].As<Napi::Boolean>().Value();
}

inline const char* key_kind_name(KeyKind k) {
  switch (k) {
    case KeyKind::kI32: return "i32";
    case KeyKind::kI64: return "i64";
    case KeyKind::kF64: return "f64";
    case KeyKind::kString: return "string";
    case KeyKind::kRows32: return "rows32";
    case KeyKind::kRows64: return "rows64";
  }
  return "?";
}

inline KeyKind key_kind_arg(const Napi::CallbackInfo& info, size_t idx, const char* fn) {
  Napi::Value v = info[idx];
  std::string s = v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string();
  for (KeyKind k : {KeyKind::kI32, KeyKind::kI64, KeyKind::kF64, KeyKind::kString, KeyKind::kRows32, KeyKind::kRows64}) {
    if (s == key_kind_name(k)) return k;
  }
  throw_arg(info.Env(), std::string(fn) + ": expected one of i32, i64, f64, string, rows32, rows64 for kind");
}

template <typename W>
KeyBatch rows_batch(const Napi::CallbackInfo& info, size_t idx, size_t width, const char* fn) {
  auto w = typed_array<W>(info, idx, fn, "words");
  if (width == 0 || w.length % width != 0) {
    throw_arg(info.Env(), std::string(fn) + ": expected a length that is a multiple of width " + std::to_string(width) +
                              " for words, got " + std::to_string(w.length), true);
  }
  return KeyBatch{w.data, nullptr, nullptr, 0, w.length / width};
}

// One batch of keys of `kind`. Arguments: values at vi (string bytes for kString, row words for
// the rows kinds); offsets at oi (kString only); validity at ui and its bit offset at bi (not
// for the rows kinds: pass ui == bi == SIZE_MAX there, or null validity).
inline KeyBatch key_batch(const Napi::CallbackInfo& info, const char* fn, KeyKind kind, size_t width,
                          size_t vi, size_t oi, size_t ui, size_t bi) {
  KeyBatch kb{nullptr, nullptr, nullptr, 0, 0};
  switch (kind) {
    case KeyKind::kI32: { auto v = typed_array<int32_t>(info, vi, fn, "keys"); kb.values = v.data; kb.n = v.length; break; }
    case KeyKind::kI64: { auto v = typed_array<int64_t>(info, vi, fn, "keys"); kb.values = v.data; kb.n = v.length; break; }
    case KeyKind::kF64: { auto v = typed_array<double>(info, vi, fn, "keys"); kb.values = v.data; kb.n = v.length; break; }
    case KeyKind::kString: {
      auto bytes = typed_array<uint8_t>(info, vi, fn, "bytes");
      auto offsets = typed_array<int32_t>(info, oi, fn, "offsets");
      check_offsets(info, fn, "offsets", offsets, bytes.length);
      kb.values = bytes.data;
      kb.offsets = offsets.data;
      kb.n = offsets.length - 1;
      break;
    }
    case KeyKind::kRows32: kb = rows_batch<uint32_t>(info, vi, width, fn); break;
    case KeyKind::kRows64: kb = rows_batch<uint64_t>(info, vi, width, fn); break;
  }
  expect_rows(info, kb.n, fn, "keys");
  if (ui == SIZE_MAX) return kb;
  if (kind == KeyKind::kRows32 || kind == KeyKind::kRows64) {
    if (!info[ui].IsNull() && !info[ui].IsUndefined()) {
      throw_arg(info.Env(), std::string(fn) + ": rows keys take no validity (pack null flags into the words)");
    }
    return kb;
  }
  kb.bit_off = size_arg(info, bi, fn, "bitOffset");
  kb.valid = validity(info, ui, kb.bit_off, kb.n, fn);
  return kb;
}

// A V8-owned typed array of n elements. Its fresh (untouched) memory is advised as huge pages
// first when large: with 4 KiB pages, the first write to a 40 MB output costs more page faults
// than most kernels take to run.
template <typename T>
Napi::TypedArrayOf<T> new_array(Napi::Env env, size_t n) {
  Napi::ArrayBuffer buf = new_buffer(env, n * sizeof(T));
  advise_huge(buf.Data(), n * sizeof(T));
  return Napi::TypedArrayOf<T>::New(env, n, buf, 0);
}
inline Napi::Int32Array new_i32(Napi::Env env, size_t n) { return new_array<int32_t>(env, n); }

inline Napi::Int32Array copy_i32(Napi::Env env, const int32_t* src, size_t n) {
  Napi::Int32Array a = new_i32(env, n);
  if (n > 0) memcpy(a.Data(), src, n * sizeof(int32_t));
  return a;
}

}  // namespace kindling::binding
