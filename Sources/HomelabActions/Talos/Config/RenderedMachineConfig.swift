import HomelabCore

/// A node's machine config: the documents, their YAML, and a copy with every secret masked as
/// `<secret:certs.os.key>` (the bundle's own key names) for showing.
public struct RenderedMachineConfig: Sendable {
    public let node: String
    public let documents: [Value]
    public let text: String
    public let masked: String
    /// The files it was made from, in the order they were applied.
    public let sources: [String]
}
