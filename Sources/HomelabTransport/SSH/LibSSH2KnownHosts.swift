import CSSH2

/// libssh2's known-hosts collection for one check; freed exactly once.
final class LibSSH2KnownHosts {
    let raw: OpaquePointer

    init?(session: LibSSH2Session) {
        guard let raw = libssh2_knownhost_init(session.raw) else { return nil }
        self.raw = raw
    }

    deinit { libssh2_knownhost_free(raw) }

    /// Adds one known_hosts line; false when libssh2 cannot parse it (unsupported key type...).
    func add(line: String) -> Bool {
        line.withCString { libssh2_knownhost_readline(raw, $0, strlen($0), LIBSSH2_KNOWNHOST_FILE_OPENSSH) == 0 }
    }

    enum Outcome {
        case match
        case mismatch(knownKeyBase64: String?)
        case notFound
        case failure
    }

    func check(host: String, port: Int, key: UnsafeRawBufferPointer, keyTypeMask: Int32) -> Outcome {
        var found: UnsafeMutablePointer<libssh2_knownhost>?
        let typemask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | keyTypeMask
        let rc = libssh2_knownhost_checkp(
            raw, host, Int32(port), key.baseAddress?.assumingMemoryBound(to: CChar.self),
            key.count, typemask, &found)
        switch rc {
        case LIBSSH2_KNOWNHOST_CHECK_MATCH: return .match
        case LIBSSH2_KNOWNHOST_CHECK_MISMATCH: return .mismatch(knownKeyBase64: found?.pointee.key.map { String(cString: $0) })
        case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND: return .notFound
        default: return .failure
        }
    }
}
