// libssh2 exposes several calls only as macros (session_init, channel_open_session, exec, read,
// write...); Swift cannot import function-like macros, so these wrappers name them.
#ifndef HOMELAB_CSSH2_SHIM_H
#define HOMELAB_CSSH2_SHIM_H
#include <libssh2.h>
#include <libssh2_sftp.h>

static inline LIBSSH2_SESSION *hl_session_init(void) { return libssh2_session_init(); }

#endif
