import CSSH2
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Strict host key checking against known_hosts (libssh2_knownhost_checkp), with accept-new.
enum SSHHostKeyVerifier {
    static func verify(_ session: LibSSH2Session, configuration: SSHConfiguration, file: SSHKnownHostsFile) throws {
        let endpoint = configuration.endpoint
        var length = 0
        var type: Int32 = 0
        guard let key = libssh2_session_hostkey(session.raw, &length, &type) else {
            throw SSHError.handshakeFailed(endpoint: endpoint, reason: "the server presented no host key")
        }
        let blob = UnsafeRawBufferPointer(start: key, count: length)
        let (keyType, mask) = describe(type)
        let presented = SSHFingerprint.sha256(blob: blob)

        guard let known = LibSSH2KnownHosts(session: session) else {
            throw SSHError.knownHostsUnusable(path: file.path, reason: "libssh2 could not allocate a known-hosts list")
        }
        // Line by line rather than libssh2_knownhost_readfile: one line libssh2 1.10 cannot parse
        // (a newer key type, a marker) would make readfile drop the whole file.
        for line in file.lines { _ = known.add(line: line.text) }

        let entries = file.entries(host: configuration.host, port: configuration.port)
        switch known.check(host: configuration.host, port: configuration.port, key: blob, keyTypeMask: mask) {
        case .match:
            return
        case .mismatch(let knownBase64):
            let entry = entries.first { $0.keyType == keyType || ($0.keyType == "ssh-rsa" && keyType == "ssh-rsa") }
            let knownFingerprint = (entry?.keyBase64 ?? knownBase64).flatMap(SSHFingerprint.sha256(base64Blob:)) ?? "unknown"
            throw SSHError.hostKeyChanged(
                endpoint: endpoint, keyType: keyType, presented: presented,
                known: knownFingerprint, knownHosts: file.path, line: entry?.line)
        case .notFound:
            // Known under another key type only: the server changed its key type, treat as changed.
            if let other = entries.first {
                throw SSHError.hostKeyChanged(
                    endpoint: endpoint, keyType: keyType, presented: presented,
                    known: "\(other.keyType) \(SSHFingerprint.sha256(base64Blob: other.keyBase64) ?? "?")",
                    knownHosts: file.path, line: other.line)
            }
            guard configuration.hostKeyPolicy == .acceptNew else {
                throw SSHError.hostKeyUnknown(endpoint: endpoint, keyType: keyType, fingerprint: presented, knownHosts: file.path)
            }
            try record(host: configuration.host, port: configuration.port, keyType: keyType, blob: blob, path: file.path)
        case .failure:
            throw SSHError.knownHostsUnusable(path: file.path, reason: "libssh2 could not check the host key: \(session.lastErrorMessage)")
        }
    }

    /// accept-new: appends one line (never rewrites the file, so concurrent writers lose nothing).
    static func record(host: String, port: Int, keyType: String, blob: UnsafeRawBufferPointer, path: String) throws {
        let name = port == 22 ? host : "[\(host)]:\(port)"
        var line = "\(name) \(keyType) \(Data(blob).base64EncodedString())\n"
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SSHError.knownHostsUnusable(path: path, reason: "cannot append to it: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        if endsWithoutNewline(path) { line = "\n" + line }
        let bytes = Array(line.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw SSHError.knownHostsUnusable(path: path, reason: "cannot append to it: \(String(cString: strerror(errno)))")
        }
    }

    private static func endsWithoutNewline(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), size > 0 else { return false }
        try? handle.seek(toOffset: size - 1)
        return (try? handle.read(upToCount: 1))?.first != UInt8(ascii: "\n")
    }

    /// The known_hosts name of a libssh2 host key type and libssh2's knownhost type bits for it.
    static func describe(_ type: Int32) -> (String, Int32) {
        switch type {
        case LIBSSH2_HOSTKEY_TYPE_RSA: ("ssh-rsa", LIBSSH2_KNOWNHOST_KEY_SSHRSA)
        case LIBSSH2_HOSTKEY_TYPE_DSS: ("ssh-dss", LIBSSH2_KNOWNHOST_KEY_SSHDSS)
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: ("ecdsa-sha2-nistp256", LIBSSH2_KNOWNHOST_KEY_ECDSA_256)
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: ("ecdsa-sha2-nistp384", LIBSSH2_KNOWNHOST_KEY_ECDSA_384)
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: ("ecdsa-sha2-nistp521", LIBSSH2_KNOWNHOST_KEY_ECDSA_521)
        case LIBSSH2_HOSTKEY_TYPE_ED25519: ("ssh-ed25519", LIBSSH2_KNOWNHOST_KEY_ED25519)
        default: ("unknown", LIBSSH2_KNOWNHOST_KEY_UNKNOWN)
        }
    }
}
