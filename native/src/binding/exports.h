// Declarations of the exported callbacks (one definition each, in the family's binding file).
#pragma once
#include "napi_setup.h"

namespace kindling::binding {
Napi::Value MomentsF64(const Napi::CallbackInfo& info);
Napi::Value MomentsF32(const Napi::CallbackInfo& info);
Napi::Value MomentsI32(const Napi::CallbackInfo& info);
Napi::Value GroupAggF64(const Napi::CallbackInfo& info);
Napi::Value StreamSumF64(const Napi::CallbackInfo& info);
Napi::Value NativeThrow(const Napi::CallbackInfo& info);
Napi::Value GroupAggInitF64(const Napi::CallbackInfo& info);
Napi::Value Murmur3Batch(const Napi::CallbackInfo& info);
Napi::Value Murmur3LegacyBatch(const Napi::CallbackInfo& info);
Napi::Value PairwiseF64(const Napi::CallbackInfo& info);
Napi::Value KmeansAssignF64(const Napi::CallbackInfo& info);
Napi::Value FirstBadRowF64(const Napi::CallbackInfo& info);
Napi::Value FirstBadWeightF64(const Napi::CallbackInfo& info);
// gmm.cc
Napi::Value GmmEStepF64(const Napi::CallbackInfo& info);
// hashtable.cc: group ids, the KeyTable / JoinTable handles (constructors made per env by
// *Class, bound as the data of the *New factories)
Napi::Value HashGroupI32(const Napi::CallbackInfo& info);
Napi::Value HashGroupI64(const Napi::CallbackInfo& info);
Napi::Value HashGroupF64(const Napi::CallbackInfo& info);
Napi::Value HashGroupStrings(const Napi::CallbackInfo& info);
Napi::Value HashGroupRows(const Napi::CallbackInfo& info);
Napi::Function KeyTableClass(Napi::Env env);
Napi::Function JoinTableClass(Napi::Env env);
Napi::Value KeyTableNew(const Napi::CallbackInfo& info);
Napi::Value JoinTableNew(const Napi::CallbackInfo& info);
// sort.cc
Napi::Value ArgsortI32(const Napi::CallbackInfo& info);
Napi::Value ArgsortI64(const Napi::CallbackInfo& info);
Napi::Value ArgsortF64(const Napi::CallbackInfo& info);
// partition.cc
Napi::Value Murmur3ColumnI32(const Napi::CallbackInfo& info);
Napi::Value Murmur3ColumnI64(const Napi::CallbackInfo& info);
Napi::Value Murmur3ColumnF64(const Napi::CallbackInfo& info);
Napi::Value Murmur3ColumnF32(const Napi::CallbackInfo& info);
Napi::Value Murmur3ColumnStrings(const Napi::CallbackInfo& info);
Napi::Value PartitionIds(const Napi::CallbackInfo& info);
Napi::Value ScatterRows(const Napi::CallbackInfo& info);
// word2vec.cc (issue 14, area word2vec)
Napi::Value Word2VecTrainF32(const Napi::CallbackInfo& info);
// gram.cc (selection, issue 14)
Napi::Value GramAddF64(const Napi::CallbackInfo& info);
// text.cc (issue 14, area text): HashingTF rows, IDF document frequencies
Napi::Value HashingTf(const Napi::CallbackInfo& info);
Napi::Value DocFreqSparse(const Napi::CallbackInfo& info);
Napi::Value DocFreqDense(const Napi::CallbackInfo& info);
// colstats.cc (scaling, issue 14)
Napi::Value ColStatsF64(const Napi::CallbackInfo& info);
Napi::Value AffineRowsF64(const Napi::CallbackInfo& info);
// glm.cc (linear models, issue 15, optim)
Napi::Value GlmLossGradF64(const Napi::CallbackInfo& info);
Napi::Value GlmMarginsF64(const Napi::CallbackInfo& info);
}  // namespace kindling::binding
