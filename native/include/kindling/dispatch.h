// kindling/dispatch.h: ISA tiers and the kernel table chosen once at load.
#pragma once
#include "kindling/types.h"

namespace kindling {

enum Isa : uint32_t { kIsaScalar = 1u << 0, kIsaAvx2 = 1u << 1, kIsaAvx512 = 1u << 2 };

using MomentsF64Fn = Moments (*)(const double* x, const uint8_t* valid, size_t bit_off, size_t n);
using MomentsF32Fn = Moments (*)(const float* x, const uint8_t* valid, size_t bit_off, size_t n);
using MomentsI32Fn = Moments (*)(const int32_t* x, const uint8_t* valid, size_t bit_off, size_t n);
// Folds rows into acc (kGroupSlot doubles per group). Returns kOk or the first row whose key is
// outside [0, num_groups).
using GroupAggF64Fn = int64_t (*)(const int32_t* keys, const double* vals, const uint8_t* valid,
                                  size_t bit_off, size_t n, size_t num_groups, double* acc);
// MurmurHash3_x86_32 of each string bytes[offsets[i], offsets[i+1]).
using Murmur3BatchFn = void (*)(const uint8_t* bytes, const int32_t* offsets, size_t n,
                                uint32_t seed, int32_t* out);
// Distances from n row-major points (n x d) to k centres prepared by prepare_centres
// (distance.h): squared Euclidean sum_d (x_d - c_d)^2 in dimension order, or cosine
// 1 - x.c / (|x| |c|). Writes out[i*k + j] for j < k. Returns kOk, or (cosine) the first row
// with zero or non-finite norm.
using PairwiseFn = int64_t (*)(const double* x, size_t n, size_t d, const double* ct,
                               const double* cconst, size_t k, size_t kpad, Measure m,
                               double* out);
// The KMeans step: nearest centre of each point (ties: lowest index), weighted per-centre sums
// (of x for euclidean, of x/|x| for cosine, as Spark's CosineDistanceMeasure) and weights, and
// the cost (sum of w * distance to the nearest centre). sums (k x d), weights (k) and *cost are
// added into. labels may be null; w may be null (weight 1).
// Returns kOk, or the first row whose distances are not finite (NaN/inf features) or whose norm
// is zero under the cosine measure.
using AssignFn = int64_t (*)(const double* x, const double* w, size_t n, size_t d,
                             const double* ct, const double* cconst, size_t k, size_t kpad,
                             Measure m, double* sums, double* weights, int32_t* labels,
                             double* cost);

// The Gaussian-mixture E-step (gmm.h): log-densities by Cholesky solve, Spark's EPSILON +
// w_c pdf_c responsibilities through a log-sum-exp, and the weighted sufficient statistics.
// Returns kOk or the first bad row.
using GmmEStepFn = int64_t (*)(const double* x, const double* w, size_t n, size_t d, size_t k,
                               const double* shift, const double* means, const double* chol, const double* inv_diag,
                               const double* log_c, const uint8_t* pseudo, double* resp_sum,
                               double* sum_x, double* sum_xx, double* loglik, double* resp);

// Spark's Murmur3Hash of one column into running per-row hashes (partition.h): hashes[i] is
// the seed on entry and the hash on exit; null rows are left unchanged.
using Murmur3ColI32Fn = void (*)(const int32_t* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes);
using Murmur3ColI64Fn = void (*)(const int64_t* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes);
using Murmur3ColF64Fn = void (*)(const double* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes);
using Murmur3ColF32Fn = void (*)(const float* x, const uint8_t* valid, size_t bit_off, size_t n, int32_t* hashes);

// Row checks of prepared training data (validate.h): the first row with a non-finite value or
// failing a flag (kRowNonZeroNorm, kRowFiniteNorm), or the first weight that is not finite and
// >= 0. Return kOk when all pass.
using FirstBadRowFn = int64_t (*)(const double* x, size_t n, size_t d, uint32_t flags);
using FirstBadWeightFn = int64_t (*)(const double* w, size_t n);
// Shifted Gram matrix (upper triangle) and column sums of a row-major n x d block (gram.h; PCA).
using GramAddF64Fn = void (*)(const double* x, size_t n, size_t d, const double* shift, double* gram, double* sums);

// issue 14, area word2vec: one partition's skip-gram / hierarchical-softmax pass (word2vec.h).
using Word2VecTrainFn = uint64_t (*)(const int32_t* words, const int32_t* sent_off, size_t n_sent,
                                     const int32_t* code_off, const uint8_t* codes, const int32_t* points,
                                     size_t vocab, size_t d, float* syn0, float* syn1, int32_t* syn0_mod,
                                     int32_t* syn1_mod, const float* exp_table, const struct Word2VecConfig* cfg);
// --- scaling (issue 14): column statistics and the scalers' affine map (colstats.h)
using ColStatsFn = void (*)(const double* x, size_t n, size_t d, double* out, double* scratch);
using AffineFn = void (*)(const double* x, size_t n, size_t d, const double* shift, const double* scale,
                          const double* offset, double* y);
// --- end scaling
// linear models (issue 15, optim): the GLM loss and gradient, and margins (glm.h)
using GlmLossGradFn = void (*)(int32_t kind, const double* x, const double* y, const double* w, size_t n, size_t d,
                               size_t k, const double* coef, const double* intercept, double* grad, double* sums,
                               double* scratch);
using GlmMarginsFn = void (*)(const double* x, size_t n, size_t d, const double* coef, const double* intercept,
                              size_t k, double* out);

struct KernelTable {
  MomentsF64Fn moments_f64;
  MomentsF32Fn moments_f32;
  MomentsI32Fn moments_i32;
  double (*stream_sum_f64)(const double* x, size_t n);
  GroupAggF64Fn group_agg_f64;
  Murmur3BatchFn murmur3_batch;
  PairwiseFn pairwise_f64;
  AssignFn kmeans_assign_f64;
  Murmur3ColI32Fn murmur3_col_i32;
  Murmur3ColI64Fn murmur3_col_i64;
  Murmur3ColF64Fn murmur3_col_f64;
  Murmur3ColF32Fn murmur3_col_f32;
  GmmEStepFn gmm_estep_f64;
  FirstBadRowFn first_bad_row_f64;
  FirstBadWeightFn first_bad_weight_f64;
  // issue 14, area word2vec
  Word2VecTrainFn word2vec_train_f32;
  GramAddF64Fn gram_add_f64;  // selection (issue 14)
  // --- scaling (issue 14)
  ColStatsFn colstats_f64;
  AffineFn affine_f64;
  // --- end scaling
  GlmLossGradFn glm_loss_grad_f64;  // linear models (issue 15, optim)
  GlmMarginsFn glm_margins_f64;     // linear models (issue 15, optim)
  uint32_t isa;  // the tier each slot was filled from, lowest common (for reporting)
};

// Bits of the tiers this CPU (and OS) can run.
uint32_t detected_isas();
// Bits of the tiers compiled into this binary.
uint32_t compiled_isas();
// Parses KINDLING_SIMD (scalar|avx2|avx512); returns a mask of allowed tiers, or all when unset.
// Sets *bad to true when the variable holds an unknown value.
uint32_t env_isa_mask(bool* bad);
// The single immutable table for this process (thread-safe static init).
const KernelTable& kernels();
// The table of one tier. AVX-512 (x86-64-v4) includes AVX2, so its slots start from the AVX2
// kernels; a kernel missing for a tier falls through to the next one down.
KernelTable table_for(uint32_t isa);
// Name of the highest tier in a mask ("avx512", "avx2", "scalar").
const char* isa_name(uint32_t isa_bit);

}  // namespace kindling
