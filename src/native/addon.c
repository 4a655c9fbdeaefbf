// The CLI's native addon: Poly1305 through the OpenSSL Node is built with (poly1305Verify.c), and a
// thread that reads big WAL records ahead and checks their CRC and tag (recordPrefetch.c). Loaded by
// src/core/native/cliNative.ts; the CLI works without it (libsodium, and reading on its own thread).
#include "native.h"

int native_uint8_array(napi_env env, napi_value value, void **data, size_t *length) {
  bool is_typed_array = false;
  if (napi_is_typedarray(env, value, &is_typed_array) != napi_ok || !is_typed_array) return 0;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok) return 0;
  return type == napi_uint8_array;
}

NAPI_MODULE_INIT() {
  crc32c_init();
  poly1305_register(env, exports);
  crc32c_register(env, exports);
  record_prefetch_register(env, exports);
  return exports;
}
