// Group ids and hash joins: the one-shot hashGroup* exports, and two handles (Napi::ObjectWrap)
// that keep native state between calls: KeyTable (incremental group ids, for merging the group
// tables of several partitions) and JoinTable (build once, probe many batches). Each export
// checks shapes and calls one kernel entry; outputs are V8-owned typed arrays. A handle's heap
// memory is reported to V8 (AdjustExternalMemory) so the GC sees it; dispose() frees it early.
#include <memory>

#include "exports.h"
#include "relational_args.h"

namespace kindling::binding {
namespace {

Napi::Object group_ids(Napi::Env env, Napi::Int32Array codes, const int32_t* first, size_t k) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("codes", codes);
  o.Set("firstRow", copy_i32(env, first, k));
  return o;
}

// Runs KeyTable::add on a fresh or existing table; returns { codes, firstRow }.
Napi::Value add_keys(const Napi::CallbackInfo& info, const char* fn, scalar::KeyTable& t, const KeyBatch& kb) {
  Napi::Int32Array codes = new_i32(info.Env(), kb.n);
  std::unique_ptr<int32_t[]> first;
  first.reset(new int32_t[kb.n > 0 ? kb.n : 1]);  // uninitialised: at most n groups are new
  size_t k = t.add(kb, codes.Data(), first.get());
  return group_ids(info.Env(), codes, first.get(), k);
}

Napi::Value hash_group(const Napi::CallbackInfo& info, const char* fn, KeyKind kind, size_t width,
                       size_t vi, size_t oi, size_t ui, size_t bi) {
  KeyBatch kb = key_batch(info, fn, kind, width, vi, oi, ui, bi);
  std::unique_ptr<scalar::KeyTable> t(scalar::KeyTable::create(kind, width));
  return add_keys(info, fn, *t, kb);
}

KeyKind rows_kind(const Napi::CallbackInfo& info, size_t idx, const char* fn) {
  Napi::Value v = info[idx];
  if (v.IsTypedArray()) {
    napi_typedarray_type t = v.As<Napi::TypedArray>().TypedArrayType();
    if (t == napi_uint32_array) return KeyKind::kRows32;
    if (t == napi_biguint64_array) return KeyKind::kRows64;
  }
  throw_arg(info.Env(), std::string(fn) + ": expected Uint32Array or BigUint64Array for words");
}

bool is_rows(KeyKind k) { return k == KeyKind::kRows32 || k == KeyKind::kRows64; }

// (kind, width) of a handle's constructor arguments.
size_t kind_width(const Napi::CallbackInfo& info, const char* fn, KeyKind* kind) {
  *kind = key_kind_arg(info, 0, fn);
  size_t width = size_arg(info, 1, fn, "width");
  checked_mul(info, fn, "a key row in bytes", {width, sizeof(uint64_t)});
  if (is_rows(*kind) ? width == 0 : width != 1) {
    throw_arg(info.Env(), std::string(fn) + ": expected width " + (is_rows(*kind) ? ">= 1" : "1") + " for kind " +
                              key_kind_name(*kind) + ", got " + std::to_string(width), true);
  }
  return width;
}

// The generic (values, offsets, validity, bitOffset) key arguments of a handle method.
KeyBatch method_keys(const Napi::CallbackInfo& info, const char* fn, KeyKind kind, size_t width) {
  if (kind != KeyKind::kString && !info[1].IsNull() && !info[1].IsUndefined()) {
    throw_arg(info.Env(), std::string(fn) + ": expected null for offsets (kind " + key_kind_name(kind) + ")");
  }
  return key_batch(info, fn, kind, width, 0, 1, 2, 3);
}

// Keeps V8's view of a handle's native memory current.
class ExternalMemory {
 public:
  void update(napi_env env, size_t bytes) {
    int64_t now = 0;
    napi_adjust_external_memory(env, static_cast<int64_t>(bytes) - reported_, &now);
    reported_ = static_cast<int64_t>(bytes);
  }
  void release(napi_env env) { update(env, 0); }

