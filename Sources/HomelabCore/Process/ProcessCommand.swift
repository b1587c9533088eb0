/// What to run: the program and its arguments, its environment and working directory.
public struct ProcessCommand: Sendable, Equatable {
    /// The program first: a path, or a name looked up in homelab's own `PATH`.
    public var arguments: [String]
    /// The whole environment of the program (nil: homelab's own).
    public var environment: [String: String]?
    /// Where it runs (nil: homelab's working directory).
    public var directory: String?

    public init(_ arguments: [String], environment: [String: String]? = nil, directory: String? = nil) {
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
    }
}
