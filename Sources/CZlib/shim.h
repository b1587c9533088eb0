// zlib for gunzip (a Talos node's kubeconfig comes as a gzipped tar). inflateInit2 is a macro
// Swift cannot call; this wrapper passes zlib's version and stream size as the macro does.
#ifndef HOMELAB_CZLIB_SHIM_H
#define HOMELAB_CZLIB_SHIM_H
#include <zlib.h>

static inline int hl_inflate_init_gzip(z_stream *stream) { return inflateInit2(stream, 16 + MAX_WBITS); }

#endif