 private:
  int64_t reported_ = 0;
};

// A handle's methods are listed through Guarded<&Method>, so each runs inside guard() (args.h)
// like every export; so does the constructor's body (it is reachable as handle.constructor).
class KeyTableWrap : public Napi::ObjectWrap<KeyTableWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "KeyTable",
                       {InstanceMethod<&KeyTableWrap::Guarded<&KeyTableWrap::Add>>("add"),
                        InstanceMethod<&KeyTableWrap::Guarded<&KeyTableWrap::Lookup>>("lookup"),
                        InstanceMethod<&KeyTableWrap::Guarded<&KeyTableWrap::Size>>("size"),
                        InstanceMethod<&KeyTableWrap::Guarded<&KeyTableWrap::Dispose>>("dispose")});
  }

  explicit KeyTableWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<KeyTableWrap>(info), env_(info.Env()) {
    guard(info, "keyTableNew", [&] {
      width_ = kind_width(info, "keyTableNew", &kind_);
      table_.reset(scalar::KeyTable::create(kind_, width_));
      mem_.update(env_, table_->memory_bytes());
      return info.Env().Undefined();
    });
  }
  ~KeyTableWrap() override { mem_.release(env_); }

  // KeyTable.add(values: NativeKeyValues, offsets: Int32Array | null, validity: Uint8Array | null, bitOffset: number): NativeGroupIds
  Napi::Value Add(const Napi::CallbackInfo& info) {
    const char* fn = "KeyTable.add";
    scalar::KeyTable& t = live(info, fn);
    Napi::Value r = add_keys(info, fn, t, method_keys(info, fn, kind_, width_));
    mem_.update(env_, t.memory_bytes());
    return r;
  }

  // KeyTable.lookup(values: NativeKeyValues, offsets: Int32Array | null, validity: Uint8Array | null, bitOffset: number): Int32Array
  Napi::Value Lookup(const Napi::CallbackInfo& info) {
    const char* fn = "KeyTable.lookup";
    scalar::KeyTable& t = live(info, fn);
    KeyBatch kb = method_keys(info, fn, kind_, width_);
    Napi::Int32Array codes = new_i32(info.Env(), kb.n);
    t.lookup(kb, codes.Data());
    return codes;
  }

  // KeyTable.size(): number
  Napi::Value Size(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(live(info, "KeyTable.size").size()));
  }

  // KeyTable.dispose(): void
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    table_.reset();
    mem_.release(env_);
    return info.Env().Undefined();
  }

 private:
  template <Napi::Value (KeyTableWrap::*Method)(const Napi::CallbackInfo&)>
  Napi::Value Guarded(const Napi::CallbackInfo& info) {
    return guard(info, "KeyTable", [&] { return (this->*Method)(info); });
  }

  scalar::KeyTable& live(const Napi::CallbackInfo& info, const char* fn) {
    if (!table_) throw_arg(info.Env(), std::string(fn) + ": the table was disposed");
    return *table_;
  }

  napi_env env_;
  KeyKind kind_ = KeyKind::kI32;
  size_t width_ = 1;
  std::unique_ptr<scalar::KeyTable> table_;
  ExternalMemory mem_;
};

class JoinTableWrap : public Napi::ObjectWrap<JoinTableWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "JoinTable",
                       {InstanceMethod<&JoinTableWrap::Guarded<&JoinTableWrap::Build>>("build"),
                        InstanceMethod<&JoinTableWrap::Guarded<&JoinTableWrap::Probe>>("probe"),
                        InstanceMethod<&JoinTableWrap::Guarded<&JoinTableWrap::MatchedBuild>>("matchedBuild"),
                        InstanceMethod<&JoinTableWrap::Guarded<&JoinTableWrap::BuildRows>>("buildRows"),
                        InstanceMethod<&JoinTableWrap::Guarded<&JoinTableWrap::Dispose>>("dispose")});
  }

  explicit JoinTableWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<JoinTableWrap>(info), env_(info.Env()) {
    guard(info, "joinTableNew", [&] {
      width_ = kind_width(info, "joinTableNew", &kind_);
      index_.reset(new scalar::JoinIndex(kind_, width_));
      return info.Env().Undefined();
    });
  }
  ~JoinTableWrap() override { mem_.release(env_); }

  // JoinTable.build(values: NativeKeyValues, offsets: Int32Array | null, validity: Uint8Array | null, bitOffset: number): void
  Napi::Value Build(const Napi::CallbackInfo& info) {
    const char* fn = "JoinTable.build";
    scalar::JoinIndex& j = live(info, fn);
    if (built_) throw_arg(info.Env(), std::string(fn) + ": the table is already built");
    KeyBatch kb = method_keys(info, fn, kind_, width_);
    j.build(kb);
    built_ = true;
    mem_.update(env_, j.memory_bytes());
    return info.Env().Undefined();
  }

  // JoinTable.probe(values: NativeKeyValues, offsets: Int32Array | null, validity: Uint8Array | null, bitOffset: number, mode: number): NativeJoinProbe
  Napi::Value Probe(const Napi::CallbackInfo& info) {
    const char* fn = "JoinTable.probe";
    Napi::Env env = info.Env();
    scalar::JoinIndex& j = built(info, fn);
    KeyBatch kb = method_keys(info, fn, kind_, width_);
    size_t mode = size_arg(info, 4, fn, "mode");
    if (mode > 2) throw_arg(env, std::string(fn) + ": mode must be 0 (inner), 1 (probeOuter) or 2 (semi)", true);
    const JoinMode jm = static_cast<JoinMode>(mode);
    JoinCounts c = j.probe(kb, jm);
    if (c.pairs > kMaxRows) {
      throw_arg(env, std::string(fn) + ": the join produces " + std::to_string(c.pairs) +
                         " pairs, more than an Int32Array of row indices may hold (2^31 - 1)", true);
    }
    Napi::Int32Array left = new_i32(env, c.pairs);
    Napi::Int32Array right = new_i32(env, jm == JoinMode::kSemi ? 0 : c.pairs);
    Napi::Int32Array unmatched = new_i32(env, c.unmatched_probe);
    j.emit(left.Data(), right.Data(), unmatched.Data());
    mem_.update(env_, j.memory_bytes());
    Napi::Object o = Napi::Object::New(env);
    o.Set("left", left);
    o.Set("right", right);
    o.Set("unmatchedProbe", unmatched);
    return o;
  }

  // JoinTable.matchedBuild(): Uint8Array
  Napi::Value MatchedBuild(const Napi::CallbackInfo& info) {
    scalar::JoinIndex& j = built(info, "JoinTable.matchedBuild");
    Napi::Uint8Array out = new_array<uint8_t>(info.Env(), j.build_rows());
    j.matched_build(out.Data());
    return out;
  }

  // JoinTable.buildRows(): number
  Napi::Value BuildRows(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(built(info, "JoinTable.buildRows").build_rows()));
  }

  // JoinTable.dispose(): void
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    index_.reset();
    mem_.release(env_);
    return info.Env().Undefined();
  }

 private:
  template <Napi::Value (JoinTableWrap::*Method)(const Napi::CallbackInfo&)>
  Napi::Value Guarded(const Napi::CallbackInfo& info) {
    return guard(info, "JoinTable", [&] { return (this->*Method)(info); });
  }

  scalar::JoinIndex& live(const Napi::CallbackInfo& info, const char* fn) {
    if (!index_) throw_arg(info.Env(), std::string(fn) + ": the table was disposed");
    return *index_;
  }
  scalar::JoinIndex& built(const Napi::CallbackInfo& info, const char* fn) {
    scalar::JoinIndex& j = live(info, fn);
    if (!built_) throw_arg(info.Env(), std::string(fn) + ": call build() first");
    return j;
  }

  napi_env env_;
  KeyKind kind_ = KeyKind::kI32;
  size_t width_ = 1;
  bool built_ = false;
  std::unique_ptr<scalar::JoinIndex> index_;
  ExternalMemory mem_;
};

}  // namespace

