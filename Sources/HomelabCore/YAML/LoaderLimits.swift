/// Bounds on what the loader accepts, so a hostile or broken file is refused quickly and clearly
/// instead of hanging or exhausting memory.
public struct LoaderLimits: Sendable {
    /// Largest file read, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of sequences and mappings.
    public var maxDepth: Int
    /// Most nodes in the composed tree, aliases expanded.
    public var maxNodes: Int
    /// Most nodes that aliases may add beyond what the text itself spells out (a "billion laughs"
    /// is refused by this one).
    public var maxAliasExpansion: Int

    public init(maxBytes: Int = 16 << 20, maxDepth: Int = 64, maxNodes: Int = 2_000_000, maxAliasExpansion: Int = 10_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
        self.maxAliasExpansion = maxAliasExpansion
    }

    public static let `default` = LoaderLimits()
}
