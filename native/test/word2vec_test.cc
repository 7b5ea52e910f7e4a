// Word2Vec training pass (word2vec.h), issue 14 area word2vec: a hand case of two words worked
// step by step in float as Spark's loop does it, the counters, and every tier's table slot
// against the scalar spec on random corpora (d = 7 and 19: tails only, and a vector body plus a
// tail): bit-equal for the scalar slot, within 1e-4 in relative Frobenius norm (FMA, a
// reassociated dot) for SIMD.
#include "check.h"
#include "kindling/kernels/word2vec.h"

using namespace kindling;

static std::vector<float> spark_exp_table() {
  std::vector<float> t(kWord2VecExpTableSize);
  for (size_t i = 0; i < t.size(); ++i) {
    double tmp = exp((2.0 * i / kWord2VecExpTableSize - 1.0) * 6);
    t[i] = static_cast<float>(tmp / (tmp + 1.0));
  }
  return t;
}

static void test_word2vec_hand() {
  // vocabulary {0, 1}, Huffman codes [1] and [0] under the root (inner node 0); one sentence
  // [0, 1], window 1 (b = rng % 1 = 0 always), d = 1
  std::vector<int32_t> words{0, 1}, sent_off{0, 2}, code_off{0, 1, 2}, points{0, 0};
  std::vector<uint8_t> codes{1, 0};
  std::vector<float> syn0{0.5f, -0.25f}, syn1{0.0f, 0.0f};
  std::vector<int32_t> m0(2), m1(2);
  auto et = spark_exp_table();
  Word2VecConfig cfg{1, 7, 0.025, 1, 0, 3};
  uint64_t n = scalar::word2vec_train_f32(words.data(), sent_off.data(), 1, code_off.data(), codes.data(), points.data(), 2, 1,
                                          syn0.data(), syn1.data(), m0.data(), m1.data(), et.data(), &cfg);
  // position 0 (word 0, code 1): context word 1; f = -0.25 * 0 = 0 → table[(int)(6 * 83)] = table[498]
  float f = et[498];
  float g = static_cast<float>(static_cast<double>(0.0f - f) * 0.025);
  float s1 = 0.0f + g * -0.25f;  // syn1[0] += g * syn0[1]; neu1e = g * old syn1 = 0
  // position 1 (word 1, code 0): context word 0
  float f2 = 0.5f * s1;
  float f2t = et[static_cast<int>(static_cast<double>(f2 + 6.0f) * 83.0)];
  float g2 = static_cast<float>(static_cast<double>(1.0f - f2t) * 0.025);
  float neu = g2 * s1;
  float s1b = s1 + g2 * 0.5f;
  float s0 = 0.5f + neu;
  check(n == 2, "scalar word2vec_train_f32 reads 2 words");
  check(syn0[0] == s0 && syn0[1] == -0.25f && syn1[0] == s1b && syn1[1] == 0.0f, "scalar word2vec_train_f32: the hand-worked two-word update");
  check(m0[0] == 1 && m0[1] == 1 && m1[0] == 2 && m1[1] == 0, "scalar word2vec_train_f32: syn0/syn1 change counters");
}

void test_word2vec(const KernelTable& t, const char* isa, std::mt19937_64& rng) {
  if (t.isa == kIsaScalar) test_word2vec_hand();
  for (size_t d : {7, 19}) {
    // a random corpus over a 6-word chain tree (word w's path: inner nodes 0..min(w, 4))
    const size_t v = 6;
    std::vector<int32_t> code_off{0}, points;
    std::vector<uint8_t> codes;
    for (size_t w = 0; w < v; ++w) {
      size_t len = w < v - 1 ? w + 1 : v - 1;
      for (size_t k = 0; k < len; ++k) {
        points.push_back(static_cast<int32_t>(k));
        codes.push_back(static_cast<uint8_t>(k == w ? 1 : 0));
      }
      code_off.push_back(static_cast<int32_t>(points.size()));
    }
    std::vector<int32_t> words, sent_off{0};
    for (int s = 0; s < 40; ++s) {
      size_t len = rng() % 12;
      for (size_t k = 0; k < len; ++k) words.push_back(static_cast<int32_t>(rng() % v));
      sent_off.push_back(static_cast<int32_t>(words.size()));
    }
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    std::vector<float> syn0(v * d), syn1(v * d);
    for (auto& x : syn0) x = u(rng) / d;
    for (auto& x : syn1) x = u(rng);
    auto et = spark_exp_table();
    Word2VecConfig cfg{3, 12345, 0.05, 2, 100, 1000};
    auto a0 = exact(syn0), a1 = exact(syn1), b0 = exact(syn0), b1 = exact(syn1);
    std::vector<int32_t> am0(v), am1(v), bm0(v), bm1(v);
    uint64_t na = scalar::word2vec_train_f32(words.data(), sent_off.data(), sent_off.size() - 1, code_off.data(), codes.data(), points.data(), v, d,
                                             a0.data(), a1.data(), am0.data(), am1.data(), et.data(), &cfg);
    uint64_t nb = t.word2vec_train_f32(words.data(), sent_off.data(), sent_off.size() - 1, code_off.data(), codes.data(), points.data(), v, d,
                                       b0.data(), b1.data(), bm0.data(), bm1.data(), et.data(), &cfg);
    bool ok = na == nb && na == words.size() && am0 == bm0 && am1 == bm1 && a0 != syn0;
    if (t.word2vec_train_f32 == scalar::word2vec_train_f32) {
      ok = ok && a0 == b0 && a1 == b1;
    } else {
      // rounding differences grow through a pass: the whole matrices, relative Frobenius norm
      double diff = 0, norm = 0;
      for (size_t i = 0; i < v * d; ++i) {
        diff += (a0[i] - b0[i]) * (a0[i] - b0[i]) + (a1[i] - b1[i]) * (a1[i] - b1[i]);
        norm += a0[i] * a0[i] + a1[i] * a1[i];
      }
      ok = ok && sqrt(diff) <= 1e-4 * sqrt(norm);
    }
    check(ok, std::string(isa) + " word2vec_train_f32 == scalar (vectors, counters, words read), d = " + std::to_string(d));
  }
}
