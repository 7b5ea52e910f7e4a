// Key tables (group ids) and the hash-join index, scalar reference (the only tier).
// Layout: one open-addressing slot array (linear probing, power-of-two capacity, load <= 1/2).
// Integer keys live in the slot ({key, code}); byte keys (strings, packed rows) keep their
// 64-bit hash and an index into an append-only key arena, so a probe compares the hash before
// touching the key bytes and growth never rehashes bytes. Rows are processed in blocks: hash
// the block, prefetch its slots (once the table outgrows the L1/L2 caches), then probe, so
// several cache misses are in flight at once.
#include <string.h>

#include <memory>
#include <new>
#include <stdexcept>
#include <vector>

#include "kindling/kernels/hashtable.h"
#include "kindling/kernels/scratch.h"

namespace kindling::scalar {
namespace {

constexpr size_t kBlock = 32;
constexpr size_t kInitialSlots = 64;
// Tables at least this large (bytes) prefetch each block's slots before probing it.
constexpr size_t kPrefetchBytes = size_t{64} << 10;
// Load factor: at most 1/4 while the slots fit in this many bytes (fewer collisions, so fewer
// mispredicted probe branches, where memory is cheap), then at most 1/2.
constexpr size_t kSparseBytes = size_t{1} << 20;

inline bool bit_set(const uint8_t* valid, size_t bit) { return (valid[bit >> 3] >> (bit & 7)) & 1; }

inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// MurmurHash3's 64-bit finaliser: every input bit affects every output bit.
inline uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

inline uint64_t load64(const uint8_t* p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}
inline uint64_t load32(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

// 64-bit hash of a byte string: murmur3_x64-style block mixing of 8-byte words into one lane,
// the last partial word read as an overlapping load, the length folded into the seed, and
// fmix64 at the end. Injective per block given the length, so only a true 64-bit collision
// makes two keys compare bytes.
inline uint64_t mix_word(uint64_t h, uint64_t w) {
  w *= 0x87c37b91114253d5ULL;
  w = rotl64(w, 31);
  w *= 0x4cf5ad432745937fULL;
  h ^= w;
  return rotl64(h, 27) * 5 + 0x52dce729;
}

uint64_t hash_bytes(const uint8_t* p, size_t len) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (static_cast<uint64_t>(len) * 0xa0761d6478bd642fULL);
  if (len >= 8) {
    size_t i = 0;
    for (; i + 8 <= len; i += 8) h = mix_word(h, load64(p + i));
    if (i < len) h = mix_word(h, load64(p + len - 8));  // overlaps: still injective given len
  } else if (len >= 4) {
    h = mix_word(h, load32(p) | (load32(p + len - 4) << 32));
  } else if (len > 0) {
    h = mix_word(h, static_cast<uint64_t>(p[0]) | (static_cast<uint64_t>(p[len >> 1]) << 8) |
                        (static_cast<uint64_t>(p[len - 1]) << 16));
  }
  return fmix64(h);
}

// Byte equality with the hash's loads (overlapping words) for keys up to 16 bytes, memcmp beyond:
// most string and packed-row keys are short, and a memcmp call costs more than the compare.
inline bool bytes_equal(const uint8_t* a, const uint8_t* b, size_t len) {
  if (len >= 8) {
    if (len > 16) return memcmp(a, b, len) == 0;
    return load64(a) == load64(b) && load64(a + len - 8) == load64(b + len - 8);
  }
  if (len >= 4) return load32(a) == load32(b) && load32(a + len - 4) == load32(b + len - 4);
  return len == 0 || (a[0] == b[0] && a[len >> 1] == b[len >> 1] && a[len - 1] == b[len - 1]);
}

// Spark's normalisation of a grouping/join double: -0.0 -> 0.0, every NaN -> the canonical NaN.
inline uint64_t f64_key(double x) {
  if (x == 0) return 0;
  if (x != x) return 0x7ff8000000000000ULL;
  uint64_t b;
  memcpy(&b, &x, 8);
  return b;
}

struct Slot32 {
  uint32_t key;
  int32_t code;
};
struct Slot64 {
  uint64_t key;
  int32_t code;
  int32_t unused;
};
struct SlotBytes {
  uint64_t hash;
  int32_t code;
  uint32_t key_index;  // into the policy's key arena
};

// ---- key policies: how a row is read, hashed, compared and stored ----

struct I32Policy {
  using Slot = Slot32;
  static uint32_t key(const KeyBatch& kb, size_t i) { return static_cast<uint32_t>(static_cast<const int32_t*>(kb.values)[i]); }
  uint64_t hash(const KeyBatch& kb, size_t i) const { return fmix64(key(kb, i)); }
  uint64_t slot_hash(const Slot& s) const { return fmix64(s.key); }
  bool equal(const Slot& s, const KeyBatch& kb, size_t i, uint64_t) const { return s.key == key(kb, i); }
  void store(Slot& s, const KeyBatch& kb, size_t i, uint64_t) { s.key = key(kb, i); }
  size_t arena_bytes() const { return 0; }
};

template <bool kIsF64>
struct U64Policy {
  using Slot = Slot64;
  static uint64_t key(const KeyBatch& kb, size_t i) {
    if (kIsF64) return f64_key(static_cast<const double*>(kb.values)[i]);
    return static_cast<uint64_t>(static_cast<const int64_t*>(kb.values)[i]);
  }
  uint64_t hash(const KeyBatch& kb, size_t i) const { return fmix64(key(kb, i)); }
  uint64_t slot_hash(const Slot& s) const { return fmix64(s.key); }
  bool equal(const Slot& s, const KeyBatch& kb, size_t i, uint64_t) const { return s.key == key(kb, i); }
  void store(Slot& s, const KeyBatch& kb, size_t i, uint64_t) { s.key = key(kb, i); }
  size_t arena_bytes() const { return 0; }
};

struct StringPolicy {
  using Slot = SlotBytes;
  std::vector<uint8_t> bytes;
  std::vector<uint64_t> starts{0};  // key k is bytes[starts[k], starts[k + 1])
  static const uint8_t* ptr(const KeyBatch& kb, size_t i) { return static_cast<const uint8_t*>(kb.values) + kb.offsets[i]; }
  static size_t len(const KeyBatch& kb, size_t i) { return static_cast<size_t>(kb.offsets[i + 1] - kb.offsets[i]); }
  uint64_t hash(const KeyBatch& kb, size_t i) const { return hash_bytes(ptr(kb, i), len(kb, i)); }
  uint64_t slot_hash(const Slot& s) const { return s.hash; }
  bool equal(const Slot& s, const KeyBatch& kb, size_t i, uint64_t h) const {
    if (s.hash != h) return false;
    size_t a = starts[s.key_index], b = starts[s.key_index + 1], n = len(kb, i);
    return b - a == n && bytes_equal(bytes.data() + a, ptr(kb, i), n);
  }
  void store(Slot& s, const KeyBatch& kb, size_t i, uint64_t h) {
    s.hash = h;
    s.key_index = static_cast<uint32_t>(starts.size() - 1);
    bytes.insert(bytes.end(), ptr(kb, i), ptr(kb, i) + len(kb, i));
    starts.push_back(bytes.size());
  }
  size_t arena_bytes() const { return bytes.capacity() + starts.capacity() * sizeof(uint64_t); }
};

template <typename Word>
struct RowsPolicy {
  using Slot = SlotBytes;
  size_t width;
  std::vector<Word> words;  // key k is words[k * width, (k + 1) * width)
  explicit RowsPolicy(size_t w) : width(w) {}
  const Word* row(const KeyBatch& kb, size_t i) const { return static_cast<const Word*>(kb.values) + i * width; }
  uint64_t hash(const KeyBatch& kb, size_t i) const {
    return hash_bytes(reinterpret_cast<const uint8_t*>(row(kb, i)), width * sizeof(Word));
  }
  uint64_t slot_hash(const Slot& s) const { return s.hash; }
  bool equal(const Slot& s, const KeyBatch& kb, size_t i, uint64_t h) const {
    return s.hash == h && bytes_equal(reinterpret_cast<const uint8_t*>(words.data() + s.key_index * width),
                                      reinterpret_cast<const uint8_t*>(row(kb, i)), width * sizeof(Word));
  }
  void store(Slot& s, const KeyBatch& kb, size_t i, uint64_t h) {
    s.hash = h;
    s.key_index = static_cast<uint32_t>(words.size() / width);
    words.insert(words.end(), row(kb, i), row(kb, i) + width);
  }
  size_t arena_bytes() const { return words.capacity() * sizeof(Word); }
};

template <typename Policy>
class Table final : public KeyTable {
  using Slot = typename Policy::Slot;

