/// How the client decides to trust a server's TLS certificate.
public enum HTTPServerTrust: Sendable, Equatable {
    /// The system's certificate authorities (the default).
    case systemAuthorities
    /// Only this certificate authority, PEM in memory (a cluster CA from a Talos secrets bundle).
    case certificateAuthority(pem: String)
    /// Only the certificate authorities in this PEM file.
    case certificateAuthorityFile(path: String)
    /// The server's certificate must have this SHA-256 fingerprint (the `AA:BB:..` form Proxmox
    /// shows). The chain and host name are not checked: this is how self-signed hosts are trusted.
    case pinnedCertificate(HTTPCertificateFingerprint)
    /// The server's public key must hash to this pin (`sha256//BASE64`, curl's form).
    case pinnedPublicKey(HTTPPublicKeyPin)
    /// No verification at all: only for Talos maintenance mode, which has no certificate yet.
    case insecureNoVerification

    var isPinned: Bool {
        switch self {
        case .pinnedCertificate, .pinnedPublicKey: true
        default: false
        }
    }
}

/// A SHA-256 certificate fingerprint, normalised to upper-case `AA:BB:..` whatever form it came in.
public struct HTTPCertificateFingerprint: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Accepts `AA:BB:..`, lower case, and plain hex without colons; nil when it is not 32 bytes.
    public init?(_ text: String) {
        let hex = text.filter { $0 != ":" && !$0.isWhitespace }
        guard hex.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.bytes = bytes
    }

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var description: String { Digest.colonHex(bytes) }
}

/// curl's public-key pin: `sha256//` and the base64 SHA-256 of the SubjectPublicKeyInfo DER.
public struct HTTPPublicKeyPin: Sendable, Equatable, CustomStringConvertible {
    public let digest: [UInt8]

    public init?(_ text: String) {
        let prefix = "sha256//"
        guard text.hasPrefix(prefix), let digest = Base64.decode(String(text.dropFirst(prefix.count))),
            digest.count == 32
        else { return nil }
        self.digest = digest
    }

    public init(digest: [UInt8]) { self.digest = digest }

    public var description: String { "sha256//" + Base64.encode(digest) }
}
