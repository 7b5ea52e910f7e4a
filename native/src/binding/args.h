// Argument checks for the bindings: typed-array kinds, lengths and sizes. The TS wrappers
// validate everything first; these are the native side's shape checks, so a wrong call from JS
// becomes a TypeError/RangeError naming the export and argument, never a crash.
#pragma once
#include <stdint.h>

#include <initializer_list>
#include <new>
#include <stdexcept>
#include <string>

#include "kindling/dispatch.h"
#include "napi_setup.h"

namespace kindling::binding {

[[noreturn]] inline void throw_arg(Napi::Env env, const std::string& msg, bool range = false) {
  Napi::Error err = range ? static_cast<Napi::Error>(Napi::RangeError::New(env, msg))
                          : static_cast<Napi::Error>(Napi::TypeError::New(env, msg));
  err.Set("code", Napi::String::New(env, "ERR_KINDLING_INVALID_ARG"));
  throw err;
}

template <typename T> struct ArrayKind;
template <> struct ArrayKind<double> { static constexpr napi_typedarray_type kType = napi_float64_array; static constexpr const char* kName = "Float64Array"; };
template <> struct ArrayKind<float> { static constexpr napi_typedarray_type kType = napi_float32_array; static constexpr const char* kName = "Float32Array"; };
template <> struct ArrayKind<int32_t> { static constexpr napi_typedarray_type kType = napi_int32_array; static constexpr const char* kName = "Int32Array"; };
template <> struct ArrayKind<uint8_t> { static constexpr napi_typedarray_type kType = napi_uint8_array; static constexpr const char* kName = "Uint8Array"; };

template <typename T>
struct Span {
  T* data;
  size_t length;
};

// A typed array of kind T at info[idx]. A view of a detached ArrayBuffer is refused (its data
// pointer is gone); a zero-length view gets a non-null data pointer, so "given" and "absent"
// (optional_typed_array's null) never look alike. Kernels never touch data when length is 0.
template <typename T>
Span<T> typed_array(const Napi::CallbackInfo& info, size_t idx, const char* fn, const char* name) {
  Napi::Value v = info[idx];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != ArrayKind<T>::kType) {
    throw_arg(info.Env(), std::string(fn) + ": expected " + ArrayKind<T>::kName + " for " + name);
  }
  Napi::TypedArrayOf<T> a = v.As<Napi::TypedArrayOf<T>>();
  if (a.ElementLength() == 0 && a.ArrayBuffer().IsDetached()) {  // a detached view has length 0
    throw_arg(info.Env(), std::string(fn) + ": expected " + ArrayKind<T>::kName + " for " + name +
                              ", got a view of a detached ArrayBuffer");
  }
  alignas(64) static const T kEmpty{};
  T* data = a.ElementLength() > 0 ? a.Data() : const_cast<T*>(&kEmpty);
  return Span<T>{data, a.ElementLength()};
}

template <typename T>
Span<T> optional_typed_array(const Napi::CallbackInfo& info, size_t idx, const char* fn,
                             const char* name) {
  Napi::Value v = info[idx];
  if (v.IsNull() || v.IsUndefined()) return Span<T>{nullptr, 0};
  return typed_array<T>(info, idx, fn, name);
}

inline size_t size_arg(const Napi::CallbackInfo& info, size_t idx, const char* fn, const char* name) {
  Napi::Value v = info[idx];
  if (!v.IsNumber()) throw_arg(info.Env(), std::string(fn) + ": expected a number for " + name);
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<int64_t>(d))) {
    throw_arg(info.Env(), std::string(fn) + ": expected a non-negative integer for " + name, true);
  }
  return static_cast<size_t>(d);
}

inline void expect_length(const Napi::CallbackInfo& info, size_t got, size_t want, const char* fn,
                          const char* name) {
  if (got != want) {
    throw_arg(info.Env(), std::string(fn) + ": expected length " + std::to_string(want) + " for " +
                              name + ", got " + std::to_string(got), true);
  }
}

// The one checked size product (k * d, n * k, k * d * d, ...): every product of caller-given sizes
// goes through it before it is compared with a length or allocated, so a wrapped product can
// never pass a length check. Overflow is a RangeError naming the export and what it sizes.
inline size_t checked_mul(const Napi::CallbackInfo& info, const char* fn, const char* what,
                          std::initializer_list<size_t> factors) {
  size_t r = 1;
  bool zero = false;
  for (size_t f : factors) zero |= f == 0;
  if (zero) return 0;
  for (size_t f : factors) {
    if (r > SIZE_MAX / f) {
      std::string dims;
      for (size_t g : factors) dims += (dims.empty() ? "" : " x ") + std::to_string(g);
      throw_arg(info.Env(), std::string(fn) + ": the size of " + what + " (" + dims + ") overflows", true);
    }
    r *= f;
  }
  return r;
}