 public:
  Table(KeyKind kind, size_t width, Policy policy) : KeyTable(kind, width), pol_(std::move(policy)) { alloc(kInitialSlots); }

  size_t add(const KeyBatch& kb, int32_t* codes, int32_t* first_rows) override {
    size_t created = 0;
    uint64_t hs[2][kBlock];
    hash_block(kb, 0, hs[0]);
    for (size_t base = 0, b = 0; base < kb.n; base += kBlock, b ^= 1) {
      const size_t m = kb.n - base < kBlock ? kb.n - base : kBlock;
      // Software pipeline: the next block's slots are prefetched while this block probes.
      if (base + kBlock < kb.n) hash_block(kb, base + kBlock, hs[b ^ 1]);
      const uint64_t* h = hs[b];
      for (size_t j = 0; j < m; ++j) {
        const size_t i = base + j;
        if (kb.valid != nullptr && !bit_set(kb.valid, kb.bit_off + i)) {
          if (null_code_ == kNoGroup) {
            null_code_ = next_code();
            first_rows[created++] = static_cast<int32_t>(i);
          }
          codes[i] = null_code_;
          continue;
        }
        // Grow before the probe, so an insertion always finds the load factor in bounds.
        if (used_ + 1 > limit_) grow();
        size_t pos = h[j] & mask_;
        for (;;) {
          Slot& s = slots_[pos];
          if (s.code < 0) {
            pol_.store(s, kb, i, h[j]);
            s.code = next_code();
            ++used_;
            first_rows[created++] = static_cast<int32_t>(i);
            codes[i] = s.code;
            break;
          }
          if (pol_.equal(s, kb, i, h[j])) {
            codes[i] = s.code;
            break;
          }
          pos = (pos + 1) & mask_;
        }
      }
    }
    return created;
  }

