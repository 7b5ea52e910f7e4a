// CPU detection and the kernel table: built once (thread-safe static), read-only afterwards.
#include "kindling/dispatch.h"

#include <stdlib.h>
#include <string.h>

#include "kindling/kernels/distance.h"
#include "kindling/kernels/gmm.h"
#include "kindling/kernels/word2vec.h"  // issue 14, area word2vec
#include "kindling/kernels/groupby.h"
#include "kindling/kernels/hash.h"
#include "kindling/kernels/moments.h"
#include "kindling/kernels/gram.h"
#include "kindling/kernels/colstats.h"  // scaling (issue 14)
#include "kindling/kernels/glm.h"  // linear models (issue 15, optim)
#include "kindling/kernels/validate.h"
#include "kindling/kernels/partition.h"

#ifndef KINDLING_HAVE_AVX2
#define KINDLING_HAVE_AVX2 0
#endif
#ifndef KINDLING_HAVE_AVX512
#define KINDLING_HAVE_AVX512 0
#endif

namespace kindling {

uint32_t detected_isas() {
  uint32_t isa = kIsaScalar;
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  // libgcc checks XCR0 (OS support for the wider register state) before reporting these.
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
      __builtin_cpu_supports("bmi2")) {
    isa |= kIsaAvx2;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")) {
      isa |= kIsaAvx512;
    }
  }
#endif
  return isa;
}

uint32_t compiled_isas() {
  uint32_t isa = kIsaScalar;
  if (KINDLING_HAVE_AVX2) isa |= kIsaAvx2;
  if (KINDLING_HAVE_AVX512) isa |= kIsaAvx512;
  return isa;
}

uint32_t env_isa_mask(bool* bad) {
  *bad = false;
  const char* v = getenv("KINDLING_SIMD");
  if (v == nullptr || *v == '\0') return kIsaScalar | kIsaAvx2 | kIsaAvx512;
  if (strcmp(v, "scalar") == 0) return kIsaScalar;
  if (strcmp(v, "avx2") == 0) return kIsaScalar | kIsaAvx2;
  if (strcmp(v, "avx512") == 0) return kIsaScalar | kIsaAvx2 | kIsaAvx512;
  *bad = true;
  return kIsaScalar | kIsaAvx2 | kIsaAvx512;
}

const char* isa_name(uint32_t isa_bit) {
  if (isa_bit & kIsaAvx512) return "avx512";
  if (isa_bit & kIsaAvx2) return "avx2";
  return "scalar";
}

