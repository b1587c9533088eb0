// OpenSSL, for what the transports check themselves: certificate and host-key fingerprints,
// and the TLS verify hook that pins a server's certificate.
#ifndef HOMELAB_COPENSSL_SHIM_H
#define HOMELAB_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/err.h>

typedef int (*hl_cert_verify_callback)(X509_STORE_CTX *, void *);

// The HTTP transport hangs its per-transfer state on each connection's SSL_CTX under its own
// ex-data index (SSL_CTX_get_ex_new_index is a macro).
static inline int hl_ssl_ctx_new_index(void) { return SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL); }
static inline void *hl_ssl_ctx_data_of(const SSL *ssl, int index) { return SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), index); }

// DER of a certificate and of its SubjectPublicKeyInfo, into a caller buffer; returns the
// length, or -1 when it does not fit (certificates are a few KiB; callers pass 16 KiB).
static inline int hl_x509_der(X509 *cert, unsigned char *out, int capacity) {
    int length = i2d_X509(cert, NULL);
    if (length <= 0 || length > capacity) return -1;
    unsigned char *cursor = out;
    return i2d_X509(cert, &cursor);
}
static inline int hl_x509_spki_der(X509 *cert, unsigned char *out, int capacity) {
    X509_PUBKEY *key = X509_get_X509_PUBKEY(cert);
    int length = i2d_X509_PUBKEY(key, NULL);
    if (length <= 0 || length > capacity) return -1;
    unsigned char *cursor = out;
    return i2d_X509_PUBKEY(key, &cursor);
}
#endif
