// CRC-32C (Castagnoli), the checksum of etcd's WAL records, for the record prefetcher's thread: the JS
// library (@node-rs/crc32) cannot be called from a thread of our own. SSE 4.2's crc32 instruction where
// the CPU has it (every x86-64 of the last fifteen years), three streams at a time, else a byte-at-a-time
// table; the tests hold both to the JS library's results.
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
#include <pthread.h>

// Three streams at once: the crc32 instruction takes 3 cycles but can start every cycle. Each block of
// 3 * STREAM bytes is three runs of STREAM bytes; the first two are carried over the bytes after them by
// `shifted` (appending STREAM zero bytes to a CRC register is linear: four tables of 256 values).
enum { STREAM = 4096 };
static uint32_t shift_tables[4][256];
static pthread_once_t shift_tables_once = PTHREAD_ONCE_INIT;

static void make_shift_tables(void) {
  uint32_t basis[32];
  for (int bit = 0; bit < 32; bit++) {
    uint32_t c = 1u << bit;
    for (int i = 0; i < STREAM; i++) c = table[c & 0xff] ^ (c >> 8);
    basis[bit] = c;
  }
  for (int k = 0; k < 4; k++) {
    for (int b = 0; b < 256; b++) {
      uint32_t v = 0;
      for (int bit = 0; bit < 8; bit++) if (b & (1 << bit)) v ^= basis[8 * k + bit];
      shift_tables[k][b] = v;
    }
  }
}

static uint32_t shifted(uint32_t c) {
  return shift_tables[0][c & 0xff] ^ shift_tables[1][(c >> 8) & 0xff] ^ shift_tables[2][(c >> 16) & 0xff] ^ shift_tables[3][c >> 24];
}

__attribute__((target("sse4.2"))) static uint32_t crc_sse42(uint32_t c, const unsigned char *p, size_t n) {
  uint64_t c64 = c;
  if (n >= 3 * STREAM) {
    pthread_once(&shift_tables_once, make_shift_tables);
    while (n >= 3 * STREAM) {
      uint64_t c1 = 0, c2 = 0;
      for (size_t i = 0; i < STREAM; i += 8) {
        uint64_t w0, w1, w2;
        memcpy(&w0, p + i, 8);
        memcpy(&w1, p + STREAM + i, 8);
        memcpy(&w2, p + 2 * STREAM + i, 8);
        c64 = _mm_crc32_u64(c64, w0);
        c1 = _mm_crc32_u64(c1, w1);
        c2 = _mm_crc32_u64(c2, w2);
      }
      c64 = shifted(shifted((uint32_t)c64) ^ (uint32_t)c1) ^ (uint32_t)c2;
      p += 3 * STREAM;
      n -= 3 * STREAM;
    }
  }
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

// crc32c(previous: number, data: Uint8Array): number, and crc32cTable (the portable way), for the tests.
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
  void *portable = NULL;
  napi_get_cb_info(env, info, NULL, NULL, NULL, &portable);
  napi_value result;
  napi_create_uint32(env, portable ? ~crc_table(~previous, data, length) : crc32c_update(previous, data, length), &result);
  return result;
}

void crc32c_register(napi_env env, napi_value exports) {
  napi_value fn;
  static int portable = 1;
  napi_create_function(env, "crc32c", NAPI_AUTO_LENGTH, crc32c_js, NULL, &fn);
  napi_set_named_property(env, exports, "crc32c", fn);
  napi_create_function(env, "crc32cTable", NAPI_AUTO_LENGTH, crc32c_js, &portable, &fn);
  napi_set_named_property(env, exports, "crc32cTable", fn);
}
