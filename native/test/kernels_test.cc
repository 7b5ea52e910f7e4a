// C++ tests of the kernels: every tier this CPU runs against the scalar reference, plus hand
// values. Prints TAP. Built twice by scripts/native-test.mjs: optimised, and with
// -fsanitize=address,undefined (out-of-bounds reads in tails/bitmaps/gathers fail loudly).
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kindling/dispatch.h"
#include "kindling/kernels/distance.h"
#include "kindling/kernels/gmm.h"
#include "kindling/kernels/groupby.h"
#include "kindling/kernels/hash.h"
#include "kindling/kernels/hashtable.h"
#include "kindling/kernels/moments.h"
#include "kindling/kernels/partition.h"
#include "kindling/kernels/sort.h"
#include "check.h"

using namespace kindling;

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

// ---- Gaussian mixture E-step ----

// A random mixture for d, k: weights, means and SPD covariances A A^T + 0.3 I as Cholesky factors.
struct GmmCase {
  // means_s = means - shift: what the kernel takes (the binding subtracts the shift)
  std::vector<double> weights, means, chol, log_det, inv_diag, log_c, shift, means_s;
};

static GmmCase gmm_case(std::mt19937_64& rng, size_t d, size_t k) {
  std::normal_distribution<double> nd(0, 1);
  std::uniform_real_distribution<double> ud(0.2, 1.2);
  GmmCase g;
  g.weights.resize(k);
  double sw = 0;
  for (auto& v : g.weights) sw += (v = ud(rng));
  for (auto& v : g.weights) v /= sw;
  g.means.resize(k * d);
  for (auto& v : g.means) v = 2 * nd(rng);
  g.shift.resize(d);
  for (auto& v : g.shift) v = nd(rng);
  g.means_s.resize(k * d);
  for (size_t e = 0; e < k * d; ++e) g.means_s[e] = g.means[e] - g.shift[e % d];
  g.chol.assign(k * d * d, 0);
  g.log_det.resize(k);
  for (size_t c = 0; c < k; ++c) {
    std::vector<double> a(d * d), cov(d * d);
    for (auto& v : a) v = 0.6 * nd(rng);
    for (size_t r = 0; r < d; ++r)
      for (size_t q = 0; q < d; ++q) {
        double s = r == q ? 0.3 : 0;
        for (size_t u = 0; u < d; ++u) s += a[r * d + u] * a[q * d + u];
        cov[r * d + q] = s;
      }
    double* L = g.chol.data() + c * d * d;
    double ld = 0;
    for (size_t j = 0; j < d; ++j) {
      double s = cov[j * d + j];
      for (size_t t = 0; t < j; ++t) s -= L[j * d + t] * L[j * d + t];
      L[j * d + j] = sqrt(s);
      ld += 2 * log(L[j * d + j]);
      for (size_t i = j + 1; i < d; ++i) {
        double v = cov[i * d + j];
        for (size_t t = 0; t < j; ++t) v -= L[i * d + t] * L[j * d + t];
        L[i * d + j] = v / L[j * d + j];
      }
    }
    g.log_det[c] = ld;
  }
  g.inv_diag.resize(k * d);
  g.log_c.resize(k);
  gmm_prepare(g.weights.data(), g.chol.data(), g.log_det.data(), k, d, g.inv_diag.data(), g.log_c.data());
  return g;
}

