// Text features (issue 14): Spark's HashingTF over a partition's token lists, and IDF's document
// frequencies over sparse or dense term-frequency vectors. Scalar only: hashing a token is a
// serial murmur3 chain and the per-row work (sort, run-length count) is branchy, so a SIMD tier
// would not help here; every tier's table slot points at these.
#pragma once
#include "kindling/types.h"

namespace kindling::scalar {

// HashingTF (Spark 3: MurmurHash3_x86_32 of the UTF-8 bytes, seed 42; legacy = Spark 2's
// hashUnsafeBytes) of n_rows token lists in Arrow's list<utf8> layout: row i holds strings
// list_offsets[i] .. list_offsets[i + 1], string j is bytes[str_offsets[j], str_offsets[j + 1]).
// A null string (valid bit off at bit_off + j) hashes to the seed, as Spark's murmur3Hash(null).
// Writes row i's sparse vector at out_indices / out_values [row_offsets[i], row_offsets[i + 1]):
// indices nonNegativeMod(hash, num_features) ascending, values the term counts (1.0 if binary).
// row_offsets has n_rows + 1 entries; out_indices / out_values hold at least
// list_offsets[n_rows] - list_offsets[0] entries. Returns the number of entries written.
size_t hashing_tf(const uint8_t* bytes, const int32_t* str_offsets, const uint8_t* valid,
                  size_t bit_off, const int32_t* list_offsets, size_t n_rows, int32_t num_features,
                  bool binary, bool legacy, int32_t* row_offsets, int32_t* out_indices,
                  double* out_values);

// IDF's document frequencies: df[j] += 1 for every row whose entry j is > 0 (Spark's
// DocumentFrequencyAggregator: negative, zero and NaN entries do not count). Sparse rows:
// row i's entries are indices / values [row_offsets[i], row_offsets[i + 1]). Returns kOk (-1), or
// the first row holding an index outside [0, d) (the caller names it).
int64_t doc_freq_sparse(const int32_t* row_offsets, const int32_t* indices, const double* values,
                        size_t n_rows, size_t d, double* df);
// Dense rows: x is n_rows x d, row-major.
void doc_freq_dense(const double* x, size_t n_rows, size_t d, double* df);

}  // namespace kindling::scalar
