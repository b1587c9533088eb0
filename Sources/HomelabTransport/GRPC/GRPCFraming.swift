/// gRPC's length-prefixed messages: 1 flag byte (1 = compressed) and a 4-byte big-endian length.
enum GRPCFraming {
    static let prefixLength = 5
    /// Talos' apid and machined limit, and talosctl's: 32 MiB per message, both directions.
    static let defaultMessageLimit = 32 * 1024 * 1024

    /// The message with its prefix; we never compress, so the flag is always 0.
    static func frame(_ message: [UInt8]) -> [UInt8] {
        let length = UInt32(message.count)
        var framed: [UInt8] = [0, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        framed.reserveCapacity(prefixLength + message.count)
        framed += message
        return framed
    }
}

/// Why a response body is not a valid sequence of gRPC messages.
enum GRPCFramingError: Error, Equatable {
    /// Compressed flag set, though we never offered compression (no grpc-accept-encoding).
    case compressedMessage
    case invalidFlag(UInt8)
    case messageTooLarge(length: Int, limit: Int)
    /// The body ended inside a message.
    case truncated(received: Int, expected: Int)
}
