// Large uninitialised buffers for the scalar relational kernels (hash tables, radix sort).
// Big ones are 2 MiB-aligned and advised as transparent huge pages (Linux MADV_HUGEPAGE)
// before the first touch: with 4 KiB pages, first-touch faults and TLB misses dominate a
// multi-MB scratch buffer or a randomly probed table (one fault per page costs ~0.25 us on bare
// metal and well over 10 us in some VMs). Header-only, included by scalar files only (never by
// an ISA-specific file, whose inline copies the linker could merge into baseline code).
#pragma once
#include <stdlib.h>
#if defined(_WIN32)
#include <malloc.h>
#endif

#include <new>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "kindling/types.h"

namespace kindling {

constexpr size_t kHugePage = size_t{1} << 21;
// Buffers at least this large get huge-page alignment and advice.
constexpr size_t kHugeMin = size_t{4} << 20;

// Advises the 2 MiB-aligned interior of [p, p + bytes) as huge pages (no-op elsewhere).
inline void advise_huge(void* p, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes < kHugeMin) return;
  uintptr_t lo = (reinterpret_cast<uintptr_t>(p) + kHugePage - 1) & ~(kHugePage - 1);
  uintptr_t hi = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kHugePage - 1);
  if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

// An uninitialised array of n trivially copyable T (throws std::bad_alloc).
template <typename T>
class Scratch {
 public:
  Scratch() = default;
  explicit Scratch(size_t n) { reset(n); }
  ~Scratch() { release(p_); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  Scratch(Scratch&& o) noexcept : p_(o.p_), n_(o.n_) { o.p_ = nullptr; o.n_ = 0; }
  Scratch& operator=(Scratch&& o) noexcept {
    if (this != &o) {
      release(p_);
      p_ = o.p_;
      n_ = o.n_;
      o.p_ = nullptr;
      o.n_ = 0;
    }
    return *this;
  }

  void reset(size_t n) {
    release(p_);
    p_ = nullptr;
    n_ = 0;
    size_t bytes = (n > 0 ? n : 1) * sizeof(T);
    void* p;
    if (bytes >= kHugeMin) {
      bytes = (bytes + kHugePage - 1) & ~(kHugePage - 1);
#if defined(_WIN32)
      p = _aligned_malloc(bytes, kHugePage);
#else
      p = aligned_alloc(kHugePage, bytes);
#endif
      if (p != nullptr) advise_huge(p, bytes);
    } else {
#if defined(_WIN32)
      p = _aligned_malloc(bytes, 64);
#else
      p = malloc(bytes);
#endif
    }
    if (p == nullptr) throw std::bad_alloc();
    p_ = static_cast<T*>(p);
    n_ = n;
  }

  T* get() const { return p_; }
  T& operator[](size_t i) const { return p_[i]; }
  size_t size() const { return n_; }
  size_t bytes() const { return n_ * sizeof(T); }

 private:
  static void release(T* p) {
#if defined(_WIN32)
    _aligned_free(p);
#else
    free(p);
#endif
  }

  T* p_ = nullptr;
  size_t n_ = 0;
};

}  // namespace kindling
