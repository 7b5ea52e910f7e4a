// Declarations of the exported callbacks (one definition each, in the family's binding file).
#pragma once
#include "napi_setup.h"

namespace kindling::binding {
Napi::Value MomentsF64(const Napi::CallbackInfo& info);
Napi::Value MomentsF32(const Napi::CallbackInfo& info);
Napi::Value MomentsI32(const Napi::CallbackInfo& info);
Napi::Value GroupAggF64(const Napi::CallbackInfo& info);
Napi::Value StreamSumF64(const Napi::CallbackInfo& info);
Napi::Value GroupAggInitF64(const Napi::CallbackInfo& info);
Napi::Value Murmur3Batch(const Napi::CallbackInfo& info);
Napi::Value Murmur3LegacyBatch(const Napi::CallbackInfo& info);
Napi::Value PairwiseF64(const Napi::CallbackInfo& info);
Napi::Value KmeansAssignF64(const Napi::CallbackInfo& info);
}  // namespace kindling::binding