// hashGroupI32(keys: Int32Array, validity: Uint8Array | null, bitOffset: number): NativeGroupIds
Napi::Value HashGroupI32(const Napi::CallbackInfo& info) {
  return hash_group(info, "hashGroupI32", KeyKind::kI32, 1, 0, 0, 1, 2);
}
// hashGroupI64(keys: BigInt64Array, validity: Uint8Array | null, bitOffset: number): NativeGroupIds
Napi::Value HashGroupI64(const Napi::CallbackInfo& info) {
  return hash_group(info, "hashGroupI64", KeyKind::kI64, 1, 0, 0, 1, 2);
}
// hashGroupF64(keys: Float64Array, validity: Uint8Array | null, bitOffset: number): NativeGroupIds
Napi::Value HashGroupF64(const Napi::CallbackInfo& info) {
  return hash_group(info, "hashGroupF64", KeyKind::kF64, 1, 0, 0, 1, 2);
}
// hashGroupStrings(bytes: Uint8Array, offsets: Int32Array, validity: Uint8Array | null, bitOffset: number): NativeGroupIds
Napi::Value HashGroupStrings(const Napi::CallbackInfo& info) {
  return hash_group(info, "hashGroupStrings", KeyKind::kString, 1, 0, 1, 2, 3);
}
// hashGroupRows(words: Uint32Array | BigUint64Array, width: number): NativeGroupIds
Napi::Value HashGroupRows(const Napi::CallbackInfo& info) {
  const char* fn = "hashGroupRows";
  KeyKind kind = rows_kind(info, 0, fn);
  size_t width = size_arg(info, 1, fn, "width");
  if (width == 0) throw_arg(info.Env(), std::string(fn) + ": expected width >= 1, got 0", true);
  return hash_group(info, fn, kind, width, 0, SIZE_MAX, SIZE_MAX, SIZE_MAX);
}

Napi::Function KeyTableClass(Napi::Env env) { return KeyTableWrap::Define(env); }
Napi::Function JoinTableClass(Napi::Env env) { return JoinTableWrap::Define(env); }

namespace {
Napi::Value new_handle(const Napi::CallbackInfo& info) {
  auto* ctor = static_cast<Napi::FunctionReference*>(info.Data());
  return ctor->New({info[0], info[1]});
}
}  // namespace

// keyTableNew(kind: NativeKeyKind, width: number): NativeKeyTable
Napi::Value KeyTableNew(const Napi::CallbackInfo& info) { return new_handle(info); }
// joinTableNew(kind: NativeKeyKind, width: number): NativeJoinTable
Napi::Value JoinTableNew(const Napi::CallbackInfo& info) { return new_handle(info); }

}  // namespace kindling::binding
