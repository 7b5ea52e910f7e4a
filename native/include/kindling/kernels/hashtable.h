// Hash tables for group-by and joins: keys -> dense group codes in first-insert order.
// Open addressing with linear probing, power-of-two capacity (load <= 1/2), a 64-bit mix
// (murmur3 fmix64) of integer keys, and a 64-bit multiply-fold hash of byte keys (strings,
// packed composite rows). Scalar only: the work is one dependent probe per row (latency-bound
// memory access), which blocks of software prefetches help and wider lanes do not.
#pragma once
#include "kindling/types.h"

namespace kindling {

// The key layouts a table accepts. Values of one batch (KeyBatch::values):
//   kI32 int32, kI64 int64, kF64 double (grouped by Spark's normalised value: -0.0 == 0.0 and
//   every NaN is one key), kString the UTF-8 bytes with n + 1 offsets (exact byte equality),
//   kRows32 / kRows64 row-major uint32 / uint64 words, `width` per row (exact word equality).
enum class KeyKind : int32_t { kI32 = 0, kI64 = 1, kF64 = 2, kString = 3, kRows32 = 4, kRows64 = 5 };

// One batch of keys. valid == nullptr: every row is valid (the rows kinds have no validity: the
// engine packs null flags into the words).
struct KeyBatch {
  const void* values;
  const int32_t* offsets;  // kString only
  const uint8_t* valid;
  size_t bit_off;
  size_t n;
};

// Code of an absent key (lookup) or a null key (lookup, join probe).
constexpr int32_t kNoGroup = -1;

// What a join probe emits (left = probe rows, right = build rows).
enum class JoinMode : int32_t {
  kInner = 0,       // one pair per matching (probe, build) row: probe order, then build order
  kProbeOuter = 1,  // kInner plus (probe row, -1) in place for every probe row without a match
  kSemi = 2,        // left = each probe row with a match, once; right is empty
};

struct JoinCounts {
  size_t pairs;            // length of left (and of right, except kSemi: 0)
  size_t unmatched_probe;  // probe rows without a match (null keys included)
};

}  // namespace kindling

namespace kindling::scalar {

// An insert-only table of distinct keys and their dense codes 0, 1, 2, ... in first-insert
// order. A null key (valid bit 0) is one more group of its own, as Spark groups nulls together.
// Memory comes from the C++ heap; growth throws std::bad_alloc, and more than 2^31 - 1 groups
// throws std::length_error.
class KeyTable {
 public:
  // width: words per row for kRows32 / kRows64 (>= 1); ignored (1) for the other kinds.
  static KeyTable* create(KeyKind kind, size_t width);
  virtual ~KeyTable() = default;
  // Writes the code of each row to codes[0, n) (inserting new keys) and, for every group this
  // call creates, its first row (an index into this batch) to first_rows, in code order. Returns
  // the number of new groups (at most n; their codes are size() - returned ... size() - 1).
  virtual size_t add(const KeyBatch& keys, int32_t* codes, int32_t* first_rows) = 0;
  // Sizes the slots for n distinct keys up front (a join build knows its row count), so adding
  // them needs no rehash.
  virtual void reserve(size_t n) = 0;
  // Writes the code of each row, or kNoGroup for a key the table lacks and for every null key.
  virtual void lookup(const KeyBatch& keys, int32_t* codes) const = 0;
  // Distinct keys so far (the null group included once a null was added).
  virtual size_t size() const = 0;
  // Bytes held (slots and key storage), for the JS engine's external-memory accounting.
  virtual size_t memory_bytes() const = 0;
  KeyKind kind() const { return kind_; }
  size_t width() const { return width_; }

 protected:
  KeyTable(KeyKind kind, size_t width) : kind_(kind), width_(width) {}

 private:
  KeyKind kind_;
  size_t width_;
};

// Rows grouped by code in CSR form (a stable counting sort): rows of code c are
// rows[offsets[c], offsets[c + 1]) in ascending row order. offsets has num_buckets + 1 entries.
// Returns kOk, or the first row whose id is outside [0, num_buckets) (nothing useful written).
int64_t scatter_rows(const int32_t* ids, size_t n, size_t num_buckets, int32_t* offsets,
                     int32_t* rows);

// A hash join's build side: a KeyTable of the build keys plus the build rows of each key (CSR).
// probe() looks a batch up and counts the outputs; emit() then writes them, so the caller can
// allocate exact outputs in between. A probe-emit pair must not interleave with another probe.
class JoinIndex {
 public:
  JoinIndex(KeyKind kind, size_t width);
  ~JoinIndex();
  JoinIndex(const JoinIndex&) = delete;
  JoinIndex& operator=(const JoinIndex&) = delete;
  // Builds from all build rows at once (call once). Null build keys never match.
  void build(const KeyBatch& keys);
  JoinCounts probe(const KeyBatch& keys, JoinMode mode);
  // Writes the last probe's outputs: left/right (counts.pairs each; right unused for kSemi) and
  // the probe rows without a match (ascending); marks the matched keys (see matched_build).
  void emit(int32_t* left, int32_t* right, int32_t* unmatched_probe);
  // 1 for each build row whose key matched any probe row so far (all probes), else 0.
  void matched_build(uint8_t* out) const;
  size_t build_rows() const { return n_build_; }
  size_t memory_bytes() const;

 private:
  struct Impl;
  Impl* impl_;
  size_t n_build_ = 0;
};

}  // namespace kindling::scalar
