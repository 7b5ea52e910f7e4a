// Text feature exports (issue 14): HashingTF rows from a partition's list<utf8> buffers, and
// IDF's document frequencies over sparse or dense rows. Shapes and offsets are checked here
// (the kernels trust them); the kernels are scalar only (kindling/kernels/text.h).
#include "args.h"
#include "exports.h"
#include "kindling/kernels/text.h"

namespace kindling::binding {
namespace {

bool bool_arg(const Napi::CallbackInfo& info, size_t idx, const char* fn, const char* name) {
  if (!info[idx].IsBoolean()) throw_arg(info.Env(), std::string(fn) + ": expected a boolean for " + name);
  return info[idx].As<Napi::Boolean>().Value();
}

}  // namespace

// hashingTf(bytes: Uint8Array, strOffsets: Int32Array, validity: Uint8Array | null, bitOffset: number, listOffsets: Int32Array, numFeatures: number, binary: boolean, legacy: boolean, rowOffsets: Int32Array, indices: Int32Array, values: Float64Array): number
Napi::Value HashingTf(const Napi::CallbackInfo& info) {
  const char* fn = "hashingTf";
  auto bytes = typed_array<uint8_t>(info, 0, fn, "bytes");
  auto str_offsets = typed_array<int32_t>(info, 1, fn, "strOffsets");
  check_offsets(info, fn, "strOffsets", str_offsets, bytes.length);
  const size_t n_strings = str_offsets.length - 1;
  const size_t bit_off = size_arg(info, 3, fn, "bitOffset");
  const uint8_t* valid = validity(info, 2, bit_off, n_strings, fn);
  auto list_offsets = typed_array<int32_t>(info, 4, fn, "listOffsets");
  check_offsets(info, fn, "listOffsets", list_offsets, n_strings);
  const size_t n_rows = list_offsets.length - 1;
  const size_t nf = size_arg(info, 5, fn, "numFeatures");
  if (nf < 1 || nf > 2147483647u) throw_arg(info.Env(), std::string(fn) + ": expected an integer in [1, 2^31 - 1] for numFeatures", true);
  const bool binary = bool_arg(info, 6, fn, "binary");
  const bool legacy = bool_arg(info, 7, fn, "legacy");
  auto row_offsets = typed_array<int32_t>(info, 8, fn, "rowOffsets");
  expect_length(info, row_offsets.length, n_rows + 1, fn, "rowOffsets");
  auto indices = typed_array<int32_t>(info, 9, fn, "indices");
  auto values = typed_array<double>(info, 10, fn, "values");
  const size_t tokens = static_cast<size_t>(list_offsets.data[n_rows] - list_offsets.data[0]);
  if (indices.length < tokens || values.length < tokens) {
    throw_arg(info.Env(), std::string(fn) + ": indices and values must hold at least " + std::to_string(tokens) + " entries (the tokens)", true);
  }
  size_t nnz = scalar::hashing_tf(bytes.data, str_offsets.data, valid, bit_off, list_offsets.data, n_rows,
                                  static_cast<int32_t>(nf), binary, legacy, row_offsets.data, indices.data, values.data);
  return Napi::Number::New(info.Env(), static_cast<double>(nnz));
}

// docFreqSparse(rowOffsets: Int32Array, indices: Int32Array, values: Float64Array, d: number, df: Float64Array): number
Napi::Value DocFreqSparse(const Napi::CallbackInfo& info) {
  const char* fn = "docFreqSparse";
  auto row_offsets = typed_array<int32_t>(info, 0, fn, "rowOffsets");
  auto indices = typed_array<int32_t>(info, 1, fn, "indices");
  check_offsets(info, fn, "rowOffsets", row_offsets, indices.length);
  auto values = typed_array<double>(info, 2, fn, "values");
  expect_length(info, values.length, indices.length, fn, "values");
  const size_t d = size_arg(info, 3, fn, "d");
  auto df = typed_array<double>(info, 4, fn, "df");
  expect_length(info, df.length, d, fn, "df");
  int64_t bad = scalar::doc_freq_sparse(row_offsets.data, indices.data, values.data, row_offsets.length - 1, d, df.data);
  return Napi::Number::New(info.Env(), static_cast<double>(bad));
}

// docFreqDense(x: Float64Array, d: number, df: Float64Array): void
Napi::Value DocFreqDense(const Napi::CallbackInfo& info) {
  const char* fn = "docFreqDense";
  auto x = typed_array<double>(info, 0, fn, "x");
  const size_t d = size_arg(info, 1, fn, "d");
  if (d == 0) throw_arg(info.Env(), std::string(fn) + ": d must be at least 1", true);
  if (x.length % d != 0) throw_arg(info.Env(), std::string(fn) + ": x length is not a multiple of d", true);
  auto df = typed_array<double>(info, 2, fn, "df");
  expect_length(info, df.length, d, fn, "df");
  scalar::doc_freq_dense(x.data, x.length / d, d, df.data);
  return info.Env().Undefined();
}

}  // namespace kindling::binding
