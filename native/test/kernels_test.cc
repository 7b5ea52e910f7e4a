// C++ tests of the kernels: every tier this CPU runs against the scalar reference, plus hand
// values. Prints TAP. Built twice by scripts/native-test.mjs: optimised, and with
// -fsanitize=address,undefined (out-of-bounds reads in tails/bitmaps/gathers fail loudly).
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <random>
#include <string>
#include <vector>

#include "kindling/dispatch.h"
#include "kindling/kernels/distance.h"
#include "kindling/kernels/groupby.h"
#include "kindling/kernels/hash.h"
#include "kindling/kernels/moments.h"

using namespace kindling;

static int g_n = 0, g_fail = 0;
static void check(bool ok, const std::string& name) {
  ++g_n;
  if (!ok) ++g_fail;
  printf("%s %d - %s\n", ok ? "ok" : "not ok", g_n, name.c_str());
}
static bool close(double a, double b, double rel, double abs_tol = 0) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  if (a == b) return true;
  return fabs(a - b) <= fmax(abs_tol, rel * fmax(fabs(a), fabs(b)));
}

static const size_t kLengths[] = {0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1003};

// Heap copies sized exactly, so ASan catches any read past the end.
template <typename T>
static std::vector<T> exact(const std::vector<T>& v) { return std::vector<T>(v.begin(), v.end()); }

static void test_moments_hand(const KernelTable& t, const char* isa) {
  double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
  Moments m = t.moments_f64(x, nullptr, 0, 8);
  check(m.count == 8 && m.sum == 40 && m.mean == 5 && m.m2 == 32 && m.min == 2 && m.max == 9,
        std::string(isa) + " moments_f64 hand values");
  uint8_t bits[] = {0b00101101};  // rows 0,2,3,5 valid
  Moments v = t.moments_f64(x, bits, 0, 6);
  check(v.count == 4 && v.sum == 2 + 4 + 4 + 5 && v.min == 2 && v.max == 5, std::string(isa) + " moments validity");
  int32_t xi[] = {-2147483647 - 1, 2147483647, 5};
  Moments mi = t.moments_i32(xi, nullptr, 0, 3);
  check(mi.sum == 4 && mi.min == -2147483648.0, std::string(isa) + " moments_i32 extremes");
  double nx[] = {1, NAN, 3};
  Moments mn = t.moments_f64(nx, nullptr, 0, 3);
  check(mn.nan_count == 1 && isnan(mn.sum) && mn.min == 1 && mn.max == 3, std::string(isa) + " moments NaN");
  Moments a = t.moments_f64(x, nullptr, 0, 3), b = t.moments_f64(x + 3, nullptr, 0, 5);
  Moments ab = moments_merge(a, b);
  check(ab.count == 8 && close(ab.mean, 5, 1e-15) && close(ab.m2, 32, 1e-14), std::string(isa) + " moments merge");
  bool ss = t.stream_sum_f64(x, 8) == 40;
  for (size_t n : kLengths) {
    std::vector<double> v(n, 0.5);
    ss = ss && t.stream_sum_f64(exact(v).data(), n) == 0.5 * static_cast<double>(n);
  }
  check(ss, std::string(isa) + " stream_sum_f64 (the benchmark floor) sums every element");
  Moments z = moments_merge(moments_zero(), a);
  check(z.count == a.count && z.mean == a.mean && z.m2 == a.m2, std::string(isa) + " moments zero identity");
}

static void test_moments_parity(const KernelTable& t, const char* isa, std::mt19937_64& rng) {
  std::normal_distribution<double> nd(100, 7);
  bool ok = true;
  for (size_t n : kLengths) {
    for (size_t off : {0, 1, 3}) {
      for (int withv = 0; withv < 2; ++withv) {
        std::vector<double> xd(n + off);
        for (auto& v : xd) v = nd(rng);
        std::vector<float> xf(xd.begin(), xd.end());
        std::vector<int32_t> xi(n + off);
        for (size_t i = 0; i < xi.size(); ++i) xi[i] = static_cast<int32_t>(xd[i] * 1000);
        std::vector<uint8_t> bm((off + n + 7) / 8);
        for (size_t i = 0; i < n; ++i) if (rng() % 5) bm[(off + i) >> 3] |= 1 << ((off + i) & 7);
        auto bmx = exact(bm);
        const uint8_t* valid = withv ? bmx.data() : nullptr;
        auto xdx = exact(xd); auto xfx = exact(xf); auto xix = exact(xi);
        Moments r[3] = {scalar::moments_f64(xdx.data() + off, valid, off, n), scalar::moments_f32(xfx.data() + off, valid, off, n),
                        scalar::moments_i32(xix.data() + off, valid, off, n)};
        Moments g[3] = {t.moments_f64(xdx.data() + off, valid, off, n), t.moments_f32(xfx.data() + off, valid, off, n),
                        t.moments_i32(xix.data() + off, valid, off, n)};
        for (int k = 0; k < 3; ++k) {
          double sc = k == 2 ? 1e5 : 100;
          ok = ok && g[k].count == r[k].count && g[k].min == r[k].min && g[k].max == r[k].max &&
               close(g[k].sum, r[k].sum, 1e-12, 1e-12 * sc * g[k].count) && close(g[k].mean, r[k].mean, 1e-12) &&
               close(g[k].m2, r[k].m2, 1e-10, 1e-12 * sc * sc);
        }
      }
    }
  }
  check(ok, std::string(isa) + " moments f64/f32/i32 == scalar (lengths x offsets x validity)");
}

