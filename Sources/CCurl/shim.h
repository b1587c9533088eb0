// libcurl's setopt/getinfo are variadic and Swift cannot call variadic C; these typed wrappers
// are the only C the HTTP transport needs. Everything is static inline: no separate C target.
#ifndef HOMELAB_CCURL_SHIM_H
#define HOMELAB_CCURL_SHIM_H
#include <curl/curl.h>

static inline CURLcode hl_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode hl_easy_setopt_ptr(CURL *h, CURLoption o, const void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode hl_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode hl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode hl_easy_getinfo_ptr(CURL *h, CURLINFO i, void *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode hl_easy_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode hl_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode hl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

// Blobs (PEM in memory: CA, client certificate, key) are copied by libcurl (CURL_BLOB_COPY).
static inline CURLcode hl_easy_setopt_blob(CURL *h, CURLoption o, const void *data, size_t len) {
    struct curl_blob blob = { (void *)data, len, CURL_BLOB_COPY };
    return curl_easy_setopt(h, o, &blob);
}

// Callbacks, typed so Swift passes @convention(c) functions without casts.
typedef size_t (*hl_data_callback)(char *, size_t, size_t, void *);
typedef int (*hl_xferinfo_callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
typedef CURLcode (*hl_ssl_ctx_callback)(CURL *, void *, void *);
static inline CURLcode hl_easy_setopt_data_callback(CURL *h, CURLoption o, hl_data_callback f) { return curl_easy_setopt(h, o, f); }
static inline CURLcode hl_easy_setopt_xferinfo(CURL *h, hl_xferinfo_callback f) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f); }
static inline CURLcode hl_easy_setopt_ssl_ctx(CURL *h, hl_ssl_ctx_callback f) { return curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, f); }

// Macros Swift does not import as the types the callbacks return.
static inline size_t hl_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
static inline size_t hl_readfunc_pause(void) { return CURL_READFUNC_PAUSE; }
static inline size_t hl_readfunc_abort(void) { return CURL_READFUNC_ABORT; }
static inline int hl_pause_cont(void) { return CURLPAUSE_CONT; }
static inline long hl_pipe_multiplex(void) { return CURLPIPE_MULTIPLEX; }
static inline long hl_global_default(void) { return CURL_GLOBAL_DEFAULT; }

// The easy handle a finished-transfer message is about (CURLMsg's data is a union).
static inline CURL *hl_msg_easy(CURLMsg *m) { return m->easy_handle; }
static inline int hl_msg_is_done(CURLMsg *m) { return m->msg == CURLMSG_DONE; }
static inline CURLcode hl_msg_result(CURLMsg *m) { return m->data.result; }

#endif
