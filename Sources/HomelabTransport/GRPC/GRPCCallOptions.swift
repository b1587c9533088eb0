/// Per-call settings.
public struct GRPCCallOptions: Sendable {
    /// The call's deadline, counted from its start: sent as `grpc-timeout` and enforced here too,
    /// so the call ends with DEADLINE_EXCEEDED even if the server stays silent. nil: no deadline.
    public var timeout: Duration?
    /// Sent after the client's own metadata.
    public var metadata: GRPCMetadata

    public init(timeout: Duration? = nil, metadata: GRPCMetadata = GRPCMetadata()) {
        self.timeout = timeout
        self.metadata = metadata
    }
}