  void lookup(const KeyBatch& kb, int32_t* codes) const override {
    uint64_t hs[2][kBlock];
    hash_block(kb, 0, hs[0]);
    for (size_t base = 0, b = 0; base < kb.n; base += kBlock, b ^= 1) {
      const size_t m = kb.n - base < kBlock ? kb.n - base : kBlock;
      if (base + kBlock < kb.n) hash_block(kb, base + kBlock, hs[b ^ 1]);
      const uint64_t* h = hs[b];
      for (size_t j = 0; j < m; ++j) {
        const size_t i = base + j;
        int32_t code = kNoGroup;
        if (kb.valid == nullptr || bit_set(kb.valid, kb.bit_off + i)) {
          for (size_t pos = h[j] & mask_;; pos = (pos + 1) & mask_) {
            const Slot& s = slots_[pos];
            if (s.code < 0) break;
            if (pol_.equal(s, kb, i, h[j])) {
              code = s.code;
              break;
            }
          }
        }
        codes[i] = code;
      }
    }
  }

  void reserve(size_t n) override {
    size_t cap = cap_;
    while (limit_for(cap) < n) cap *= 2;
    if (cap != cap_) rehash(cap);
  }

  size_t size() const override { return groups_; }
  size_t memory_bytes() const override { return cap_ * sizeof(Slot) + pol_.arena_bytes(); }

