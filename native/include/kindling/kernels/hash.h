// MurmurHash3_x86_32 over packed UTF-8 strings (Spark's hashUnsafeBytes2 = standard murmur3).
#pragma once
#include "kindling/types.h"

#define KINDLING_DECLARE_HASH                                                                  \
  void murmur3_batch(const uint8_t* bytes, const int32_t* offsets, size_t n, uint32_t seed,    \
                     int32_t* out);

namespace kindling::scalar {
KINDLING_DECLARE_HASH
// Spark 2.x HashingTF's legacy hashUnsafeBytes: each tail byte sign-extended and mixed as a block.
void murmur3_legacy_batch(const uint8_t* bytes, const int32_t* offsets, size_t n, uint32_t seed,
                          int32_t* out);
uint32_t murmur3_bytes(const uint8_t* p, size_t len, uint32_t seed);
}  // namespace kindling::scalar
namespace kindling::avx2 { KINDLING_DECLARE_HASH }
namespace kindling::avx512 { KINDLING_DECLARE_HASH }