static void test_gmm(const KernelTable& t, const char* isa, std::mt19937_64& rng) {
  std::normal_distribution<double> nd(0, 2.5);
  std::uniform_real_distribution<double> ud(0, 3);
  bool ok = true;
  std::string where;
  for (size_t n : kLengths) {
    for (size_t d : {1, 2, 3, 8, 9}) {
      for (size_t k : {1, 2, 5, 8}) {
        for (int withw = 0; withw < 2; ++withw) {
          GmmCase g = gmm_case(rng, d, k);
          std::vector<double> x(n * d), w(n);
          for (auto& v : x) v = nd(rng);
          for (auto& v : w) v = ud(rng);
          auto xx = exact(x);
          auto ww = exact(w);
          const double* wp = withw ? ww.data() : nullptr;
          size_t tri = d * (d + 1) / 2;
          std::vector<double> rr(k), rg(k), sr(k * d), sg(k * d), qr(k * tri), qg(k * tri), pr(n * k), pg(n * k);
          double lr[2] = {0, 0}, lg[2] = {0, 0};
          int64_t a = scalar::gmm_estep_f64(xx.data(), wp, n, d, k, g.shift.data(), g.means_s.data(), g.chol.data(), g.inv_diag.data(), g.log_c.data(), nullptr,
                                            rr.data(), sr.data(), qr.data(), lr, pr.data());
          int64_t b = t.gmm_estep_f64(xx.data(), wp, n, d, k, g.shift.data(), g.means_s.data(), g.chol.data(), g.inv_diag.data(), g.log_c.data(), nullptr,
                                      rg.data(), sg.data(), qg.data(), lg, pg.data());
          bool here = a == kOk && b == kOk && close(lr[0], lg[0], 1e-10, 1e-10) && close(lr[1], lg[1], 1e-10, 1e-10);
          double scale = 1;
          for (double v : rr) scale = fmax(scale, v);
          for (size_t i = 0; i < k; ++i) here = here && close(rr[i], rg[i], 1e-10, 1e-12 * scale);
          for (size_t i = 0; i < k * d; ++i) here = here && close(sr[i], sg[i], 1e-10, 1e-10 * scale);
          for (size_t i = 0; i < k * tri; ++i) here = here && close(qr[i], qg[i], 1e-10, 1e-10 * scale);
          for (size_t i = 0; i < n * k; ++i) here = here && close(pr[i], pg[i], 1e-10, 1e-15);
          // posteriors only (no statistics) give the same posteriors
          std::vector<double> po(n * k);
          here = here && t.gmm_estep_f64(xx.data(), nullptr, n, d, k, g.shift.data(), g.means_s.data(), g.chol.data(), g.inv_diag.data(), g.log_c.data(), nullptr,
                                         nullptr, nullptr, nullptr, nullptr, po.data()) == kOk;
          for (size_t i = 0; i < n * k; ++i) here = here && po[i] == pg[i];
          if (!here && ok) where = " (first failure n=" + std::to_string(n) + " d=" + std::to_string(d) + " k=" + std::to_string(k) + ")";
          ok = ok && here;
        }
      }
    }
  }
  check(ok, std::string(isa) + " gmm_estep == scalar (statistics, log-likelihood, posteriors)" + where);

  // The shift changes where the sums are taken, not the densities: responsibilities and the
  // log-likelihood agree, and sum r x' = sum r x - (sum r) shift.
  {
    GmmCase g = gmm_case(rng, 3, 4);
    const size_t n = 37, d = 3, k = 4;
    std::vector<double> x(n * d);
    for (auto& v : x) v = nd(rng);
    std::vector<double> zero(d, 0.0);
    double r0[4] = {0}, r1[4] = {0}, s0[12] = {0}, s1[12] = {0}, q0[24] = {0}, q1[24] = {0}, l0[2] = {0, 0}, l1s[2] = {0, 0};
    bool ok2 = t.gmm_estep_f64(x.data(), nullptr, n, d, k, zero.data(), g.means.data(), g.chol.data(), g.inv_diag.data(), g.log_c.data(), nullptr, r0, s0, q0, l0, nullptr) == kOk &&
               t.gmm_estep_f64(x.data(), nullptr, n, d, k, g.shift.data(), g.means_s.data(), g.chol.data(), g.inv_diag.data(), g.log_c.data(), nullptr, r1, s1, q1, l1s, nullptr) == kOk &&
               close(l0[0], l1s[0], 1e-12);
    for (size_t c = 0; c < k; ++c) {
      ok2 = ok2 && close(r0[c], r1[c], 1e-12, 1e-14);
      for (size_t a = 0; a < d; ++a) ok2 = ok2 && close(s1[c * d + a], s0[c * d + a] - r0[c] * g.shift[a], 1e-11, 1e-12);
    }
    check(ok2, std::string(isa) + " gmm_estep: the shift moves the sums, not the densities");
  }
  // One standard normal component: log-likelihood = sum log(EPSILON + pdf(x)).
  double one_w = 1, one_mu = 0, one_l = 1, one_ld = 0, inv1, lc1, zero_shift = 0;
  gmm_prepare(&one_w, &one_l, &one_ld, 1, 1, &inv1, &lc1);
  double x1[] = {0, 1, -2, 3, 0.5, 0.25, -1, 2, 1.5};
  double r1 = 0, s1 = 0, q1 = 0, l1[2] = {0, 0}, want = 0, sx = 0, sxx = 0;
  for (double v : x1) {
    want += log(kGmmEpsilon + exp(-0.5 * v * v) / sqrt(2 * M_PI));
    sx += v;
    sxx += v * v;
  }
  check(t.gmm_estep_f64(x1, nullptr, 9, 1, 1, &zero_shift, &one_mu, &one_l, &inv1, &lc1, nullptr, &r1, &s1, &q1, l1, nullptr) == kOk &&
            close(l1[0], want, 1e-14) && l1[1] == 0 && close(r1, 9, 1e-15) && close(s1, sx, 1e-14) && close(q1, sxx, 1e-14),
        std::string(isa) + " gmm_estep hand values (one N(0,1) component)");
  // Far from both components: Spark's EPSILON gives 1/2 each and log(2 EPSILON) per row.
  GmmCase g2 = gmm_case(rng, 2, 2);
  std::vector<double> far(2 * 9, 1e3);
  double r2[2] = {0, 0}, s2[4] = {0}, q2[6] = {0}, l2[2] = {0, 0};
  check(t.gmm_estep_f64(far.data(), nullptr, 9, 2, 2, g2.shift.data(), g2.means_s.data(), g2.chol.data(), g2.inv_diag.data(), g2.log_c.data(), nullptr, r2, s2, q2, l2, nullptr) == kOk &&
            close(l2[0], 9 * log(2 * kGmmEpsilon), 1e-14) && l2[1] == 9 && close(r2[0], 4.5, 1e-14) && close(r2[1], 4.5, 1e-14),
        std::string(isa) + " gmm_estep far rows: EPSILON's uniform responsibilities");
  // Bad rows: the first non-finite feature or bad weight is reported, wherever it sits.
  bool bad_ok = true;
  for (size_t n : {1, 8, 9, 17, 33}) {
    for (size_t row : {size_t{0}, n / 2, n - 1}) {
      for (double badv : {static_cast<double>(NAN), static_cast<double>(INFINITY)}) {
        std::vector<double> x(n * 2, 0.5), w(n, 1);
        x[row * 2 + 1] = badv;
        auto xx = exact(x);
        double r[2] = {0, 0}, s[4] = {0}, q[6] = {0}, l[2] = {0, 0};
        bad_ok = bad_ok && t.gmm_estep_f64(xx.data(), nullptr, n, 2, 2, g2.shift.data(), g2.means_s.data(), g2.chol.data(), g2.inv_diag.data(), g2.log_c.data(), nullptr, r, s, q, l, nullptr) == static_cast<int64_t>(row);
        x[row * 2 + 1] = 0.5;
        w[row] = badv == badv ? -1.0 : badv;
        auto x2 = exact(x);
        auto w2 = exact(w);
        bad_ok = bad_ok && t.gmm_estep_f64(x2.data(), w2.data(), n, 2, 2, g2.shift.data(), g2.means_s.data(), g2.chol.data(), g2.inv_diag.data(), g2.log_c.data(), nullptr, r, s, q, l, nullptr) == static_cast<int64_t>(row);
      }
    }
  }
  check(bad_ok, std::string(isa) + " gmm_estep reports the first row with a non-finite feature or a bad weight");
  // A pseudo-inverse component (gmm.h): cov = [[1, 1], [1, 1]] keeps eigenvalue 2 along (1, 1)/sqrt 2,
  // so W = [[1/2, 1/2], [0, 0]], log pdet = log 2 and log pdf(x) = -(2 log 2pi + log 2)/2 - (x0 + x1)^2/8.
  {
    double pw = 1, pmu[2] = {0, 0}, pshift[2] = {0, 0}, pW[4] = {0.5, 0.5, 0, 0}, pld = log(2.0), pinv[2], plc;
    gmm_prepare(&pw, pW, &pld, 1, 2, pinv, &plc);
    const uint8_t flag = 1;
    std::vector<double> px(2 * 17);
    for (auto& v : px) v = nd(rng);
    double pr = 0, ps[2] = {0, 0}, pq[3] = {0, 0, 0}, pl[2] = {0, 0}, want = 0;
    std::vector<double> post(17);
    for (size_t i = 0; i < 17; ++i) {
      double s = px[2 * i] + px[2 * i + 1];
      want += log(kGmmEpsilon + exp(-0.5 * (2 * log(2 * M_PI) + log(2.0)) - s * s / 8));
    }
    check(t.gmm_estep_f64(px.data(), nullptr, 17, 2, 1, pshift, pmu, pW, pinv, &plc, &flag, &pr, ps, pq, pl, post.data()) == kOk &&
              close(pl[0], want, 1e-13) && close(pr, 17, 1e-14) && post[16] == 1,
          std::string(isa) + " gmm_estep pseudo-inverse component: Spark's degenerate density");
    // W = L^-1 of a Cholesky factor is the same Gaussian as the forward substitution with L.
    GmmCase g3 = gmm_case(rng, 3, 2);
    const size_t n3 = 33, d3 = 3, k3 = 2;
    std::vector<double> full(g3.chol);
    for (size_t c = 0; c < k3; ++c) {
      const double* Lc = g3.chol.data() + c * d3 * d3;
      double* Wc = full.data() + c * d3 * d3;
      for (size_t col = 0; col < d3; ++col) {
        for (size_t r = 0; r < d3; ++r) {
          double v = r == col ? 1.0 : 0.0;
          for (size_t u = 0; u < r; ++u) v -= Lc[r * d3 + u] * Wc[u * d3 + col];
          Wc[r * d3 + col] = r < col ? 0.0 : v / Lc[r * d3 + r];
        }
      }
    }
    std::vector<double> x3(n3 * d3);
    for (auto& v : x3) v = nd(rng);
    const uint8_t both[2] = {1, 1};
    double ra[2] = {0, 0}, rb[2] = {0, 0}, sa[6] = {0}, sb[6] = {0}, qa[12] = {0}, qb[12] = {0}, la[2] = {0, 0}, lb[2] = {0, 0};
    bool same = t.gmm_estep_f64(x3.data(), nullptr, n3, d3, k3, g3.shift.data(), g3.means_s.data(), g3.chol.data(), g3.inv_diag.data(), g3.log_c.data(), nullptr, ra, sa, qa, la, nullptr) == kOk &&
                t.gmm_estep_f64(x3.data(), nullptr, n3, d3, k3, g3.shift.data(), g3.means_s.data(), full.data(), g3.inv_diag.data(), g3.log_c.data(), both, rb, sb, qb, lb, nullptr) == kOk &&
                close(la[0], lb[0], 1e-12);
    for (size_t c = 0; c < k3; ++c) same = same && close(ra[c], rb[c], 1e-11, 1e-13);
    check(same, std::string(isa) + " gmm_estep: W = L^-1 as a pseudo-inverse component equals the Cholesky form");
  }
}

