// Argument checks for the bindings: typed-array kinds, lengths and sizes. The TS wrappers
// validate everything first; these are the native side's shape checks, so a wrong call from JS
// becomes a TypeError/RangeError naming the export and argument, never a crash.
#pragma once
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

template <typename T>
Span<T> typed_array(const Napi::CallbackInfo& info, size_t idx, const char* fn, const char* name) {
  Napi::Value v = info[idx];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != ArrayKind<T>::kType) {
    throw_arg(info.Env(), std::string(fn) + ": expected " + ArrayKind<T>::kName + " for " + name);
  }
  Napi::TypedArrayOf<T> a = v.As<Napi::TypedArrayOf<T>>();
  return Span<T>{a.Data(), a.ElementLength()};
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

// Runs a kernel call, turning C++ exceptions into JS errors with code ERR_KINDLING_NATIVE.
template <typename F>
auto guarded(const Napi::CallbackInfo& info, const char* fn, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    Napi::Error err = Napi::Error::New(info.Env(), std::string(fn) + ": " + e.what());
    err.Set("code", Napi::String::New(info.Env(), "ERR_KINDLING_NATIVE"));
    throw err;
  }
}

}  // namespace kindling::binding