 private:
  void alloc(size_t cap) {
    slots_.reset(cap);
    for (size_t p = 0; p < cap; ++p) slots_[p].code = kNoGroup;
    cap_ = cap;
    mask_ = cap - 1;
    limit_ = limit_for(cap);
  }

  static size_t limit_for(size_t cap) { return cap * sizeof(Slot) <= kSparseBytes ? cap / 4 : cap / 2; }

  void grow() { rehash(cap_ * 2); }

  void rehash(size_t cap) {
    Scratch<Slot> old = std::move(slots_);
    const size_t old_cap = cap_;
    alloc(cap);
    for (size_t p = 0; p < old_cap; ++p) {
      if (old[p].code < 0) continue;
      size_t pos = pol_.slot_hash(old[p]) & mask_;
      while (slots_[pos].code >= 0) pos = (pos + 1) & mask_;
      slots_[pos] = old[p];
    }
  }

  // Hashes rows [base, base + kBlock) (fewer at the end) and, for a table outside the L1/L2
  // caches, prefetches their home slots.
  void hash_block(const KeyBatch& kb, size_t base, uint64_t* hs) const {
    const size_t m = kb.n - base < kBlock ? kb.n - base : kBlock;
    for (size_t j = 0; j < m; ++j) hs[j] = pol_.hash(kb, base + j);
    if (cap_ * sizeof(Slot) < kPrefetchBytes) return;
    for (size_t j = 0; j < m; ++j) __builtin_prefetch(&slots_[hs[j] & mask_]);
  }

  int32_t next_code() {
    if (groups_ >= 0x7fffffff) throw std::length_error("more than 2^31 - 1 distinct keys");
    return static_cast<int32_t>(groups_++);
  }

  Policy pol_;
  Scratch<Slot> slots_;
  size_t cap_ = 0, mask_ = 0, limit_ = 0;
  size_t used_ = 0;    // keys held in slots (the null group has none)
  size_t groups_ = 0;  // codes handed out (null group included)
  int32_t null_code_ = kNoGroup;
};

}  // namespace

KeyTable* KeyTable::create(KeyKind kind, size_t width) {
  switch (kind) {
    case KeyKind::kI32: return new Table<I32Policy>(kind, 1, I32Policy{});
    case KeyKind::kI64: return new Table<U64Policy<false>>(kind, 1, U64Policy<false>{});
    case KeyKind::kF64: return new Table<U64Policy<true>>(kind, 1, U64Policy<true>{});
    case KeyKind::kString: return new Table<StringPolicy>(kind, 1, StringPolicy{});
    case KeyKind::kRows32:
      if (width == 0) throw std::invalid_argument("rows need a width of at least 1 word");
      return new Table<RowsPolicy<uint32_t>>(kind, width, RowsPolicy<uint32_t>(width));
    case KeyKind::kRows64:
      if (width == 0) throw std::invalid_argument("rows need a width of at least 1 word");
      return new Table<RowsPolicy<uint64_t>>(kind, width, RowsPolicy<uint64_t>(width));
  }
  throw std::invalid_argument("unknown key kind");
}

int64_t scatter_rows(const int32_t* ids, size_t n, size_t num_buckets, int32_t* offsets, int32_t* rows) {
  for (size_t c = 0; c <= num_buckets; ++c) offsets[c] = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t id = static_cast<uint32_t>(ids[i]);
    if (id >= num_buckets) return static_cast<int64_t>(i);
    ++offsets[id + 1];
  }
  for (size_t c = 0; c < num_buckets; ++c) offsets[c + 1] += offsets[c];
  // offsets[c] is now the start of bucket c; use it as the write cursor, then shift back.
  for (size_t i = 0; i < n; ++i) rows[offsets[ids[i]]++] = static_cast<int32_t>(i);
  for (size_t c = num_buckets; c > 0; --c) offsets[c] = offsets[c - 1];
  offsets[0] = 0;
  return kOk;
}