static void test_gmm_prepare() {
  double w[] = {0.5, 0.5}, ld[] = {0, 0}, inv[4], lc[2];
  double L[] = {1, 0, 0.5, 2, 1, 0, 0, 1};
  gmm_prepare(w, L, ld, 2, 2, inv, lc);
  check(inv[1] == 0.5 && inv[3] == 1 && close(lc[0], log(0.5) - log(2 * M_PI), 1e-15),
        "gmm_prepare: reciprocal diagonal and log(w) - (d log 2pi + log det) / 2");
  double wz[] = {1, 0};
  gmm_prepare(wz, L, ld, 2, 2, inv, lc);
  check(lc[1] == -INFINITY, "gmm_prepare: weight 0 gives log constant -inf");
}

// ---- relational kernels: group ids, joins (scalar only), argsort (scalar only), Spark hash
// partitioning (every tier) ----

static bool bit_of(const std::vector<uint8_t>& bm, size_t bit) { return (bm[bit >> 3] >> (bit & 7)) & 1; }

static std::vector<uint8_t> random_bitmap(std::mt19937_64& rng, size_t off, size_t n, int null_in) {
  std::vector<uint8_t> bm((off + n + 7) / 8);
  for (size_t i = 0; i < n; ++i) if (rng() % null_in) bm[(off + i) >> 3] |= 1 << ((off + i) & 7);
  return bm;
}

