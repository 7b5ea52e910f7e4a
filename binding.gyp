{
  "variables": {
    "kindling_scalar_sources": [
      "native/src/dispatch.cc",
      "native/src/kernels/common.cc",
      "native/src/kernels/moments/scalar.cc",
      "native/src/kernels/groupby/scalar.cc",
      "native/src/kernels/hash/scalar.cc",
      "native/src/kernels/distance/scalar.cc",
      "native/src/kernels/hashtable/scalar.cc",
      "native/src/kernels/sort/scalar.cc",
      "native/src/kernels/partition/scalar.cc",
      "native/src/kernels/gmm/prepare.cc",
      "native/src/kernels/gmm/scalar.cc",
      "native/src/kernels/validate/scalar.cc",
      "native/src/kernels/word2vec/scalar.cc",
      "native/src/kernels/gram/scalar.cc",
      "native/src/kernels/text/scalar.cc",
      "native/src/kernels/colstats/scalar.cc",
      "native/src/kernels/glm/scalar.cc"
    ],
    "kindling_avx2_sources": [
      "native/src/kernels/moments/avx2.cc",
      "native/src/kernels/groupby/avx2.cc",
      "native/src/kernels/hash/avx2.cc",
      "native/src/kernels/distance/avx2.cc",
      "native/src/kernels/partition/avx2.cc",
      "native/src/kernels/gmm/avx2.cc",
      "native/src/kernels/validate/avx2.cc",
      "native/src/kernels/word2vec/avx2.cc",
      "native/src/kernels/gram/avx2.cc",
      "native/src/kernels/colstats/avx2.cc",
      "native/src/kernels/glm/avx2.cc"
    ],
    "kindling_avx512_sources": [
      "native/src/kernels/hash/avx512.cc",
      "native/src/kernels/distance/avx512.cc",
      "native/src/kernels/partition/avx512.cc",
      "native/src/kernels/gram/avx512.cc",
      "native/src/kernels/gmm/avx512.cc",
      "native/src/kernels/colstats/avx512.cc",
      "native/src/kernels/glm/avx512.cc"
    ],
    "kindling_binding_sources": [
      "native/src/binding/addon.cc",
      "native/src/binding/kernels.cc",
      "native/src/binding/hashtable.cc",
      "native/src/binding/sort.cc",
      "native/src/binding/partition.cc",
      "native/src/binding/gmm.cc",
      "native/src/binding/word2vec.cc",
      "native/src/binding/gram.cc",
      "native/src/binding/text.cc",
      "native/src/binding/colstats.cc",
      "native/src/binding/glm.cc"
    ],
    "kindling_avx2_flags": ["-mavx2", "-mfma", "-mf16c", "-mbmi", "-mbmi2", "-mlzcnt", "-mpopcnt"],
    "kindling_avx512_flags": ["-Wno-maybe-uninitialized", "-Wno-uninitialized", "-mavx512f", "-mavx512dq", "-mavx512bw", "-mavx512vl", "-mavx2", "-mfma", "-mf16c", "-mbmi", "-mbmi2", "-mlzcnt", "-mpopcnt"]
  },
  "target_defaults": {
    "include_dirs": ["native/include"],
    "cflags_cc": ["-std=c++17", "-O3", "-fno-strict-aliasing", "-Wall", "-Wextra"],
    "cflags_cc!": ["-std=gnu++17", "-std=gnu++1y", "-std=gnu++14"],
    "xcode_settings": {"CLANG_CXX_LANGUAGE_STANDARD": "c++17", "GCC_OPTIMIZATION_LEVEL": "3"},
    "msvs_settings": {"VCCLCompilerTool": {"AdditionalOptions": ["/std:c++17"]}}
  },
  "targets": [
    {
      "target_name": "kernels_avx2",
      "type": "static_library",
      "conditions": [["target_arch=='x64'", {
        "sources": ["<@(kindling_avx2_sources)"],
        "cflags_cc": ["<@(kindling_avx2_flags)"],
        "xcode_settings": {"OTHER_CPLUSPLUSFLAGS": ["<@(kindling_avx2_flags)"]},
        "msvs_settings": {"VCCLCompilerTool": {"EnableEnhancedInstructionSet": "5"}}
      }]]
    },
    {
      "target_name": "kernels_avx512",
      "type": "static_library",
      "conditions": [["target_arch=='x64'", {
        "sources": ["<@(kindling_avx512_sources)"],
        "cflags_cc": ["<@(kindling_avx512_flags)"],
        "xcode_settings": {"OTHER_CPLUSPLUSFLAGS": ["<@(kindling_avx512_flags)"]},
        "msvs_settings": {"VCCLCompilerTool": {"AdditionalOptions": ["/arch:AVX512"]}}
      }]]
    },
    {
      "target_name": "kindling",
      "sources": ["<@(kindling_scalar_sources)", "<@(kindling_binding_sources)"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "conditions": [["target_arch=='x64'", {
        "dependencies": ["kernels_avx2", "kernels_avx512"],
        "defines": ["KINDLING_HAVE_AVX2=1", "KINDLING_HAVE_AVX512=1"]
      }]]
    }
  ]
}
