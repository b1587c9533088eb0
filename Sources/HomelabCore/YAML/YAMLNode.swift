/// A composed YAML document with a source location on every node. The loader builds it from
/// Yams' tree under a budget, so nothing downstream can be made to walk an alias bomb.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        case scalar(Scalar)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    public struct Scalar: Sendable, Hashable {
        public var text: String
        /// Plain scalars get YAML 1.2 core-schema typing (null, bool, int, float); quoted and
        /// block scalars are always strings.
        public var isPlain: Bool
        /// Quoted scalars start one column after their node location.
        public var isQuoted: Bool

        public init(text: String, isPlain: Bool = true, isQuoted: Bool = false) {
            self.text = text
            self.isPlain = isPlain
            self.isQuoted = isQuoted
        }
    }

    public struct Pair: Sendable {
        public var key: YAMLNode
        public var value: YAMLNode

        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    public var scalar: Scalar? {
        if case .scalar(let scalar) = kind { return scalar }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    public var mapping: [Pair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    /// The scalar's text when the node is a string-like scalar (any scalar but null).
    public var string: String? {
        guard let scalar, !isNull else { return nil }
        return scalar.text
    }

    public var isNull: Bool {
        guard let scalar, scalar.isPlain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.text)
    }

    /// The value for `key` in a mapping whose keys are strings.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.string == key }?.value
    }

    /// What a user calls this kind of node in an error message.
    public var kindName: String {
        switch kind {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar: return Value(self).kindName
        }
    }

    /// Where the text of a scalar starts (past its opening quote).
    public var textLocation: SourceLocation {
        guard let scalar, scalar.isQuoted else { return location }
        return location.offset(by: 1)
    }
}
