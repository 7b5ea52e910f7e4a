// Word2Vec training pass, scalar reference (the spec of word2vec.h): Spark's loop as written
// (mllib.feature.Word2Vec.fit), float dot products and axpys in index order, no reassociation.
#include "kindling/kernels/word2vec.h"

namespace kindling::scalar {

static inline uint32_t xorshift32(uint32_t* s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

uint64_t word2vec_train_f32(const int32_t* words, const int32_t* sent_off, size_t n_sent,
                            const int32_t* code_off, const uint8_t* codes, const int32_t* points,
                            size_t vocab, size_t d, float* syn0, float* syn1, int32_t* syn0_mod,
                            int32_t* syn1_mod, const float* exp_table, const Word2VecConfig* cfg) {
  (void)vocab;
  const double lr = cfg->learning_rate;
  const int64_t window = static_cast<int64_t>(cfg->window);
  uint32_t state = cfg->seed == 0 ? 1u : cfg->seed;
  double alpha = lr;
  uint64_t word_count = 0, last_word_count = 0;
  float* neu1e = new float[d > 0 ? d : 1];
  for (size_t s = 0; s < n_sent; ++s) {
    if (word_count - last_word_count > 10000) {
      last_word_count = word_count;
      alpha = lr * (1.0 - (cfg->num_partitions * static_cast<double>(word_count) + cfg->words_before) / cfg->total_words);
      if (alpha < lr * 0.0001) alpha = lr * 0.0001;
    }
    const int32_t* sent = words + sent_off[s];
    const int64_t len = sent_off[s + 1] - sent_off[s];
    word_count += static_cast<uint64_t>(len);
    for (int64_t pos = 0; pos < len; ++pos) {
      const int32_t word = sent[pos];
      const int64_t b = static_cast<int64_t>(xorshift32(&state) % cfg->window);
      for (int64_t a = b; a < window * 2 + 1 - b; ++a) {
        if (a == window) continue;
        const int64_t c = pos - window + a;
        if (c < 0 || c >= len) continue;
        const int32_t last_word = sent[c];
        float* l1 = syn0 + static_cast<size_t>(last_word) * d;
        for (size_t e = 0; e < d; ++e) neu1e[e] = 0.0f;
        for (int32_t p = code_off[word]; p < code_off[word + 1]; ++p) {
          float* l2 = syn1 + static_cast<size_t>(points[p]) * d;
          float f = 0.0f;
          for (size_t e = 0; e < d; ++e) f += l1[e] * l2[e];
          if (f > -6.0f && f < 6.0f) {
            const int ind = static_cast<int>(static_cast<double>(f + 6.0f) * 83.0);
            f = exp_table[ind];
            // Spark: (1 - code - f) is Int - Float (a float), times alpha (a double), then toFloat
            const float g = static_cast<float>(static_cast<double>(static_cast<float>(1 - codes[p]) - f) * alpha);
            for (size_t e = 0; e < d; ++e) neu1e[e] += g * l2[e];
            for (size_t e = 0; e < d; ++e) l2[e] += g * l1[e];
            syn1_mod[points[p]] += 1;
          }
        }
        for (size_t e = 0; e < d; ++e) l1[e] += neu1e[e];
        syn0_mod[last_word] += 1;
      }
    }
  }
  delete[] neu1e;
  return word_count;
}

}  // namespace kindling::scalar