static void test_groupby(const KernelTable& t, const char* isa, std::mt19937_64& rng) {
  bool ok = true;
  for (size_t n : kLengths) {
    for (size_t off : {0, 1, 3}) {
      for (size_t groups : {1, 5, 100000}) {
        for (int withv = 0; withv < 2; ++withv) {
          std::vector<int32_t> keys(n);
          std::vector<double> vals(n);
          for (size_t i = 0; i < n; ++i) {
            keys[i] = static_cast<int32_t>(rng() % groups);
            vals[i] = (rng() % 50 == 0) ? NAN : static_cast<double>(rng() % 1000) / 7.0 - 50;
          }
          std::vector<uint8_t> bm((off + n + 7) / 8);
          for (size_t i = 0; i < n; ++i) if (rng() % 4) bm[(off + i) >> 3] |= 1 << ((off + i) & 7);
          auto bmx = exact(bm);
          const uint8_t* valid = withv ? bmx.data() : nullptr;
          std::vector<double> a(groups * kGroupSlot), b;
          for (size_t gi = 0; gi < groups; ++gi) { a[gi * 4 + 2] = NAN; a[gi * 4 + 3] = -INFINITY; }
          b = a;
          int64_t sa = scalar::group_agg_f64(keys.data(), vals.data(), valid, off, n, groups, a.data());
          int64_t sb = t.group_agg_f64(keys.data(), vals.data(), valid, off, n, groups, b.data());
          ok = ok && sa == kOk && sb == kOk && memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
        }
      }
    }
  }
  check(ok, std::string(isa) + " group_agg_f64 bit-identical to scalar");
  int32_t keys[] = {0, 1, 0, 2, 1, 9};
  double vals[] = {5, -1, 3, NAN, 8, 1};
  double acc[12];
  for (int gi = 0; gi < 3; ++gi) { acc[gi * 4] = 0; acc[gi * 4 + 1] = 0; acc[gi * 4 + 2] = NAN; acc[gi * 4 + 3] = -INFINITY; }
  int64_t st = t.group_agg_f64(keys, vals, nullptr, 0, 6, 3, acc);
  check(st == 5 && acc[0] == 2 && acc[1] == 8 && acc[2] == 3 && acc[3] == 5 && acc[4] == 2 && acc[5] == 7 &&
            acc[6] == -1 && acc[7] == 8 && acc[8] == 1 && isnan(acc[9]) && isnan(acc[10]) && isnan(acc[11]),
        std::string(isa) + " group_agg hand values and bad key row");
}

static void test_hash(const KernelTable& t, const char* isa, std::mt19937_64& rng) {
  const char* words[] = {"", "a", "ab", "abc", "abcd", "w0", "w1", "Hello, world!"};
  std::string bytes;
  std::vector<int32_t> off{0};
  for (const char* w : words) { bytes += w; off.push_back(static_cast<int32_t>(bytes.size())); }
  std::vector<uint8_t> b(bytes.begin(), bytes.end());
  std::vector<int32_t> out(8);
  t.murmur3_batch(b.data(), off.data(), 8, 42, out.data());
  check(out[5] == 1931698542 && out[6] == -168338625, std::string(isa) + " murmur3 sklearn values (w0, w1)");
  std::vector<int32_t> o1(8);
  t.murmur3_batch(b.data(), off.data(), 8, 1234, o1.data());
  check(static_cast<uint32_t>(o1[7]) == 0xfaf6cdb3u, std::string(isa) + " murmur3 SMHasher vector");
  bool ok = true;
  for (size_t n : kLengths) {
    std::vector<uint8_t> buf;
    std::vector<int32_t> offs{0};
    for (size_t i = 0; i < n; ++i) {
      size_t len = rng() % 23;
      for (size_t j = 0; j < len; ++j) buf.push_back(static_cast<uint8_t>(rng()));
      offs.push_back(static_cast<int32_t>(buf.size()));
    }
    auto bx = exact(buf);
    std::vector<int32_t> r(n), g(n);
    scalar::murmur3_batch(bx.data(), offs.data(), n, 42, r.data());
    t.murmur3_batch(bx.data(), offs.data(), n, 42, g.data());
    ok = ok && r == g;
  }
  check(ok, std::string(isa) + " murmur3 batch == scalar on random bytes (exact-size buffers)");
}

