// MurmurHash3_x86_32, scalar reference. Standard tail handling (= Spark's hashUnsafeBytes2, used
// by HashingTF since 3.0 and FeatureHasher), plus Spark 2.x's legacy hashUnsafeBytes variant.
#include "kindling/kernels/hash.h"

namespace kindling::scalar {
namespace {

inline uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
inline uint32_t mix_k1(uint32_t k1) {
  k1 *= 0xcc9e2d51u;
  k1 = rotl(k1, 15);
  return k1 * 0x1b873593u;
}
inline uint32_t mix_h1(uint32_t h1, uint32_t k1) {
  h1 ^= k1;
  h1 = rotl(h1, 13);
  return h1 * 5 + 0xe6546b64u;
}
inline uint32_t fmix(uint32_t h1, uint32_t len) {
  h1 ^= len;
  h1 ^= h1 >> 16;
  h1 *= 0x85ebca6bu;
  h1 ^= h1 >> 13;
  h1 *= 0xc2b2ae35u;
  return h1 ^ (h1 >> 16);
}
inline uint32_t load_le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

uint32_t hash_blocks(const uint8_t* p, size_t nblocks, uint32_t h1) {
  for (size_t j = 0; j < nblocks; ++j) h1 = mix_h1(h1, mix_k1(load_le32(p + 4 * j)));
  return h1;
}

uint32_t legacy_bytes(const uint8_t* p, size_t len, uint32_t seed) {
  size_t aligned = len - len % 4;
  uint32_t h1 = hash_blocks(p, aligned / 4, seed);
  for (size_t i = aligned; i < len; ++i) {
    uint32_t half = static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(p[i])));
    h1 = mix_h1(h1, mix_k1(half));
  }
  return fmix(h1, static_cast<uint32_t>(len));
}

}  // namespace

uint32_t murmur3_bytes(const uint8_t* p, size_t len, uint32_t seed) {
  size_t nblocks = len / 4;
  uint32_t h1 = hash_blocks(p, nblocks, seed);
  const uint8_t* tail = p + 4 * nblocks;
  uint32_t k1 = 0;
  switch (len & 3) {
    case 3: k1 ^= static_cast<uint32_t>(tail[2]) << 16; [[fallthrough]];
    case 2: k1 ^= static_cast<uint32_t>(tail[1]) << 8; [[fallthrough]];
    case 1:
      k1 ^= tail[0];
      h1 ^= mix_k1(k1);
  }
  return fmix(h1, static_cast<uint32_t>(len));
}

void murmur3_batch(const uint8_t* bytes, const int32_t* offsets, size_t n, uint32_t seed,
                   int32_t* out) {
  for (size_t i = 0; i < n; ++i) {
    size_t s = static_cast<size_t>(offsets[i]), e = static_cast<size_t>(offsets[i + 1]);
    out[i] = static_cast<int32_t>(murmur3_bytes(bytes + s, e - s, seed));
  }
}

void murmur3_legacy_batch(const uint8_t* bytes, const int32_t* offsets, size_t n, uint32_t seed,
                          int32_t* out) {
  for (size_t i = 0; i < n; ++i) {
    size_t s = static_cast<size_t>(offsets[i]), e = static_cast<size_t>(offsets[i + 1]);
    out[i] = static_cast<int32_t>(legacy_bytes(bytes + s, e - s, seed));
  }
}

}  // namespace kindling::scalar
