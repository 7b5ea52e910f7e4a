// Text kernels (text.h, scalar only): HashingTF against Spark's documented indices
// (../shared/fixtures/spark-test-vectors/hashing.json) and against a direct evaluation of its
// definition (hash each token, nonNegativeMod, count in a std::map) on random token lists, with
// null tokens, long rows (the std::sort path) and a sliced start; IDF document frequencies by hand.
#include <map>
#include <string>
#include <vector>

#include "check.h"
#include "kindling/kernels/hash.h"
#include "kindling/kernels/text.h"

using namespace kindling;

namespace {

struct Lists {
  std::vector<uint8_t> bytes;
  std::vector<int32_t> str_offsets{0};
  std::vector<uint8_t> valid;
  std::vector<int32_t> list_offsets{0};
};

Lists pack(const std::vector<std::vector<std::string>>& rows, const std::vector<size_t>& null_tokens = {}) {
  Lists l;
  for (const auto& r : rows) {
    for (const auto& s : r) {
      l.bytes.insert(l.bytes.end(), s.begin(), s.end());
      l.str_offsets.push_back(static_cast<int32_t>(l.bytes.size()));
    }
    l.list_offsets.push_back(static_cast<int32_t>(l.str_offsets.size() - 1));
  }
  l.valid.assign((l.str_offsets.size() + 7) / 8, 0xff);
  for (size_t j : null_tokens) l.valid[j >> 3] &= static_cast<uint8_t>(~(1u << (j & 7)));
  return l;
}

struct Rows {
  std::vector<int32_t> offsets, indices;
  std::vector<double> values;
};

Rows run(const Lists& l, int32_t nf, bool binary, bool legacy, bool with_valid) {
  const size_t n = l.list_offsets.size() - 1;
  const size_t tokens = static_cast<size_t>(l.list_offsets[n] - l.list_offsets[0]);
  Rows r{std::vector<int32_t>(n + 1), std::vector<int32_t>(tokens), std::vector<double>(tokens)};
  size_t nnz = scalar::hashing_tf(l.bytes.data(), l.str_offsets.data(), with_valid ? l.valid.data() : nullptr, 0,
                                  l.list_offsets.data(), n, nf, binary, legacy, r.offsets.data(), r.indices.data(),
                                  r.values.data());
  r.indices.resize(nnz);
  r.values.resize(nnz);
  return r;
}

// The definition, one token at a time.
Rows reference(const Lists& l, int32_t nf, bool binary, bool legacy) {
  Rows r{{0}, {}, {}};
  for (size_t i = 0; i + 1 < l.list_offsets.size(); ++i) {
    std::map<int32_t, double> counts;
    for (int32_t j = l.list_offsets[i]; j < l.list_offsets[i + 1]; ++j) {
      bool ok = (l.valid[j >> 3] >> (j & 7)) & 1;
      int32_t h = 42;
      if (ok) {
        const int32_t offs[2] = {l.str_offsets[j], l.str_offsets[j + 1]};
        if (legacy) scalar::murmur3_legacy_batch(l.bytes.data(), offs, 1, 42, &h);
        else scalar::murmur3_batch(l.bytes.data(), offs, 1, 42, &h);
      }
      int32_t m = static_cast<int32_t>(((static_cast<int64_t>(h) % nf) + nf) % nf);
      counts[m] += 1;
    }
    for (auto [k, v] : counts) {
      r.indices.push_back(k);
      r.values.push_back(binary ? 1.0 : v);
    }
    r.offsets.push_back(static_cast<int32_t>(r.indices.size()));
  }
  return r;
}

bool same(const Rows& a, const Rows& b) { return a.offsets == b.offsets && a.indices == b.indices && a.values == b.values; }

}  // namespace