static void test_distance(const KernelTable& t, const char* isa, std::mt19937_64& rng) {
  std::normal_distribution<double> nd(0, 2);
  bool ok = true;
  for (size_t n : kLengths) {
    for (size_t d : {1, 4, 9, 16}) {
      for (size_t k : {1, 3, 8, 13}) {
        for (int mi = 0; mi < 2; ++mi) {
          Measure m = static_cast<Measure>(mi);
          std::vector<double> x(n * d), c(k * d);
          for (auto& v : x) v = nd(rng) + 0.1;
          for (auto& v : c) v = nd(rng) + 0.1;
          size_t kpad = pad_centres(k);
          std::vector<double> ct(kpad * d), cc(kpad);
          if (prepare_centres(c.data(), k, d, m, ct.data(), cc.data()) != kOk) { ok = false; continue; }
          auto xx = exact(x);
          std::vector<double> pr(n * k), pg(n * k);
          ok = ok && scalar::pairwise_f64(xx.data(), n, d, ct.data(), cc.data(), k, kpad, m, pr.data()) == kOk;
          ok = ok && t.pairwise_f64(xx.data(), n, d, ct.data(), cc.data(), k, kpad, m, pg.data()) == kOk;
          for (size_t i = 0; i < n * k; ++i) ok = ok && close(pr[i], pg[i], 1e-12, 1e-13);
          std::vector<double> sr(k * d), sg(k * d), wr(k), wg(k), w(n);
          for (auto& v : w) v = static_cast<double>(rng() % 100) / 25.0;
          std::vector<int32_t> lr(n), lg(n);
          double cr = 0, cg = 0;
          ok = ok && scalar::kmeans_assign_f64(xx.data(), w.data(), n, d, ct.data(), cc.data(), k, kpad, m, sr.data(), wr.data(), lr.data(), &cr) == kOk;
          ok = ok && t.kmeans_assign_f64(xx.data(), w.data(), n, d, ct.data(), cc.data(), k, kpad, m, sg.data(), wg.data(), lg.data(), &cg) == kOk;
          if (d == 1 && m == Measure::kCosine) continue;  // 1-D cosine: every centre ties at 0 or 2
          ok = ok && lr == lg && close(cr, cg, 1e-12, 1e-12);
          for (size_t i = 0; i < k * d; ++i) ok = ok && close(sr[i], sg[i], 1e-12, 1e-12);
        }
      }
    }
  }
  check(ok, std::string(isa) + " pairwise + kmeans_assign == scalar");
  double x[] = {1, 1, 4, 4, 6, 5, 0, 1, 9, 9};
  double c[] = {0, 0, 5, 5};
  double ct[16], cc[8], sums[4] = {0}, wts[2] = {0}, cost = 0;
  int32_t labels[5];
  prepare_centres(c, 2, 2, Measure::kSquaredEuclidean, ct, cc);
  int64_t st = t.kmeans_assign_f64(x, nullptr, 5, 2, ct, cc, 2, 8, Measure::kSquaredEuclidean, sums, wts, labels, &cost);
  check(st == kOk && labels[0] == 0 && labels[1] == 1 && labels[2] == 1 && labels[3] == 0 && labels[4] == 1 &&
            sums[0] == 1 && sums[1] == 2 && sums[2] == 19 && sums[3] == 18 && wts[0] == 2 && wts[1] == 3 && cost == 38,
        std::string(isa) + " kmeans_assign hand values");
  double bad[] = {1, 1, 0, 0, NAN, 1};
  double s2[4] = {0}, w2[2] = {0}, c2 = 0;
  check(t.kmeans_assign_f64(bad, nullptr, 3, 2, ct, cc, 2, 8, Measure::kSquaredEuclidean, s2, w2, nullptr, &c2) == 2,
        std::string(isa) + " kmeans_assign reports the NaN row");
  double ctc[16], ccc[8], s3[4] = {0}, w3[2] = {0}, c3 = 0;
  double cpos[] = {1, 0, 0, 1};
  prepare_centres(cpos, 2, 2, Measure::kCosine, ctc, ccc);
  check(t.kmeans_assign_f64(bad, nullptr, 3, 2, ctc, ccc, 2, 8, Measure::kCosine, s3, w3, nullptr, &c3) == 1,
        std::string(isa) + " kmeans_assign reports the zero-norm row (cosine)");
}

int main() {
  uint32_t usable = detected_isas() & compiled_isas();
  std::mt19937_64 rng(42);
  for (uint32_t bit : {kIsaScalar, kIsaAvx2, kIsaAvx512}) {
    if (!(usable & bit)) {
      printf("# %s not available on this CPU/binary: skipped\n", isa_name(bit));
      continue;
    }
    KernelTable t = table_for(bit);
    const char* isa = isa_name(bit);
    test_moments_hand(t, isa);
    test_moments_parity(t, isa, rng);
    test_groupby(t, isa, rng);
    test_hash(t, isa, rng);
    test_distance(t, isa, rng);
  }
  printf("1..%d\n", g_n);
  printf("# %d passed, %d failed\n", g_n - g_fail, g_fail);
  return g_fail == 0 ? 0 : 1;
}
