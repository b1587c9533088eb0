// libssh2 exposes several calls only as macros (session_init, channel_open_session, exec, read,
// write...); Swift cannot import function-like macros, so these wrappers name them.
#ifndef HOMELAB_CSSH2_SHIM_H
#define HOMELAB_CSSH2_SHIM_H
#include <libssh2.h>
#include <libssh2_sftp.h>

static inline LIBSSH2_SESSION *hl_session_init(void) { return libssh2_session_init(); }

// A "session" channel with our own window and packet sizes (throughput depends on the window).
static inline LIBSSH2_CHANNEL *hl_channel_open_session(LIBSSH2_SESSION *session,
                                                       unsigned int window, unsigned int packet) {
    return libssh2_channel_open_ex(session, "session", sizeof("session") - 1, window, packet,
                                   NULL, 0);
}

static inline int hl_channel_exec(LIBSSH2_CHANNEL *channel, const char *command) {
    return libssh2_channel_exec(channel, command);
}

static inline int hl_channel_setenv(LIBSSH2_CHANNEL *channel, const char *name, const char *value) {
    return libssh2_channel_setenv(channel, name, value);
}

static inline ssize_t hl_channel_read(LIBSSH2_CHANNEL *channel, void *buffer, size_t length) {
    return libssh2_channel_read(channel, (char *)buffer, length);
}

static inline ssize_t hl_channel_read_stderr(LIBSSH2_CHANNEL *channel, void *buffer, size_t length) {
    return libssh2_channel_read_stderr(channel, (char *)buffer, length);
}

static inline ssize_t hl_channel_write(LIBSSH2_CHANNEL *channel, const void *buffer, size_t length) {
    return libssh2_channel_write(channel, (const char *)buffer, length);
}

static inline int hl_session_disconnect(LIBSSH2_SESSION *session, const char *why) {
    return libssh2_session_disconnect(session, why);
}

static inline LIBSSH2_SFTP_HANDLE *hl_sftp_open_for_writing(LIBSSH2_SFTP *sftp, const char *path,
                                                            long mode) {
    return libssh2_sftp_open(sftp, path,
                             LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC, mode);
}

static inline ssize_t hl_sftp_write(LIBSSH2_SFTP_HANDLE *handle, const void *buffer, size_t length) {
    return libssh2_sftp_write(handle, (const char *)buffer, length);
}

#endif
