// Addon registration only: a context-aware Napi::Addon (no mutable globals), so every worker
// thread loads its own instance. Kernel functions carry the table they call as their data. Every
// export is registered through define_export (args.h), so its body runs inside the one guard.
#include "args.h"
#include "exports.h"

namespace kindling::binding {
namespace {

const KernelTable& tier_table(uint32_t bit) {
  static const KernelTable scalar_t = table_for(kIsaScalar);
  static const KernelTable avx2_t = table_for(kIsaAvx2);
  static const KernelTable avx512_t = table_for(kIsaAvx512);
  if (bit == kIsaAvx512) return avx512_t;
  if (bit == kIsaAvx2) return avx2_t;
  return scalar_t;
}

Napi::Array isa_list(Napi::Env env, uint32_t mask) {
  Napi::Array a = Napi::Array::New(env);
  uint32_t i = 0;
  for (uint32_t bit : {kIsaScalar, kIsaAvx2, kIsaAvx512}) {
    if (mask & bit) a.Set(i++, Napi::String::New(env, isa_name(bit)));
  }
  return a;
}

// Constructors of the stateful handles (KeyTable, JoinTable), made once per env. The handles are
// scalar only, so every tier's export set shares them; each factory carries its constructor.
struct Handles {
  Napi::FunctionReference key_table;
  Napi::FunctionReference join_table;
};

void add_kernels(Napi::Env env, Napi::Object target, const KernelTable* t, Handles* h) {
  void* data = const_cast<KernelTable*>(t);
  struct Entry { const char* name; Export fn; };
  const Entry entries[] = {
      {"momentsF64", MomentsF64},     {"momentsF32", MomentsF32},
      {"momentsI32", MomentsI32},     {"groupAggF64", GroupAggF64},
      {"groupAggInitF64", GroupAggInitF64}, {"_streamSumF64", StreamSumF64},
      {"_nativeThrow", NativeThrow},
      {"murmur3Batch", Murmur3Batch}, {"murmur3LegacyBatch", Murmur3LegacyBatch},
      {"pairwiseF64", PairwiseF64},   {"kmeansAssignF64", KmeansAssignF64},
      {"firstBadRowF64", FirstBadRowF64}, {"firstBadWeightF64", FirstBadWeightF64},
      {"hashGroupI32", HashGroupI32}, {"hashGroupI64", HashGroupI64},
      {"hashGroupF64", HashGroupF64}, {"hashGroupStrings", HashGroupStrings},
      {"hashGroupRows", HashGroupRows},
      {"argsortI32", ArgsortI32},     {"argsortI64", ArgsortI64},
      {"argsortF64", ArgsortF64},
      {"murmur3ColumnI32", Murmur3ColumnI32}, {"murmur3ColumnI64", Murmur3ColumnI64},
      {"murmur3ColumnF64", Murmur3ColumnF64}, {"murmur3ColumnF32", Murmur3ColumnF32},
      {"murmur3ColumnStrings", Murmur3ColumnStrings},
      {"partitionIds", PartitionIds}, {"scatterRows", ScatterRows},
      {"gmmEStepF64", GmmEStepF64},
      // issue 14, area word2vec
      {"word2vecTrainF32", Word2VecTrainF32},
      // selection (issue 14)
      {"gramAddF64", GramAddF64},
      // text features (issue 14, area text)
      {"hashingTf", HashingTf}, {"docFreqSparse", DocFreqSparse}, {"docFreqDense", DocFreqDense},
      // scaling (issue 14)
      {"colStatsF64", ColStatsF64},   {"affineRowsF64", AffineRowsF64},
      // linear models (issue 15, optim)
      {"glmLossGradF64", GlmLossGradF64}, {"glmMarginsF64", GlmMarginsF64},
  };
  for (const Entry& e : entries) define_export(env, target, e.name, e.fn, data);
  define_export(env, target, "keyTableNew", KeyTableNew, &h->key_table);
  define_export(env, target, "joinTableNew", JoinTableNew, &h->join_table);
}

// simdLevel(): SimdLevel
Napi::Value SimdLevel(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), isa_name(kernels().isa));
}

// capabilities(): NativeCapabilities
Napi::Value Capabilities(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  bool bad = false;
  env_isa_mask(&bad);
  o.Set("detected", isa_list(env, detected_isas()));
  o.Set("compiled", isa_list(env, compiled_isas()));
  o.Set("active", Napi::String::New(env, isa_name(kernels().isa)));
  o.Set("envValid", Napi::Boolean::New(env, !bad));
  return o;
}

// Every compiled tier this CPU can run, each with its own table bound to the functions.
// _variants(): Array<NativeKernels & { isa: SimdLevel }>
Napi::Value Variants(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* handles = static_cast<Handles*>(info.Data());
  Napi::Array a = Napi::Array::New(env);
  uint32_t usable = detected_isas() & compiled_isas(), i = 0;
  for (uint32_t bit : {kIsaScalar, kIsaAvx2, kIsaAvx512}) {
    if (!(usable & bit)) continue;
    Napi::Object o = Napi::Object::New(env);
    o.Set("isa", Napi::String::New(env, isa_name(bit)));
    add_kernels(env, o, &tier_table(bit), handles);
    a.Set(i++, o);
  }
  return a;
}

class KindlingAddon : public Napi::Addon<KindlingAddon> {
 public:
  KindlingAddon(Napi::Env env, Napi::Object exports) {
    handles_.key_table = Napi::Persistent(KeyTableClass(env));
    handles_.join_table = Napi::Persistent(JoinTableClass(env));
    add_kernels(env, exports, &kernels(), &handles_);
    define_export(env, exports, "simdLevel", SimdLevel, nullptr);
    define_export(env, exports, "capabilities", Capabilities, nullptr);
    define_export(env, exports, "_variants", Variants, &handles_);
  }

 private:
  Handles handles_;  // lives as long as the env (the addon instance is the env's instance data)
};

}  // namespace
}  // namespace kindling::binding

using kindling::binding::KindlingAddon;
NODE_API_ADDON(KindlingAddon)
