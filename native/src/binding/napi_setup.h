// The single include site of napi.h, with the settings every binding file shares.
#pragma once
#define NAPI_VERSION 8
// A worker thread being terminated cannot receive a thrown error; drop it instead of aborting
// the process (node-addon-api rethrows a failed throw as a C++ exception, which terminates).
#define NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS
#define NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED
#include <napi.h>