// Reference group ids: a std::map from an encoded key to its code, nulls one group.
template <typename KeyOf>
static void ref_group(size_t n, const uint8_t* valid, size_t off, KeyOf key_of, std::map<std::string, int32_t>& seen,
                      int32_t& null_code, int32_t& next, std::vector<int32_t>& codes, std::vector<int32_t>& first) {
  codes.assign(n, -1);
  first.clear();
  for (size_t i = 0; i < n; ++i) {
    if (valid != nullptr && !((valid[(off + i) >> 3] >> ((off + i) & 7)) & 1)) {
      if (null_code < 0) { null_code = next++; first.push_back(static_cast<int32_t>(i)); }
      codes[i] = null_code;
      continue;
    }
    auto it = seen.find(key_of(i));
    if (it == seen.end()) { it = seen.emplace(key_of(i), next++).first; first.push_back(static_cast<int32_t>(i)); }
    codes[i] = it->second;
  }
}

static std::string f64_key_bytes(double x) {
  if (x == 0) x = 0;
  if (x != x) return "NaN";
  return std::string(reinterpret_cast<const char*>(&x), 8);
}

static void test_hashtable(std::mt19937_64& rng) {
  bool ok = true;
  for (size_t n : kLengths) {
    for (size_t off : {0, 1, 3}) {
      for (size_t d : {size_t{1}, size_t{5}, n + 1}) {
        for (int withv = 0; withv < 2; ++withv) {
          auto bm = exact(random_bitmap(rng, off, n, 6));
          const uint8_t* valid = withv ? bm.data() : nullptr;
          std::vector<int32_t> i32(n);
          std::vector<int64_t> i64(n);
          std::vector<double> f64(n);
          std::string bytes;
          std::vector<int32_t> offs{0};
          for (size_t i = 0; i < n; ++i) {
            uint64_t k = rng() % d;
            i32[i] = static_cast<int32_t>(k * 2654435761u);
            i64[i] = static_cast<int64_t>(k * 0x9e3779b97f4a7c15ULL);
            f64[i] = k == 0 ? (rng() % 2 ? -0.0 : 0.0) : k == 1 ? (rng() % 2 ? NAN : -NAN) : static_cast<double>(k) / 3;
            bytes += std::string(k % 4, 'x') + std::to_string(k);
            offs.push_back(static_cast<int32_t>(bytes.size()));
          }
          auto i32x = exact(i32); auto i64x = exact(i64); auto f64x = exact(f64);
          std::vector<uint8_t> b(bytes.begin(), bytes.end());
          auto bx = exact(b);
          struct Case { KeyKind kind; KeyBatch kb; std::function<std::string(size_t)> key; };
          std::vector<Case> cases = {
              {KeyKind::kI32, {i32x.data(), nullptr, valid, off, n}, [&](size_t i) { return std::to_string(i32x[i]); }},
              {KeyKind::kI64, {i64x.data(), nullptr, valid, off, n}, [&](size_t i) { return std::to_string(i64x[i]); }},
              {KeyKind::kF64, {f64x.data(), nullptr, valid, off, n}, [&](size_t i) { return f64_key_bytes(f64x[i]); }},
              {KeyKind::kString, {bx.data(), offs.data(), valid, off, n},
               [&](size_t i) { return std::string(bx.begin() + offs[i], bx.begin() + offs[i + 1]); }},
          };
          for (auto& c : cases) {
            // Twice into one table: the second batch creates no groups and repeats the codes.
            std::unique_ptr<scalar::KeyTable> t(scalar::KeyTable::create(c.kind, 1));
            std::map<std::string, int32_t> seen;
            int32_t null_code = -1, next = 0;
            std::vector<int32_t> rc, rf;
            ref_group(n, valid, off, c.key, seen, null_code, next, rc, rf);
            for (int batch = 0; batch < 2; ++batch) {
              std::vector<int32_t> codes(n), first(n);
              size_t k = t->add(c.kb, codes.data(), first.data());
              first.resize(k);
              ok = ok && codes == rc && first == (batch == 0 ? rf : std::vector<int32_t>{}) && t->size() == static_cast<size_t>(next);
            }
            std::vector<int32_t> look(n);
            t->lookup(c.kb, look.data());
            for (size_t i = 0; i < n; ++i) ok = ok && look[i] == (rc[i] == null_code ? -1 : rc[i]);
          }
        }
      }
    }
  }
  check(ok, "scalar KeyTable (i32, i64, f64, string) == std::map reference, twice into one table, lookup");

  // Composite rows, and growth through the prefetching / huge-page sizes (200k distinct keys).
  bool rows_ok = true;
  for (size_t w : {1, 2, 5}) {
    const size_t n = 50000;
    std::vector<uint32_t> r32(n * w);
    std::vector<uint64_t> r64(n * w);
    for (size_t i = 0; i < n; ++i) {
      uint64_t k = rng() % 3000;
      for (size_t j = 0; j < w; ++j) { r32[i * w + j] = static_cast<uint32_t>(k * (j + 7)); r64[i * w + j] = k << (j * 8); }
    }
    for (int big = 0; big < 2; ++big) {
      std::unique_ptr<scalar::KeyTable> t(scalar::KeyTable::create(big ? KeyKind::kRows64 : KeyKind::kRows32, w));
      KeyBatch kb{big ? static_cast<const void*>(r64.data()) : static_cast<const void*>(r32.data()), nullptr, nullptr, 0, n};
      std::vector<int32_t> codes(n), first(n), rc, rf;
      first.resize(t->add(kb, codes.data(), first.data()));
      std::map<std::string, int32_t> seen;
      int32_t nc = -1, next = 0;
      size_t bytes = w * (big ? 8 : 4);
      const uint8_t* base = big ? reinterpret_cast<const uint8_t*>(r64.data()) : reinterpret_cast<const uint8_t*>(r32.data());
      ref_group(n, nullptr, 0, [&](size_t i) { return std::string(base + i * bytes, base + (i + 1) * bytes); }, seen, nc, next, rc, rf);
      rows_ok = rows_ok && codes == rc && first == rf;
    }
  }
  {
    const size_t n = 400000;
    std::vector<int32_t> keys(n), codes(n), first(n);
    for (size_t i = 0; i < n; ++i) keys[i] = static_cast<int32_t>(rng() % 200000) - 100000;
    std::unique_ptr<scalar::KeyTable> t(scalar::KeyTable::create(KeyKind::kI32, 1));
    size_t k = t->add(KeyBatch{keys.data(), nullptr, nullptr, 0, n}, codes.data(), first.data());
    std::map<int32_t, int32_t> ref;
    bool grow_ok = true;
    for (size_t i = 0; i < n; ++i) {
      auto it = ref.emplace(keys[i], static_cast<int32_t>(ref.size())).first;
      grow_ok = grow_ok && codes[i] == it->second;
    }
    rows_ok = rows_ok && grow_ok && k == ref.size() && t->size() == ref.size() && t->memory_bytes() >= ref.size() * 8;
  }
  check(rows_ok, "scalar KeyTable rows32/rows64 (widths 1, 2, 5) and growth to ~200k keys");

  // JoinIndex against nested loops: pairs in probe order then build order, null keys never match.
  bool join_ok = true;
  for (size_t nb : {size_t{0}, size_t{1}, size_t{17}, size_t{300}}) {
    for (size_t np : {size_t{0}, size_t{1}, size_t{65}, size_t{1003}}) {
      for (int mode = 0; mode < 3; ++mode) {
        std::vector<int64_t> bk(nb), pk(np);
        for (auto& x : bk) x = static_cast<int64_t>(rng() % 40) - 20;
        for (auto& x : pk) x = static_cast<int64_t>(rng() % 60) - 30;
        auto bbm = exact(random_bitmap(rng, 0, nb, 5));
        auto pbm = exact(random_bitmap(rng, 3, np, 5));
        scalar::JoinIndex j(KeyKind::kI64, 1);
        j.build(KeyBatch{bk.data(), nullptr, bbm.data(), 0, nb});
        JoinMode jm = static_cast<JoinMode>(mode);
        JoinCounts c = j.probe(KeyBatch{pk.data(), nullptr, pbm.data(), 3, np}, jm);
        std::vector<int32_t> left(c.pairs), right(c.pairs), un(c.unmatched_probe);
        j.emit(left.data(), right.data(), un.data());
        std::vector<int32_t> rl, rr, ru;
        std::vector<uint8_t> rm(nb, 0), gm(nb);
        for (size_t i = 0; i < np; ++i) {
          bool hit = false;
          for (size_t r = 0; r < nb; ++r) {
            if (!bit_of(pbm, 3 + i) || !bit_of(bbm, r) || pk[i] != bk[r]) continue;
            rm[r] = 1;
            if (jm == JoinMode::kSemi) { if (!hit) rl.push_back(static_cast<int32_t>(i)); }
            else { rl.push_back(static_cast<int32_t>(i)); rr.push_back(static_cast<int32_t>(r)); }
            hit = true;
          }
          if (!hit) {
            ru.push_back(static_cast<int32_t>(i));
            if (jm == JoinMode::kProbeOuter) { rl.push_back(static_cast<int32_t>(i)); rr.push_back(-1); }
          }
        }
        j.matched_build(gm.data());
        if (jm == JoinMode::kSemi) right.clear();
        join_ok = join_ok && left == rl && right == rr && un == ru && gm == rm && j.build_rows() == nb;
      }
    }
  }
  check(join_ok, "scalar JoinIndex (inner, probeOuter, semi) == nested loops, nulls never match");

  int32_t ids[] = {2, 0, 2, 1, 0, 2};
  int32_t offsets[4], rows[6];
  check(scalar::scatter_rows(ids, 6, 3, offsets, rows) == kOk && offsets[0] == 0 && offsets[1] == 2 && offsets[2] == 3 &&
            offsets[3] == 6 && rows[0] == 1 && rows[1] == 4 && rows[2] == 3 && rows[3] == 0 && rows[4] == 2 && rows[5] == 5,
        "scalar scatter_rows: stable CSR by id");
  int32_t bad[] = {0, 1, 3};
  check(scalar::scatter_rows(bad, 3, 3, offsets, rows) == 2, "scalar scatter_rows reports the first id out of range");
}

