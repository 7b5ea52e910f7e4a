// Word2Vec export (issue 14, area word2vec): shape checks, plus the index checks that keep the
// kernel inside its arrays (word, node and offset values come from the caller), then one call
// through the table (word2vec.h has the contract).
#include <string>

#include "args.h"
#include "exports.h"
#include "kindling/kernels/word2vec.h"

namespace kindling::binding {

static double number_arg(const Napi::CallbackInfo& info, size_t idx, const char* fn, const char* name) {
  Napi::Value v = info[idx];
  if (!v.IsNumber()) throw_arg(info.Env(), std::string(fn) + ": expected a number for " + name);
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d - d == 0)) throw_arg(info.Env(), std::string(fn) + ": expected a finite number for " + name, true);
  return d;
}

// Offsets: length count + 1, starting at 0, non-decreasing, ending at total.
static void check_offsets(const Napi::CallbackInfo& info, Span<int32_t> off, size_t total, const char* fn, const char* name) {
  if (off.length == 0 || off.data[0] != 0 || static_cast<size_t>(off.data[off.length - 1]) != total) {
    throw_arg(info.Env(), std::string(fn) + ": " + name + " must start at 0 and end at " + std::to_string(total), true);
  }
  for (size_t i = 1; i < off.length; ++i) {
    if (off.data[i] < off.data[i - 1]) throw_arg(info.Env(), std::string(fn) + ": " + name + " must not decrease (at " + std::to_string(i) + ")", true);
  }
}

// word2vecTrainF32(words: Int32Array, sentOff: Int32Array, codeOff: Int32Array, codes: Uint8Array, points: Int32Array, d: number, syn0: Float32Array, syn1: Float32Array, syn0Mod: Int32Array, syn1Mod: Int32Array, expTable: Float32Array, window: number, seed: number, learningRate: number, numPartitions: number, wordsBefore: number, totalWords: number): number
Napi::Value Word2VecTrainF32(const Napi::CallbackInfo& info) {
  const char* fn = "word2vecTrainF32";
  Napi::Env env = info.Env();
  auto words = typed_array<int32_t>(info, 0, fn, "words");
  auto sent_off = typed_array<int32_t>(info, 1, fn, "sentOff");
  auto code_off = typed_array<int32_t>(info, 2, fn, "codeOff");
  auto codes = typed_array<uint8_t>(info, 3, fn, "codes");
  auto points = typed_array<int32_t>(info, 4, fn, "points");
  size_t d = size_arg(info, 5, fn, "d");
  auto syn0 = typed_array<float>(info, 6, fn, "syn0");
  auto syn1 = typed_array<float>(info, 7, fn, "syn1");
  auto syn0_mod = typed_array<int32_t>(info, 8, fn, "syn0Mod");
  auto syn1_mod = typed_array<int32_t>(info, 9, fn, "syn1Mod");
  auto exp_table = typed_array<float>(info, 10, fn, "expTable");
  size_t window = size_arg(info, 11, fn, "window");
  size_t seed = size_arg(info, 12, fn, "seed");
  Word2VecConfig cfg{};
  cfg.learning_rate = number_arg(info, 13, fn, "learningRate");
  cfg.num_partitions = number_arg(info, 14, fn, "numPartitions");
  cfg.words_before = number_arg(info, 15, fn, "wordsBefore");
  cfg.total_words = number_arg(info, 16, fn, "totalWords");
  if (d == 0 || d > 65536) throw_arg(env, std::string(fn) + ": d must be in [1, 65536]", true);
  if (window == 0 || window > 1000000) throw_arg(env, std::string(fn) + ": window must be in [1, 1000000]", true);
  if (seed > 0xFFFFFFFFu) throw_arg(env, std::string(fn) + ": seed must be a 32-bit unsigned integer", true);
  cfg.window = static_cast<uint32_t>(window);
  cfg.seed = static_cast<uint32_t>(seed);
  if (code_off.length == 0) throw_arg(env, std::string(fn) + ": codeOff must have vocab + 1 entries", true);
  const size_t vocab = code_off.length - 1;
  const size_t vd = checked_mul(info, fn, "syn0", {vocab, d});
  expect_length(info, syn0.length, vd, fn, "syn0");
  expect_length(info, syn1.length, vd, fn, "syn1");
  expect_length(info, syn0_mod.length, vocab, fn, "syn0Mod");
  expect_length(info, syn1_mod.length, vocab, fn, "syn1Mod");
  expect_length(info, exp_table.length, kWord2VecExpTableSize, fn, "expTable");
  expect_length(info, points.length, codes.length, fn, "points");
  check_offsets(info, code_off, codes.length, fn, "codeOff");
  check_offsets(info, sent_off, words.length, fn, "sentOff");
  for (size_t w = 0; w < vocab; ++w) {
    if (static_cast<size_t>(code_off.data[w + 1] - code_off.data[w]) > kWord2VecMaxCodeLength) {
      throw_arg(env, std::string(fn) + ": the code of word " + std::to_string(w) + " is longer than 40", true);
    }
  }
  for (size_t i = 0; i < words.length; ++i) {
    if (words.data[i] < 0 || static_cast<size_t>(words.data[i]) >= vocab) throw_arg(env, std::string(fn) + ": words[" + std::to_string(i) + "] is not a word index below " + std::to_string(vocab), true);
  }
  for (size_t i = 0; i < points.length; ++i) {
    if (points.data[i] < 0 || static_cast<size_t>(points.data[i]) + 1 >= vocab) throw_arg(env, std::string(fn) + ": points[" + std::to_string(i) + "] is not an inner node below " + std::to_string(vocab > 0 ? vocab - 1 : 0), true);
  }
  uint64_t n = table(info).word2vec_train_f32(words.data, sent_off.data, sent_off.length - 1, code_off.data, codes.data, points.data,
                                              vocab, d, syn0.data, syn1.data, syn0_mod.data, syn1_mod.data, exp_table.data, &cfg);
  return Napi::Number::New(env, static_cast<double>(n));
}

}  // namespace kindling::binding
