#ifndef OAUTH_RELAY_COPENSSL_SHIM_H
#define OAUTH_RELAY_COPENSSL_SHIM_H

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/err.h>

/* Named constants that Swift cannot import from macros. */
static inline int relay_evp_ctrl_gcm_set_ivlen(void) { return EVP_CTRL_GCM_SET_IVLEN; }
static inline int relay_evp_ctrl_gcm_get_tag(void) { return EVP_CTRL_GCM_GET_TAG; }
static inline int relay_evp_ctrl_gcm_set_tag(void) { return EVP_CTRL_GCM_SET_TAG; }

#endif
