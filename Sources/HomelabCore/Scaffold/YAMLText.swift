/// A YAML document built in code. Written in the order it is built, so generated files are
/// byte-for-byte the same on every run and read in the order the architecture's examples use.
public indirect enum YAMLText: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    /// A literal block scalar (`|`), for shell scripts and multi-line text.
    case block(String)
    case list([YAMLText])
    case map([Entry])

    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: YAMLText

        public init(_ key: String, _ value: YAMLText) {
            self.key = key
            self.value = value
        }
    }

    /// A mapping from `(key, value)` pairs, keeping their order.
    public static func map(_ pairs: KeyValuePairs<String, YAMLText>) -> YAMLText {
        .map(pairs.map { Entry($0.key, $0.value) })
    }

    /// A list of plain strings.
    public static func strings(_ items: [String]) -> YAMLText {
        .list(items.map(YAMLText.string))
    }
}
