// What the C++ kernel tests share: the TAP counter and check(), a relative comparison, the
// lengths every parity test runs, and exact-size heap copies (so ASan sees reads past the end).
#pragma once
#include <math.h>
#include <stdio.h>

#include <random>
#include <string>
#include <vector>

#include "kindling/dispatch.h"

inline int g_n = 0, g_fail = 0;
inline void check(bool ok, const std::string& name) {
  ++g_n;
  if (!ok) ++g_fail;
  printf("%s %d - %s\n", ok ? "ok" : "not ok", g_n, name.c_str());
}
inline bool close(double a, double b, double rel, double abs_tol = 0) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  if (a == b) return true;
  return fabs(a - b) <= fmax(abs_tol, rel * fmax(fabs(a), fabs(b)));
}

inline const size_t kLengths[] = {0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1003};

template <typename T>
std::vector<T> exact(const std::vector<T>& v) { return std::vector<T>(v.begin(), v.end()); }

// validate_test.cc
void test_validate(const kindling::KernelTable& t, const char* isa, std::mt19937_64& rng);
// word2vec_test.cc (issue 14, area word2vec)
void test_word2vec(const kindling::KernelTable& t, const char* isa, std::mt19937_64& rng);
// gram_test.cc (selection, issue 14)
void test_gram(const kindling::KernelTable& t, const char* isa, std::mt19937_64& rng);

// text_test.cc (issue 14, area text): the scalar-only text kernels
void test_text(std::mt19937_64& rng);
// colstats_test.cc (scaling, issue 14)
void test_colstats(const kindling::KernelTable& t, const char* isa, std::mt19937_64& rng);
// glm_test.cc (linear models, issue 15, optim)
void test_glm(const kindling::KernelTable& t, const char* isa, std::mt19937_64& rng);
