// OpenSSL, for what the transports check themselves: certificate and host-key fingerprints,
// and the TLS verify hook that pins a server's certificate.
#ifndef HOMELAB_COPENSSL_SHIM_H
#define HOMELAB_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/err.h>
#endif