KernelTable table_for(uint32_t isa) {
  KernelTable t{};
  t.isa = kIsaScalar;
  t.moments_f64 = scalar::moments_f64;
  t.moments_f32 = scalar::moments_f32;
  t.moments_i32 = scalar::moments_i32;
  t.stream_sum_f64 = scalar::stream_sum_f64;
  t.group_agg_f64 = scalar::group_agg_f64;
  t.murmur3_batch = scalar::murmur3_batch;
  t.pairwise_f64 = scalar::pairwise_f64;
  t.kmeans_assign_f64 = scalar::kmeans_assign_f64;
  t.murmur3_col_i32 = scalar::murmur3_col_i32;
  t.murmur3_col_i64 = scalar::murmur3_col_i64;
  t.murmur3_col_f64 = scalar::murmur3_col_f64;
  t.murmur3_col_f32 = scalar::murmur3_col_f32;
  t.gmm_estep_f64 = scalar::gmm_estep_f64;
  t.first_bad_row_f64 = scalar::first_bad_row_f64;
  t.first_bad_weight_f64 = scalar::first_bad_weight_f64;
  // issue 14, area word2vec
  t.word2vec_train_f32 = scalar::word2vec_train_f32;
  t.gram_add_f64 = scalar::gram_add_f64;
  t.colstats_f64 = scalar::colstats_f64;  // scaling (issue 14)
  t.affine_f64 = scalar::affine_f64;      // scaling (issue 14)
  t.glm_loss_grad_f64 = scalar::glm_loss_grad_f64;  // linear models (issue 15, optim)
  t.glm_margins_f64 = scalar::glm_margins_f64;      // linear models (issue 15, optim)
#if KINDLING_HAVE_AVX2
  // The AVX-512 tier (x86-64-v4) includes AVX2: its slots start from the AVX2 kernels, so a
  // kernel without an AVX-512 variant falls through to AVX2, then to scalar.
  if (isa & (kIsaAvx2 | kIsaAvx512)) {
    t.isa = kIsaAvx2;
    t.moments_f64 = avx2::moments_f64;
    t.moments_f32 = avx2::moments_f32;
    t.moments_i32 = avx2::moments_i32;
    t.stream_sum_f64 = avx2::stream_sum_f64;
    t.group_agg_f64 = avx2::group_agg_f64;
    t.murmur3_batch = avx2::murmur3_batch;
    t.pairwise_f64 = avx2::pairwise_f64;
    t.kmeans_assign_f64 = avx2::kmeans_assign_f64;
    t.murmur3_col_i32 = avx2::murmur3_col_i32;
    t.murmur3_col_i64 = avx2::murmur3_col_i64;
    t.murmur3_col_f64 = avx2::murmur3_col_f64;
    t.murmur3_col_f32 = avx2::murmur3_col_f32;
    t.gmm_estep_f64 = avx2::gmm_estep_f64;
    t.first_bad_row_f64 = avx2::first_bad_row_f64;
    t.first_bad_weight_f64 = avx2::first_bad_weight_f64;
    // issue 14, area word2vec (no AVX-512 variant: falls through to AVX2)
    t.word2vec_train_f32 = avx2::word2vec_train_f32;
    t.gram_add_f64 = avx2::gram_add_f64;
    t.colstats_f64 = avx2::colstats_f64;  // scaling (issue 14)
    t.affine_f64 = avx2::affine_f64;      // scaling (issue 14)
    t.glm_loss_grad_f64 = avx2::glm_loss_grad_f64;  // linear models (issue 15, optim)
    t.glm_margins_f64 = avx2::glm_margins_f64;      // linear models (issue 15, optim)
  }
#endif
#if KINDLING_HAVE_AVX512
  if (isa & kIsaAvx512) {
    t.isa = kIsaAvx512;
    // moments: no AVX-512 variant on purpose (falls through to AVX2). It is memory-bound, and
    // on the Zen 5 we measure 512-bit streaming loads read ~30% slower than 256-bit ones.
    // first_bad_row / first_bad_weight: no AVX-512 variant (falls through to AVX2): a streaming
    // check, memory-bound, like moments.
    // group_agg: no AVX-512 variant (falls through to AVX2). A merge-masked 4-op slot update was
    // tried and measured no faster: one random 32-byte store per row is the limit.
    t.murmur3_batch = avx512::murmur3_batch;
    t.pairwise_f64 = avx512::pairwise_f64;
    t.kmeans_assign_f64 = avx512::kmeans_assign_f64;
    t.murmur3_col_i32 = avx512::murmur3_col_i32;
    t.murmur3_col_i64 = avx512::murmur3_col_i64;
    t.murmur3_col_f64 = avx512::murmur3_col_f64;
    t.murmur3_col_f32 = avx512::murmur3_col_f32;
    t.gmm_estep_f64 = avx512::gmm_estep_f64;
    t.gram_add_f64 = avx512::gram_add_f64;
    t.colstats_f64 = avx512::colstats_f64;  // scaling (issue 14)
    t.affine_f64 = avx512::affine_f64;      // scaling (issue 14)
    t.glm_loss_grad_f64 = avx512::glm_loss_grad_f64;  // linear models (issue 15, optim)
    t.glm_margins_f64 = avx512::glm_margins_f64;      // linear models (issue 15, optim)
  }
#endif
  return t;
}

static uint32_t best_bit(uint32_t mask) {
  if (mask & kIsaAvx512) return kIsaAvx512;
  if (mask & kIsaAvx2) return kIsaAvx2;
  return kIsaScalar;
}

const KernelTable& kernels() {
  static const KernelTable t = [] {
    bool bad = false;
    uint32_t usable = detected_isas() & compiled_isas() & env_isa_mask(&bad);
    return table_for(best_bit(usable));
  }();
  return t;
}

}  // namespace kindling
