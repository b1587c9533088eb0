/// Metadata that cannot be sent: which key and why. The value is never shown (it may be a token).
public struct GRPCMetadataError: Error, Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let reason: String

    public var description: String { "gRPC metadata key \"\(key)\": \(reason)." }
}
