// What the parts of the CLI's native addon share (src/native/*.c, one addon: dist/native/cli_native.node).
#ifndef SWARM_RAFT_NATIVE_H
#define SWARM_RAFT_NATIVE_H
#include <node_api.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

/** OpenSSL's Poly1305 MAC, fetched once at load; NULL where this OpenSSL has none (FIPS-only). */
EVP_MAC *poly1305_mac(void);

/** Computes the Poly1305 tag of message under key (32 bytes) into tag (16 bytes); 0 on failure. */
int poly1305_tag(const unsigned char *key, const unsigned char *message, size_t length, unsigned char tag[16]);

/** CRC-32C (Castagnoli) of data, continuing from `crc` as Go's crc32.Update does (0 to start). */
uint32_t crc32c_update(uint32_t crc, const unsigned char *data, size_t length);
/** Builds the table the portable CRC path needs; called once at load, before any thread starts. */
void crc32c_init(void);

void poly1305_register(napi_env env, napi_value exports);
void record_prefetch_register(napi_env env, napi_value exports);
void crc32c_register(napi_env env, napi_value exports);

/** Uint8Array argument's bytes; 0 when `value` is anything else. */
int native_uint8_array(napi_env env, napi_value value, void **data, size_t *length);
#endif