// Spark's double ordering: NaN above everything, -0.0 == 0.0.
static int cmp_f64(double a, double b) {
  if (a != a) return b != b ? 0 : 1;
  if (b != b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

template <typename T, typename Kernel, typename Cmp>
static bool check_argsort(Kernel kernel, const std::vector<T>& x, const std::vector<uint8_t>* bm, size_t off,
                          const std::vector<int32_t>* perm, Cmp cmp) {
  const size_t n = x.size();
  const uint8_t* valid = bm ? bm->data() : nullptr;
  bool ok = true;
  for (int desc = 0; desc < 2; ++desc) {
    for (int nf = 0; nf < 2; ++nf) {
      std::vector<int32_t> rows;
      if (perm) rows = *perm;
      else for (size_t i = 0; i < n; ++i) rows.push_back(static_cast<int32_t>(i));
      std::vector<int32_t> nulls, vals;
      for (int32_t r : rows) (valid && !bit_of(*bm, off + r) ? nulls : vals).push_back(r);
      std::stable_sort(vals.begin(), vals.end(), [&](int32_t a, int32_t b) { return desc ? cmp(x[b], x[a]) < 0 : cmp(x[a], x[b]) < 0; });
      std::vector<int32_t> ref = nf ? nulls : vals;
      ref.insert(ref.end(), (nf ? vals : nulls).begin(), (nf ? vals : nulls).end());
      std::vector<int32_t> out(rows.size());
      auto xx = exact(x);
      kernel(xx.data(), valid, off, n, desc != 0, nf != 0, perm ? perm->data() : nullptr, rows.size(), out.data());
      ok = ok && out == ref;
    }
  }
  return ok;
}

static void test_sort(std::mt19937_64& rng) {
  bool ok = true;
  const double specials[] = {0.0, -0.0, NAN, -NAN, INFINITY, -INFINITY, 1e-310, -1.5, 2.0, 1e300};
  for (size_t n : {size_t{0}, size_t{1}, size_t{3}, size_t{64}, size_t{65}, size_t{1003}, size_t{20000}}) {
    for (size_t d : {size_t{1}, size_t{7}, n + 1}) {
      for (size_t off : {0, 3}) {
        std::vector<int32_t> i32(n);
        std::vector<int64_t> i64(n);
        std::vector<double> f64(n);
        for (size_t i = 0; i < n; ++i) {
          uint64_t k = rng() % d;
          i32[i] = d > n ? static_cast<int32_t>(rng()) : static_cast<int32_t>(k) - 3;
          i64[i] = d > n ? static_cast<int64_t>(rng()) : static_cast<int64_t>(k) - 3;
          f64[i] = rng() % 3 == 0 ? specials[rng() % 10] : static_cast<double>(static_cast<int64_t>(k) - 3) / 4;
        }
        auto bm = random_bitmap(rng, off, n, 5);
        std::vector<int32_t> perm(n / 2);
        for (auto& p : perm) p = n ? static_cast<int32_t>(rng() % n) : 0;
        for (int withv = 0; withv < 2; ++withv) {
          for (int withp = 0; withp < 2; ++withp) {
            const std::vector<uint8_t>* b = withv ? &bm : nullptr;
            const std::vector<int32_t>* p = withp ? &perm : nullptr;
            auto icmp = [](auto a, auto b) { return a < b ? -1 : a > b ? 1 : 0; };
            ok = ok && check_argsort(scalar::argsort_i32, i32, b, off, p, icmp);
            ok = ok && check_argsort(scalar::argsort_i64, i64, b, off, p, icmp);
            ok = ok && check_argsort(scalar::argsort_f64, f64, b, off, p, cmp_f64);
          }
        }
      }
    }
  }
  check(ok, "scalar argsort i32/i64/f64 == std::stable_sort (Spark order, nulls first/last, desc, perm)");
}

static void test_partition(const KernelTable& t, const char* isa, std::mt19937_64& rng) {
  bool ok = true;
  for (size_t n : kLengths) {
    for (size_t off : {0, 1, 3, 9}) {
      for (int withv = 0; withv < 2; ++withv) {
        std::vector<int32_t> i32(n), seeds(n);
        std::vector<int64_t> i64(n);
        std::vector<double> f64(n);
        std::vector<float> f32(n);
        const double specials[] = {0.0, -0.0, NAN, -NAN, INFINITY, -INFINITY};
        for (size_t i = 0; i < n; ++i) {
          i32[i] = static_cast<int32_t>(rng());
          i64[i] = static_cast<int64_t>(rng());
          f64[i] = rng() % 4 == 0 ? specials[rng() % 6] : static_cast<double>(static_cast<int64_t>(rng())) / 7;
          f32[i] = static_cast<float>(f64[i]);
          seeds[i] = static_cast<int32_t>(rng());
        }
        // Exact-size buffers: a SIMD tier that read a validity byte or value past the end fails under ASan.
        auto bm = exact(random_bitmap(rng, off, n, 4));
        const uint8_t* valid = withv ? bm.data() : nullptr;
        auto i32x = exact(i32); auto i64x = exact(i64); auto f64x = exact(f64); auto f32x = exact(f32);
        std::vector<int32_t> a = seeds, b = seeds;
        scalar::murmur3_col_i32(i32x.data(), valid, off, n, a.data());
        t.murmur3_col_i32(i32x.data(), valid, off, n, b.data());
        ok = ok && a == b;
        a = seeds; b = seeds;
        scalar::murmur3_col_i64(i64x.data(), valid, off, n, a.data());
        t.murmur3_col_i64(i64x.data(), valid, off, n, b.data());
        ok = ok && a == b;
        a = seeds; b = seeds;
        scalar::murmur3_col_f64(f64x.data(), valid, off, n, a.data());
        t.murmur3_col_f64(f64x.data(), valid, off, n, b.data());
        ok = ok && a == b;
        a = seeds; b = seeds;
        scalar::murmur3_col_f32(f32x.data(), valid, off, n, a.data());
        t.murmur3_col_f32(f32x.data(), valid, off, n, b.data());
        ok = ok && a == b;
        if (withv) for (size_t i = 0; i < n; ++i) ok = ok && (bit_of(bm, off + i) || a[i] == seeds[i]);
      }
    }
  }
  check(ok, std::string(isa) + " murmur3_col_{i32,i64,f64,f32} bit-identical to scalar, nulls keep their seed");

  // Spark-generated values (apache/spark via rapidsai/cudf's spark_murmurhash3_x86_32 tests):
  // hash(col) with seed 42; -0.0 hashes as 0.0 (Spark >= 3.2 normalises it).
  int32_t ints[] = {0, 100, -100, INT32_MIN, INT32_MAX};
  int64_t longs[] = {0, 100, -100, INT64_MIN, INT64_MAX};
  double dbls[] = {0.0, -0.0, -NAN, -1.7976931348623157e308, 1.7976931348623157e308};
  float flts[] = {0.0f, -0.0f, -NAN, -3.4028235e38f, 3.4028235e38f};
  int32_t hi[5], hl[5], hd[5], hf[5];
  for (int i = 0; i < 5; ++i) hi[i] = hl[i] = hd[i] = hf[i] = 42;
  t.murmur3_col_i32(ints, nullptr, 0, 5, hi);
  t.murmur3_col_i64(longs, nullptr, 0, 5, hl);
  t.murmur3_col_f64(dbls, nullptr, 0, 5, hd);
  t.murmur3_col_f32(flts, nullptr, 0, 5, hf);
  check(hi[0] == 933211791 && hi[1] == 751823303 && hi[2] == -1080202046 && hi[3] == 723455942 && hi[4] == 133916647 &&
            hl[0] == -1670924195 && hl[1] == 1114849490 && hl[2] == 904948192 && hl[3] == -853646085 && hl[4] == -1604625029 &&
            hd[0] == -1670924195 && hd[1] == -1670924195 && hd[2] == -1281358385 && hd[3] == 1897734433 && hd[4] == -508695674 &&
            hf[0] == 933211791 && hf[1] == 933211791 && hf[2] == -349261430 && hf[3] == -1225560532 && hf[4] == -338752985,
        std::string(isa) + " murmur3 columns: Spark's hash() of ints, longs, doubles, floats");
}

static void test_partition_scalar(std::mt19937_64& rng) {
  // Spark's hash('ABC') and hash('ABC', 'DEF') (PySpark docs), hash('Spark', array(123), 2) (SQL docs).
  const char* strs = "ABCDEFSpark";
  int32_t o1[] = {0, 3}, o2[] = {3, 6}, o3[] = {6, 11};
  const uint8_t* b = reinterpret_cast<const uint8_t*>(strs);
  int32_t h1 = 42, h2 = 42, h3 = 42;
  scalar::murmur3_col_strings(b, o1, nullptr, 0, 1, &h1);
  h2 = h1;
  scalar::murmur3_col_strings(b, o2, nullptr, 0, 1, &h2);
  scalar::murmur3_col_strings(b, o3, nullptr, 0, 1, &h3);
  int32_t v123 = 123, v2 = 2;
  scalar::murmur3_col_i32(&v123, nullptr, 0, 1, &h3);
  scalar::murmur3_col_i32(&v2, nullptr, 0, 1, &h3);
  check(h1 == -757602832 && h2 == 599895104 && h3 == -1321691492, "scalar murmur3_col_strings: Spark's documented hash() values");
  uint8_t nulls[] = {0b10};
  int32_t hs[2] = {7, 7};
  int32_t o4[] = {0, 3, 6};
  scalar::murmur3_col_strings(b, o4, nulls, 0, 2, hs);
  check(hs[0] == 7 && hs[1] != 7, "scalar murmur3_col_strings: a null row keeps its running hash");
  bool ok = true;
  for (uint32_t parts : {1u, 2u, 7u, 200u, 65536u, 2147483647u}) {
    std::vector<int32_t> h(1000), out(1000);
    for (auto& x : h) x = static_cast<int32_t>(rng());
    h[0] = INT32_MIN; h[1] = INT32_MAX; h[2] = -1; h[3] = 0;
    scalar::pmod_i32(h.data(), h.size(), parts, out.data());
    for (size_t i = 0; i < h.size(); ++i) {
      int64_t r = static_cast<int64_t>(h[i]) % parts;
      if (r < 0) r += parts;
      ok = ok && out[i] == r;
    }
  }
  check(ok, "scalar pmod_i32 == Java's (h % n + n) % n");
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
    test_gmm(t, isa, rng);
    test_partition(t, isa, rng);
    test_validate(t, isa, rng);
    test_word2vec(t, isa, rng);  // issue 14, area word2vec
    test_gram(t, isa, rng);  // selection (issue 14)
    test_colstats(t, isa, rng);  // scaling (issue 14)
    test_glm(t, isa, rng);  // linear models (issue 15, optim)
  }
  test_hashtable(rng);
  test_sort(rng);
  test_partition_scalar(rng);
  test_gmm_prepare();
  test_text(rng);  // issue 14, area text
  printf("1..%d\n", g_n);
  printf("# %d passed, %d failed\n", g_n - g_fail, g_fail);
  return g_fail == 0 ? 0 : 1;
}
