/// A secret the runbook declares: where its value comes from, never the value itself.
/// `plan` shows secrets as `<secret:name>` and never reads them.
public struct Secret: Sendable {
    public enum Source: Sendable, Equatable {
        case environment(String)
        case file(String)
        case command(String)

        public var kind: String {
            switch self {
            case .environment: "env"
            case .file: "file"
            case .command: "command"
            }
        }

        /// Where the value comes from (a variable name, a path, a command): not secret itself.
        public var reference: String {
            switch self {
            case .environment(let name), .file(let name), .command(let name): name
            }
        }
    }

    public var name: String
    public var location: SourceLocation
    public var source: Source
    public var description: String?

    public init(name: String, location: SourceLocation, source: Source, description: String? = nil) {
        self.name = name
        self.location = location
        self.source = source
        self.description = description
    }
}
