/// Custom metadata sent as request headers. Keys are checked when added, so a bad key fails where
/// it is written rather than as a confusing server error; `-bin` keys carry bytes (sent base64).
public struct GRPCMetadata: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case text(String)
        case binary([UInt8])
    }

    public struct Entry: Sendable, Equatable {
        public let key: String
        public let value: Value
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// Adds a text value: printable ASCII only (gRPC's rule), under a key not ending in `-bin`.
    public mutating func add(_ key: String, _ text: String) throws(GRPCMetadataError) {
        try Self.check(key)
        if key.hasSuffix("-bin") {
            throw GRPCMetadataError(key: key, reason: "keys ending in -bin carry bytes; add the value with add(_:binary:)")
        }
        if let offset = Array(text.utf8).firstIndex(where: { $0 < 0x20 || $0 > 0x7E }) {
            throw GRPCMetadataError(
                key: key,
                reason: "the value has a byte outside printable ASCII at offset \(offset); send it under a key ending in -bin instead")
        }
        entries.append(Entry(key: key, value: .text(text)))
    }

    /// Adds a binary value under a key ending in `-bin`.
    public mutating func add(_ key: String, binary: [UInt8]) throws(GRPCMetadataError) {
        try Self.check(key)
        guard key.hasSuffix("-bin") else {
            throw GRPCMetadataError(key: key, reason: "binary values need a key ending in -bin (e.g. \(key)-bin)")
        }
        entries.append(Entry(key: key, value: .binary(binary)))
    }

    /// These entries, then `other`'s (per-call metadata after the client's).
    func merged(with other: GRPCMetadata) -> GRPCMetadata {
        var result = self
        result.entries += other.entries
        return result
    }

    /// Header fields; binary values as unpadded base64, as gRPC implementations are told to emit.
    var headerFields: [(String, String)] {
        entries.map { entry in
            switch entry.value {
            case .text(let text): (entry.key, text)
            case .binary(let bytes): (entry.key, String(Base64.encode(bytes).prefix { $0 != "=" }))
            }
        }
    }

    /// Headers the gRPC call itself sets, or that HTTP/2 forbids; a custom value would clash.
    static let reservedKeys: Set<String> = [
        "content-type", "te", "user-agent", "host", "connection", "keep-alive",
        "proxy-connection", "transfer-encoding", "upgrade",
    ]

    static func check(_ key: String) throws(GRPCMetadataError) {
        guard !key.isEmpty else { throw GRPCMetadataError(key: key, reason: "the key is empty") }
        let allowed = key.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
        guard allowed else {
            throw GRPCMetadataError(key: key, reason: "keys may only use lower-case letters, digits, '_', '.' and '-' (try \"\(key.lowercased())\")")
        }
        guard !key.hasPrefix("grpc-") else {
            throw GRPCMetadataError(key: key, reason: "keys starting with grpc- are reserved for gRPC itself")
        }
        guard !reservedKeys.contains(key) else {
            throw GRPCMetadataError(key: key, reason: "the call sets this header itself")
        }
    }
}
