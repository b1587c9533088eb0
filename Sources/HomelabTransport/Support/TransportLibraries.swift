import COpenSSL

/// Process-wide set-up of the C libraries the transports stand on.
public enum TransportLibraries {
    /// OpenSSL's own exit handler frees its global locks when the process exits, while a thread
    /// may still be in OpenSSL (an HTTP/2 connection closing, a deinit on another thread): homelab
    /// crashed that way after a run that had succeeded (SIGSEGV in pthread_rwlock_unlock at exit).
    /// OPENSSL_INIT_NO_ATEXIT keeps the handler from being installed; it must be passed to the
    /// first initialisation, so the CLI calls this first thing and libcurl's and libssh2's own
    /// initialisation go through it too.
    public static let prepared: Bool = OPENSSL_init_crypto(UInt64(OPENSSL_INIT_NO_ATEXIT), nil) == 1
}
