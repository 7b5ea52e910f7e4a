// The single include site of napi.h, with the settings every binding file shares.
#pragma once
#define NAPI_VERSION 8
#define NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED
#include <napi.h>
