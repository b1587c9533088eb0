/// One generated file: its path relative to the repository root and its full text.
public struct ScaffoldFile: Sendable, Equatable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}
