// CRC-32C (Castagnoli), the checksum of etcd's WAL records, for the record prefetcher's thread: the JS
// library (@node-rs/crc32) cannot be called from a thread of our own. SSE 4.2's crc32 instruction where
// the CPU has it (every x86-64 of the last fifteen years), else a byte-at-a-time table; the tests hold
// both to the JS library's results.
#include "native.h"
#include <string.h>

#define CASTAGNOLI_REFLECTED 0x82F63B78u

static uint32_t table[256];

void crc32c_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ CASTAGNOLI_REFLECTED : c >> 1;
    table[i] = c;
  }
}

static uint32_t crc_table(uint32_t c, const unsigned char *p, size_t n) {
  while (n--) c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
  return c;
}

#if defined(__x86_64__)
#include <nmmintrin.h>
__attribute__((target("sse4.2"))) static uint32_t crc_sse42(uint32_t c, const unsigned char *p, size_t n) {
  uint64_t c64 = c;
  while (n >= 8) {
    uint64_t word;
    memcpy(&word, p, 8);
    c64 = _mm_crc32_u64(c64, word);
    p += 8;
    n -= 8;
  }
  uint32_t c32 = (uint32_t)c64;
  while (n--) c32 = _mm_crc32_u8(c32, *p++);
  return c32;
}
#endif

uint32_t crc32c_update(uint32_t crc, const unsigned char *data, size_t length) {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("sse4.2")) return ~crc_sse42(~crc, data, length);
#endif
  return ~crc_table(~crc, data, length);
}

// crc32c(previous: number, data: Uint8Array): number, for the tests.
static napi_value crc32c_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  uint32_t previous;
  void *data;
  size_t length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2
      || napi_get_value_uint32(env, argv[0], &previous) != napi_ok || !native_uint8_array(env, argv[1], &data, &length)) {
    napi_throw_type_error(env, NULL, "crc32c(previous: number, data: Uint8Array) expected");
    return NULL;
  }
  napi_value result;
  napi_create_uint32(env, crc32c_update(previous, data, length), &result);
  return result;
}

void crc32c_register(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "crc32c", NAPI_AUTO_LENGTH, crc32c_js, NULL, &fn);
  napi_set_named_property(env, exports, "crc32c", fn);
}