struct JoinIndex::Impl {
  std::unique_ptr<KeyTable> table;
  Scratch<int32_t> build_codes, offsets, rows;  // CSR: build rows of code c are rows[offsets[c], offsets[c + 1])
  Scratch<uint8_t> matched;                      // per key (code): matched by some probe row
  Scratch<int32_t> probe_codes;                  // the last probe's codes (capacity >= probe_n)
  size_t probe_n = 0;
  JoinMode mode = JoinMode::kInner;
};

JoinIndex::JoinIndex(KeyKind kind, size_t width) : impl_(new Impl) {
  try {
    impl_->table.reset(KeyTable::create(kind, width));
  } catch (...) {
    delete impl_;
    throw;
  }
}

JoinIndex::~JoinIndex() { delete impl_; }

void JoinIndex::build(const KeyBatch& kb) {
  Impl& m = *impl_;
  m.table.reset(KeyTable::create(m.table->kind(), m.table->width()));
  m.table->reserve(kb.n);
  m.build_codes.reset(kb.n);
  {
    Scratch<int32_t> first(kb.n);
    m.table->add(kb, m.build_codes.get(), first.get());
  }
  const size_t g = m.table->size();
  m.offsets.reset(g + 1);
  m.rows.reset(kb.n);
  scatter_rows(m.build_codes.get(), kb.n, g, m.offsets.get(), m.rows.get());
  m.matched.reset(g);
  for (size_t c = 0; c < g; ++c) m.matched[c] = 0;
  n_build_ = kb.n;
}

JoinCounts JoinIndex::probe(const KeyBatch& kb, JoinMode mode) {
  Impl& m = *impl_;
  m.mode = mode;
  if (m.probe_codes.size() < kb.n || m.probe_codes.get() == nullptr) m.probe_codes.reset(kb.n);
  m.probe_n = kb.n;
  int32_t* codes = m.probe_codes.get();
  m.table->lookup(kb, codes);
  JoinCounts c{0, 0};
  const int32_t* off = m.offsets.get();
  for (size_t i = 0; i < kb.n; ++i) {
    const int32_t g = codes[i];
    if (g < 0) {
      ++c.unmatched_probe;
    } else {
      c.pairs += mode == JoinMode::kSemi ? 1 : static_cast<size_t>(off[g + 1] - off[g]);
    }
  }
  if (mode == JoinMode::kProbeOuter) c.pairs += c.unmatched_probe;
  return c;
}

void JoinIndex::emit(int32_t* left, int32_t* right, int32_t* unmatched_probe) {
  Impl& m = *impl_;
  const int32_t* off = m.offsets.get();
  const int32_t* rows = m.rows.get();
  const int32_t* codes = m.probe_codes.get();
  uint8_t* matched = m.matched.get();
  size_t p = 0, u = 0;
  // (Software prefetch of the random CSR reads measured no faster: the iterations are
  // independent, so out-of-order execution already overlaps their misses.)
  const size_t n = m.probe_n;
  for (size_t i = 0; i < n; ++i) {
    const int32_t g = codes[i];
    const int32_t row = static_cast<int32_t>(i);
    if (g < 0) {
      unmatched_probe[u++] = row;
      if (m.mode == JoinMode::kProbeOuter) {
        left[p] = row;
        right[p++] = -1;
      }
      continue;
    }
    matched[g] = 1;
    if (m.mode == JoinMode::kSemi) {
      left[p++] = row;
      continue;
    }
    const int32_t k0 = off[g], k1 = off[g + 1];
    for (int32_t k = k0; k < k1; ++k) {
      left[p] = row;
      right[p++] = rows[k];
    }
  }
}

void JoinIndex::matched_build(uint8_t* out) const {
  const Impl& m = *impl_;
  for (size_t r = 0; r < n_build_; ++r) out[r] = m.matched[static_cast<size_t>(m.build_codes[r])];
}

size_t JoinIndex::memory_bytes() const {
  const Impl& m = *impl_;
  return m.table->memory_bytes() + m.build_codes.bytes() + m.offsets.bytes() + m.rows.bytes() +
         m.probe_codes.bytes() + m.matched.bytes();
}

}  // namespace kindling::scalar