void test_text(std::mt19937_64& rng) {
  // PySpark's HashingTF doctest: ["a", "b", "c"] at numFeatures 10 -> indices [5, 7, 8]; at 5 -> [0, 2, 3]
  Lists abc = pack({{"a", "b", "c"}, {"a", "a", "b"}, {}});
  Rows r10 = run(abc, 10, false, false, false);
  check(r10.offsets == std::vector<int32_t>({0, 3, 5, 5}) && r10.indices == std::vector<int32_t>({5, 7, 8, 5, 7}) &&
            r10.values == std::vector<double>({1, 1, 1, 1, 2}),
        "hashing_tf: Spark's doctest indices and counts at numFeatures 10");
  Rows r5 = run(abc, 5, true, false, false);
  check(r5.indices == std::vector<int32_t>({0, 2, 3, 0, 2}) && r5.values == std::vector<double>({1, 1, 1, 1, 1}),
        "hashing_tf: numFeatures 5, binary");
  // hashing.json: legacy (Spark 2) index of "a" at 10 is 0, "b" is 1; a null token hashes to the seed (42 % 10 = 2)
  Lists ab = pack({{"a", "b", "x"}}, {2});
  Rows leg = run(ab, 10, false, true, true);
  check(leg.indices == std::vector<int32_t>({0, 1, 2}), "hashing_tf: Spark 2 legacy hash and a null token");
  bool ok = true;
  std::uniform_int_distribution<int> len(0, 9), word(0, 60), rowlen(0, 40);
  for (size_t n : kLengths) {
    std::vector<std::vector<std::string>> rows(n);
    std::vector<size_t> nulls;
    size_t tok = 0;
    for (auto& row : rows) {
      int m = rowlen(rng);
      for (int k = 0; k < m; ++k, ++tok) {
        row.push_back(std::string(static_cast<size_t>(len(rng)), static_cast<char>('a' + word(rng) % 26)) + std::to_string(word(rng)));
        if (word(rng) == 0) nulls.push_back(tok);
      }
    }
    Lists l = pack(rows, nulls);
    for (int32_t nf : {1, 7, 1 << 18, 2147483647}) {
      for (int flags = 0; flags < 4; ++flags) {
        ok = ok && same(run(l, nf, flags & 1, flags & 2, true), reference(l, nf, flags & 1, flags & 2));
      }
    }
  }
  check(ok, "hashing_tf equals the definition on random lists (null tokens, long rows, every numFeatures class)");
  // a sliced column: the first list starts at string 1
  Lists sl = pack({{"skip"}, {"a", "b", "c"}});
  std::vector<int32_t> lo = {1, 4};
  std::vector<int32_t> off(2), idx(3);
  std::vector<double> val(3);
  size_t nnz = scalar::hashing_tf(sl.bytes.data(), sl.str_offsets.data(), nullptr, 0, lo.data(), 1, 10, false, false,
                                  off.data(), idx.data(), val.data());
  check(nnz == 3 && idx == std::vector<int32_t>({5, 7, 8}) && off == std::vector<int32_t>({0, 3}), "hashing_tf: list offsets not starting at 0");
  // document frequencies
  std::vector<double> df(4, 0.0);
  const int32_t ro[] = {0, 2, 3, 4};
  const int32_t ix[] = {1, 3, 1, 0};
  const double vx[] = {1, 2, 0, 7};
  check(scalar::doc_freq_sparse(ro, ix, vx, 3, 4, df.data()) == -1 && df == std::vector<double>({1, 1, 0, 1}), "doc_freq_sparse: explicit zeros do not count");
  std::vector<double> dfn(3, 0.0);
  const double neg[] = {-1, 0, NAN, 2, 0.5, -0.0};
  scalar::doc_freq_dense(neg, 2, 3, dfn.data());
  check(dfn == std::vector<double>({1, 1, 0}), "doc_freq_dense: only entries > 0 count (negative, zero, NaN do not)");
  const int32_t bad_ix[] = {1, 4, 1, 0};
  check(scalar::doc_freq_sparse(ro, bad_ix, vx, 3, 4, df.data()) == 0 && df == std::vector<double>({1, 1, 0, 1}), "doc_freq_sparse: an index out of range names its row, df unchanged");
  // pyspark.mllib IDF doctest rows: sparse (1,3), dense [0,1,2,3], sparse (1) -> docFreq [0, 3, 1, 2]
  std::vector<double> df2(4, 0.0);
  const double dense[] = {0, 1, 2, 3};
  const int32_t r2[] = {0, 2, 3};
  const int32_t i2[] = {1, 3, 1};
  const double v2[] = {1, 2, 1};
  scalar::doc_freq_dense(dense, 1, 4, df2.data());
  scalar::doc_freq_sparse(r2, i2, v2, 2, 4, df2.data());
  check(df2 == std::vector<double>({0, 3, 1, 2}), "doc_freq: the PySpark IDF doctest's docFreq");
}