// The one allocation of V8-owned memory. napi_create_arraybuffer aborts the process when the
// allocation fails (v8::ArrayBuffer::New: "Allocation failed - process out of memory"), so a large
// buffer is made by JS's ArrayBuffer constructor instead, which reports failure as a RangeError;
// that becomes std::bad_alloc, which the guard turns into ERR_KINDLING_NATIVE naming the export.
constexpr size_t kDirectAllocBytes = size_t{1} << 24;  // below this a failure means the heap is gone anyway

inline Napi::ArrayBuffer new_buffer(Napi::Env env, size_t bytes) {
  if (bytes < kDirectAllocBytes) return Napi::ArrayBuffer::New(env, bytes);
  try {
    Napi::Function ctor = env.Global().Get("ArrayBuffer").As<Napi::Function>();
    return ctor.New({Napi::Number::New(env, static_cast<double>(bytes))}).As<Napi::ArrayBuffer>();
  } catch (const Napi::Error&) {
    throw std::bad_alloc();
  }
}

// Offsets of n strings: non-negative, non-decreasing, ending within bytes (the kernels trust them).
inline void check_offsets(const Napi::CallbackInfo& info, const char* fn, const char* name,
                          const Span<int32_t>& offsets, size_t bytes_len) {
  if (offsets.length == 0) throw_arg(info.Env(), std::string(fn) + ": " + name + " must hold n + 1 entries", true);
  const size_t n = offsets.length - 1;
  const int32_t* o = offsets.data;
  if (o[0] < 0) throw_arg(info.Env(), std::string(fn) + ": row 0 of " + name + " is negative", true);
  bool monotone = true;
  for (size_t i = 0; i < n; ++i) monotone &= o[i + 1] >= o[i];
  if (!monotone) {
    size_t i = 0;
    while (o[i + 1] >= o[i]) ++i;
    throw_arg(info.Env(), std::string(fn) + ": row " + std::to_string(i + 1) + " of " + name + " (" +
                              std::to_string(o[i + 1]) + ") is smaller than the previous offset (" +
                              std::to_string(o[i]) + ")", true);
  }
  if (static_cast<size_t>(o[n]) > bytes_len) {
    throw_arg(info.Env(), std::string(fn) + ": expected offsets ending within bytes.length " +
                              std::to_string(bytes_len) + " for " + name + ", got " + std::to_string(o[n]), true);
  }
}

// Validity bitmap: null, or a Uint8Array holding bits [bit_off, bit_off + n).
inline const uint8_t* validity(const Napi::CallbackInfo& info, size_t idx, size_t bit_off, size_t n,
                               const char* fn) {
  Span<uint8_t> v = optional_typed_array<uint8_t>(info, idx, fn, "validity");
  if (v.data == nullptr) return nullptr;
  if ((bit_off + n + 7) / 8 > v.length) {
    throw_arg(info.Env(), std::string(fn) + ": validity bitmap too short for " + std::to_string(n) +
                              " rows at bit offset " + std::to_string(bit_off), true);
  }
  return v.data;
}

inline const KernelTable& table(const Napi::CallbackInfo& info) {
  return *static_cast<const KernelTable*>(info.Data());
}

// The one guard: runs an export's (or a handle method's) whole body, so no C++ exception ever
// leaves the addon (node-addon-api lets only Napi::Error through; anything else would abort the
// process). A std::exception (bad_alloc, length_error, ...) or anything else becomes an Error with
// code ERR_KINDLING_NATIVE naming the export; a Napi::Error without a code (a failed N-API call)
// gets that code too.
template <typename F>
Napi::Value guard(const Napi::CallbackInfo& info, const char* fn, F&& body) {
  Napi::Env env = info.Env();
  auto native_error = [&](const std::string& what) {
    Napi::Error err = Napi::Error::New(env, std::string(fn) + ": " + what);
    err.Set("code", Napi::String::New(env, "ERR_KINDLING_NATIVE"));
    return err;
  };
  try {
    return body();
  } catch (const Napi::Error& e) {
    Napi::Value v = e.Value();
    if (v.IsObject() && !v.As<Napi::Object>().Has("code")) {
      v.As<Napi::Object>().Set("code", Napi::String::New(env, "ERR_KINDLING_NATIVE"));
    }
    throw;
  } catch (const std::bad_alloc&) {
    throw native_error("out of memory (std::bad_alloc)");
  } catch (const std::exception& e) {
    throw native_error(e.what());
  } catch (...) {
    throw native_error("unknown native exception");
  }
}

using Export = Napi::Value (*)(const Napi::CallbackInfo&);

// The only way an export is registered: `name` on target calls `body` inside guard(), with `data`
// as info.Data() (a kernel table, or a handle's constructor).
inline void define_export(Napi::Env env, Napi::Object target, const char* name, Export body, void* data) {
  target.Set(name, Napi::Function::New(
                       env, [name, body](const Napi::CallbackInfo& info) { return guard(info, name, [&] { return body(info); }); },
                       name, data));
}

}  // namespace kindling::binding
