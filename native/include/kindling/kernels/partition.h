// Spark-compatible hash partitioning (HashPartitioning = pmod(Murmur3Hash(cols, 42), n)).
// Murmur3Hash chains columns: hashes[i] is the seed of row i on entry and its hash on exit; a
// null row (valid bit 0) leaves it unchanged. Per type, as Spark's Murmur3HashFunction:
//   int32 (also date, byte, short, boolean as 1/0): hashInt(v, seed)
//   int64 (also timestamp, decimal of precision <= 18 as its unscaled long): hashLong(v, seed)
//   double: hashLong(doubleToLongBits(v)) after -0.0 -> 0.0; every NaN hashes as the canonical one
//   float: hashInt(floatToIntBits(v)) after -0.0f -> 0.0f; every NaN hashes as the canonical one
//   string: Murmur3_x86_32.hashUnsafeBytes over the UTF-8 bytes (the legacy tail rule: each tail
//   byte sign-extended and mixed as a block; not hashUnsafeBytes2, which only HashingTF uses).
#pragma once
#include "kindling/types.h"

#define KINDLING_DECLARE_PARTITION                                                             \
  void murmur3_col_i32(const int32_t* x, const uint8_t* valid, size_t bit_off, size_t n,       \
                       int32_t* hashes);                                                        \
  void murmur3_col_i64(const int64_t* x, const uint8_t* valid, size_t bit_off, size_t n,       \
                       int32_t* hashes);                                                        \
  void murmur3_col_f64(const double* x, const uint8_t* valid, size_t bit_off, size_t n,        \
                       int32_t* hashes);                                                        \
  void murmur3_col_f32(const float* x, const uint8_t* valid, size_t bit_off, size_t n,         \
                       int32_t* hashes);

namespace kindling::scalar {
KINDLING_DECLARE_PARTITION
// Strings (Arrow Utf8: row i is bytes[offsets[i], offsets[i + 1])), legacy hashUnsafeBytes.
void murmur3_col_strings(const uint8_t* bytes, const int32_t* offsets, const uint8_t* valid,
                         size_t bit_off, size_t n, int32_t* hashes);
// out[i] = pmod(hashes[i], num_partitions) (Spark's Pmod: the non-negative remainder).
// num_partitions in [1, 2^31 - 1].
void pmod_i32(const int32_t* hashes, size_t n, uint32_t num_partitions, int32_t* out);
}  // namespace kindling::scalar
namespace kindling::avx2 { KINDLING_DECLARE_PARTITION }
namespace kindling::avx512 { KINDLING_DECLARE_PARTITION }
