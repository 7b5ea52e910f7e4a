// Word2Vec training pass, AVX2 + FMA: Spark's loop as in scalar.cc, with the inner-loop dot
// product (8 float lanes, one FMA chain, reduced at the end) and the two axpys (FMA) vectorised;
// the last d % 8 entries run in plain float. Precision: FMA contraction and the dot product's
// reassociation across lanes differ from scalar by float rounding (~1e-7 relative per step);
// training amplifies them slowly, so this tier matches scalar within a tolerance, never bit for
// bit (tests: native/test/word2vec_test.cc, test/native/word2vec-parity.test.ts).
#include <immintrin.h>
#include "kindling/types.h"
#include "kindling/kernels/word2vec.h"

namespace kindling::avx2 {
namespace {

inline uint32_t xorshift32(uint32_t* s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

inline float dot_f32(const float* a, const float* b, size_t d) {
  __m256 acc_f32x8 = _mm256_setzero_ps();
  size_t e = 0;
  for (; e + 8 <= d; e += 8) acc_f32x8 = _mm256_fmadd_ps(_mm256_loadu_ps(a + e), _mm256_loadu_ps(b + e), acc_f32x8);
  __m128 sum_f32x4 = _mm_add_ps(_mm256_castps256_ps128(acc_f32x8), _mm256_extractf128_ps(acc_f32x8, 1));
  sum_f32x4 = _mm_add_ps(sum_f32x4, _mm_movehl_ps(sum_f32x4, sum_f32x4));
  sum_f32x4 = _mm_add_ss(sum_f32x4, _mm_shuffle_ps(sum_f32x4, sum_f32x4, 1));
  float s = _mm_cvtss_f32(sum_f32x4);
  for (; e < d; ++e) s += a[e] * b[e];
  return s;
}

// y += g x
inline void axpy_f32(float g, const float* x, float* y, size_t d) {
  const __m256 g_f32x8 = _mm256_set1_ps(g);
  size_t e = 0;
  for (; e + 8 <= d; e += 8) _mm256_storeu_ps(y + e, _mm256_fmadd_ps(g_f32x8, _mm256_loadu_ps(x + e), _mm256_loadu_ps(y + e)));
  for (; e < d; ++e) y[e] += g * x[e];
}

}  // namespace

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
          float f = dot_f32(l1, l2, d);
          if (f > -6.0f && f < 6.0f) {
            const int ind = static_cast<int>(static_cast<double>(f + 6.0f) * 83.0);
            f = exp_table[ind];
            const float g = static_cast<float>(static_cast<double>(static_cast<float>(1 - codes[p]) - f) * alpha);
            axpy_f32(g, l2, neu1e, d);
            axpy_f32(g, l1, l2, d);
            syn1_mod[points[p]] += 1;
          }
        }
        axpy_f32(1.0f, neu1e, l1, d);
        syn0_mod[last_word] += 1;
      }
    }
  }
  delete[] neu1e;
  return word_count;
}

}  // namespace kindling::avx2
