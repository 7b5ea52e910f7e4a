// Spark's Murmur3Hash per column (hashes in/out: the running hash is the next column's seed,
// a null row leaves it unchanged), Pmod, scalar reference. Bit-exact with
// org.apache.spark.unsafe.hash.Murmur3_x86_32 (hashInt, hashLong, hashUnsafeBytes).
#include <string.h>

#include "kindling/kernels/partition.h"

namespace kindling::scalar {
namespace {

inline bool bit_set(const uint8_t* valid, size_t bit) { return (valid[bit >> 3] >> (bit & 7)) & 1; }
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
inline uint32_t hash_int(uint32_t v, uint32_t seed) { return fmix(mix_h1(seed, mix_k1(v)), 4); }
inline uint32_t hash_long(uint64_t v, uint32_t seed) {
  uint32_t h1 = mix_h1(seed, mix_k1(static_cast<uint32_t>(v)));
  h1 = mix_h1(h1, mix_k1(static_cast<uint32_t>(v >> 32)));
  return fmix(h1, 8);
}
// Murmur3_x86_32.hashUnsafeBytes (what Spark SQL's hash() and HashPartitioning use for
// strings): 4-byte blocks, then every tail byte sign-extended and mixed as its own block.
// (The same rule as hash/scalar.cc's legacy HashingTF variant, kept here so this family has no
// cross-family dependency.)
inline uint32_t hash_bytes_legacy(const uint8_t* p, size_t len, uint32_t seed) {
  size_t aligned = len - len % 4;
  uint32_t h1 = seed;
  for (size_t i = 0; i < aligned; i += 4) {
    uint32_t k;
    memcpy(&k, p + i, 4);  // little-endian hosts only (x86-64, arm64), as Spark's Platform reads
    h1 = mix_h1(h1, mix_k1(k));
  }
  for (size_t i = aligned; i < len; ++i) {
    h1 = mix_h1(h1, mix_k1(static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(p[i])))));
  }
  return fmix(h1, static_cast<uint32_t>(len));
}
inline uint64_t f64_bits(double x) {
  if (x == 0) return 0;                        // -0.0 hashes as 0.0
  if (x != x) return 0x7ff8000000000000ULL;    // doubleToLongBits' canonical NaN
  uint64_t b;
  memcpy(&b, &x, 8);
  return b;
}
inline uint32_t f32_bits(float x) {
  if (x == 0) return 0;
  if (x != x) return 0x7fc00000u;  // floatToIntBits' canonical NaN
  uint32_t b;
  memcpy(&b, &x, 4);
  return b;
}

}  // namespace

void murmur3_col_i32(const int32_t* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes) {
  for (size_t i = 0; i < n; ++i) {
    if (valid != nullptr && !bit_set(valid, bit_off + i)) continue;
    hashes[i] = static_cast<int32_t>(hash_int(static_cast<uint32_t>(x[i]), static_cast<uint32_t>(hashes[i])));
  }
}

void murmur3_col_i64(const int64_t* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes) {
  for (size_t i = 0; i < n; ++i) {
    if (valid != nullptr && !bit_set(valid, bit_off + i)) continue;
    hashes[i] = static_cast<int32_t>(hash_long(static_cast<uint64_t>(x[i]), static_cast<uint32_t>(hashes[i])));
  }
}

void murmur3_col_f64(const double* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes) {
  for (size_t i = 0; i < n; ++i) {
    if (valid != nullptr && !bit_set(valid, bit_off + i)) continue;
    hashes[i] = static_cast<int32_t>(hash_long(f64_bits(x[i]), static_cast<uint32_t>(hashes[i])));
  }
}

void murmur3_col_f32(const float* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes) {
  for (size_t i = 0; i < n; ++i) {
    if (valid != nullptr && !bit_set(valid, bit_off + i)) continue;
    hashes[i] = static_cast<int32_t>(hash_int(f32_bits(x[i]), static_cast<uint32_t>(hashes[i])));
  }
}

void murmur3_col_strings(const uint8_t* bytes, const int32_t* offsets, const uint8_t* valid,
                         size_t bit_off, size_t n, int32_t* hashes) {
  for (size_t i = 0; i < n; ++i) {
    if (valid != nullptr && !bit_set(valid, bit_off + i)) continue;
    size_t s = static_cast<size_t>(offsets[i]), e = static_cast<size_t>(offsets[i + 1]);
    hashes[i] = static_cast<int32_t>(hash_bytes_legacy(bytes + s, e - s, static_cast<uint32_t>(hashes[i])));
  }
}

void pmod_i32(const int32_t* hashes, size_t n, uint32_t num_partitions, int32_t* out) {
  const uint32_t d = num_partitions;
  // A negative h is u - 2^32 for u = (uint32)h, so h mod d = (u mod d - 2^32 mod d) mod d.
  const uint32_t wrap = static_cast<uint32_t>((uint64_t{1} << 32) % d);
#if defined(__SIZEOF_INT128__)
  // Lemire's fastmod: u mod d from two multiplications (exact for every 32-bit u and d).
  const uint64_t magic = UINT64_MAX / d + 1;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t u = static_cast<uint32_t>(hashes[i]);
    const uint64_t low = magic * u;
    uint32_t r = static_cast<uint32_t>((static_cast<unsigned __int128>(low) * d) >> 64);
    if (hashes[i] < 0) r = r >= wrap ? r - wrap : r + (d - wrap);
    out[i] = static_cast<int32_t>(r);
  }
#else
  for (size_t i = 0; i < n; ++i) {
    const uint32_t u = static_cast<uint32_t>(hashes[i]);
    uint32_t r = u % d;
    if (hashes[i] < 0) r = r >= wrap ? r - wrap : r + (d - wrap);
    out[i] = static_cast<int32_t>(r);
  }
#endif
}

}  // namespace kindling::scalar
