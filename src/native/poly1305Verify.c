// Poly1305 tag checks through the OpenSSL that Node itself is built with (EVP_MAC "POLY1305"), for the
// CLI's reading of sealed records. libsodium (sodium-native) takes its portable SSE2 code path for
// Poly1305; OpenSSL picks an AVX2 or AVX-512 one where the CPU has it: 66 MB of sealed configs in 14 ms
// instead of 52 ms on this project's CI machine kind. The symbols resolve against the running Node
// binary (or the libcrypto it loaded), so nothing links here; src/core/native/cliNative.ts loads the addon
// and the CLI falls back to libsodium wherever it is not built.
#include "native.h"
#include <openssl/crypto.h>

static EVP_MAC *poly1305;

EVP_MAC *poly1305_mac(void) {
  return poly1305;
}

int poly1305_tag(const unsigned char *key, const unsigned char *message, size_t length, unsigned char tag[16]) {
  // An empty message has no data pointer to give (napi may hand back NULL for it).
  static const unsigned char nothing[1];
  EVP_MAC_CTX *ctx = poly1305 ? EVP_MAC_CTX_new(poly1305) : NULL;
  size_t tag_length = 0;
  int ok = ctx && EVP_MAC_init(ctx, key, 32, NULL) && EVP_MAC_update(ctx, length ? message : nothing, length)
           && EVP_MAC_final(ctx, tag, &tag_length, 16) && tag_length == 16;
  EVP_MAC_CTX_free(ctx);
  return ok;
}

// verify(tag: Uint8Array(16), message: Uint8Array, key: Uint8Array(32)): boolean, the comparison in
// constant time.
static napi_value verify(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  void *tag, *message, *key;
  size_t tag_length, message_length, key_length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3
      || !native_uint8_array(env, argv[0], &tag, &tag_length) || !native_uint8_array(env, argv[1], &message, &message_length)
      || !native_uint8_array(env, argv[2], &key, &key_length) || tag_length != 16 || key_length != 32) {
    napi_throw_type_error(env, NULL, "poly1305 verify(tag: 16 bytes, message, key: 32 bytes): Uint8Arrays expected");
    return NULL;
  }
  unsigned char computed[16];
  if (!poly1305_tag(key, message, message_length, computed)) {
    napi_throw_error(env, NULL, "poly1305: OpenSSL could not compute the tag");
    return NULL;
  }
  int ok = CRYPTO_memcmp(computed, tag, 16) == 0;
  OPENSSL_cleanse(computed, sizeof computed);
  napi_value result;
  napi_get_boolean(env, ok, &result);
  return result;
}

void poly1305_register(napi_env env, napi_value exports) {
  if (!poly1305) poly1305 = EVP_MAC_fetch(NULL, "POLY1305", NULL);
  napi_value fn, available;
  napi_create_function(env, "verify", NAPI_AUTO_LENGTH, verify, NULL, &fn);
  napi_set_named_property(env, exports, "verify", fn);
  // False where this OpenSSL has no Poly1305 (a FIPS-only configuration).
  napi_get_boolean(env, poly1305 != NULL, &available);
  napi_set_named_property(env, exports, "available", available);
}
