// Text features, scalar (the spec and the only tier; see kindling/kernels/text.h): HashingTF rows
// and IDF document frequencies.
#include "kindling/kernels/hash.h"
#include "kindling/kernels/text.h"

#include <algorithm>

namespace kindling::scalar {
namespace {

// Spark 2.x's hashUnsafeBytes for one string (murmur3_legacy_batch over a single offset pair).
uint32_t legacy_hash(const uint8_t* p, size_t len, uint32_t seed) {
  const int32_t offs[2] = {0, static_cast<int32_t>(len)};
  int32_t h = 0;
  murmur3_legacy_batch(p, offs, 1, seed, &h);
  return static_cast<uint32_t>(h);
}

inline bool bit(const uint8_t* valid, size_t i) { return valid == nullptr || ((valid[i >> 3] >> (i & 7)) & 1); }

// Sorts a row's indices in place: insertion sort for the short rows of short documents.
void sort_row(int32_t* a, size_t n) {
  if (n > 24) {
    std::sort(a, a + n);
    return;
  }
  for (size_t i = 1; i < n; ++i) {
    int32_t v = a[i];
    size_t j = i;
    for (; j > 0 && a[j - 1] > v; --j) a[j] = a[j - 1];
    a[j] = v;
  }
}

}  // namespace

size_t hashing_tf(const uint8_t* bytes, const int32_t* str_offsets, const uint8_t* valid,
                  size_t bit_off, const int32_t* list_offsets, size_t n_rows, int32_t num_features,
                  bool binary, bool legacy, int32_t* row_offsets, int32_t* out_indices,
                  double* out_values) {
  const uint32_t seed = 42;
  size_t pos = 0;
  row_offsets[0] = 0;
  for (size_t i = 0; i < n_rows; ++i) {
    const size_t s = static_cast<size_t>(list_offsets[i]), e = static_cast<size_t>(list_offsets[i + 1]);
    int32_t* idx = out_indices + pos;
    for (size_t j = s; j < e; ++j) {
      uint32_t h = seed;
      if (bit(valid, bit_off + j)) {
        const uint8_t* p = bytes + str_offsets[j];
        const size_t len = static_cast<size_t>(str_offsets[j + 1] - str_offsets[j]);
        h = legacy ? legacy_hash(p, len, seed) : murmur3_bytes(p, len, seed);
      }
      int32_t r = static_cast<int32_t>(h) % num_features;  // Java's nonNegativeMod
      idx[j - s] = r < 0 ? r + num_features : r;
    }
    const size_t m = e - s;
    sort_row(idx, m);
    // run-length count in place: idx[k] unique ascending, out_values the counts
    size_t u = 0;
    for (size_t k = 0; k < m; ++k) {
      if (u > 0 && idx[u - 1] == idx[k]) {
        out_values[pos + u - 1] += 1.0;
      } else {
        idx[u] = idx[k];
        out_values[pos + u] = 1.0;
        ++u;
      }
    }
    if (binary) for (size_t k = 0; k < u; ++k) out_values[pos + k] = 1.0;
    pos += u;
    row_offsets[i + 1] = static_cast<int32_t>(pos);
  }
  return pos;
}

int64_t doc_freq_sparse(const int32_t* row_offsets, const int32_t* indices, const double* values,
                        size_t n_rows, size_t d, double* df) {
  for (size_t i = 0; i < n_rows; ++i) {
    for (int32_t k = row_offsets[i]; k < row_offsets[i + 1]; ++k) {
      const int32_t j = indices[k];
      if (j < 0 || static_cast<size_t>(j) >= d) return static_cast<int64_t>(i);
    }
  }
  for (size_t i = 0; i < n_rows; ++i) {
    for (int32_t k = row_offsets[i]; k < row_offsets[i + 1]; ++k) {
      if (values[k] > 0.0) df[indices[k]] += 1.0;  // Spark counts positive entries only
    }
  }
  return -1;
}

void doc_freq_dense(const double* x, size_t n_rows, size_t d, double* df) {
  for (size_t i = 0; i < n_rows; ++i) {
    const double* row = x + i * d;
    for (size_t j = 0; j < d; ++j) df[j] += row[j] > 0.0 ? 1.0 : 0.0;
  }
}

}  // namespace kindling::scalar
