// Word2Vec training (Spark's mllib.feature.Word2Vec: skip-gram with hierarchical softmax over a
// Huffman tree), one partition's pass over its sentences, one tier per namespace. Contract:
//
//   words     the partition's word indices, sentence after sentence (each < vocab)
//   sent_off  n_sent + 1 offsets into words (sentence s is words[sent_off[s] .. sent_off[s+1]))
//   code_off  vocab + 1 offsets into codes / points (word w's path: code_off[w] .. code_off[w+1],
//             at most 40 long)
//   codes     the Huffman code bits of each word, root first
//   points    the inner nodes on each word's path (each < vocab - 1), root first
//   syn0      vocab x d input vectors, updated in place
//   syn1      vocab x d inner-node vectors, updated in place
//   syn0_mod, syn1_mod  vocab counters: +1 for each update of that row (Spark's syn0Modify /
//             syn1Modify; the driver averages only the rows a partition touched)
//   exp_table 1000 floats: sigmoid((2 i / 1000 - 1) * 6), Spark's createExpTable, computed by the
//             caller (so every tier and the JS twin read the same numbers)
//
// Per sentence: every 10,000 words alpha = lr * (1 - (num_partitions * word_count +
// words_before) / total_words), floored at lr * 1e-4 (Spark's schedule; word_count counts this
// partition's words from 0). Per center position: b = rng() % window (xorshift32 seeded with
// cfg.seed, advanced once per position), then for each context position c in the window shrunk
// by b, for each node of the center word's path: f = syn0[ctx] . syn1[node] (float, in index
// order); if |f| < 6: f = exp_table[(int)((f + 6) * 83.0)], g = (float)((double)((float)(1 - code) - f) * alpha),
// neu1e += g syn1[node], syn1[node] += g syn0[ctx]; after the path syn0[ctx] += neu1e.
// Returns the number of words the pass read.
// Tiers: scalar is the spec (float operations in index order, bit-identical to the JS twin in
// ts/src/kernels/word2vec.ts); avx2 vectorises the dot product and the axpys with FMA and agrees
// within float rounding (no AVX-512 variant: it falls through to AVX2).
#pragma once
#include "kindling/types.h"

namespace kindling {

struct Word2VecConfig {
  uint32_t window;        // Spark's windowSize (>= 1)
  uint32_t seed;          // the partition's xorshift32 seed (non-zero)
  double learning_rate;   // Spark's stepSize
  double num_partitions;  // Spark's numPartitions (the alpha schedule's scale)
  double words_before;    // words trained in earlier iterations: (k - 1) * trainWordsCount
  double total_words;     // numIterations * trainWordsCount + 1
};

constexpr size_t kWord2VecExpTableSize = 1000;
constexpr size_t kWord2VecMaxCodeLength = 40;

}  // namespace kindling

#define KINDLING_DECLARE_WORD2VEC                                                                   \
  uint64_t word2vec_train_f32(const int32_t* words, const int32_t* sent_off, size_t n_sent,          \
                              const int32_t* code_off, const uint8_t* codes, const int32_t* points, \
                              size_t vocab, size_t d, float* syn0, float* syn1, int32_t* syn0_mod,   \
                              int32_t* syn1_mod, const float* exp_table, const Word2VecConfig* cfg);

namespace kindling::scalar { KINDLING_DECLARE_WORD2VEC }
namespace kindling::avx2 { KINDLING_DECLARE_WORD2VEC }
