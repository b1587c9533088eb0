/// What to run: the program and its arguments, its environment and working directory.
public struct ProcessCommand: Sendable, Equatable {
    /// The program first: a path, or a name looked up in homelab's own `PATH`.
    public var arguments: [String]
    /// The whole environment of the program (nil: homelab's own).
    public var environment: [String: String]?
    /// Where it runs (nil: homelab's working directory).
    public var directory: String?
    /// What the program reads on standard input (empty: /dev/null). It goes through a pipe filled
    /// before the program starts, so it is on no command line and in no file: the way to hand a
    /// program a key (ansible-playbook's vault password). At most `maximumInput` bytes, which a
    /// pipe holds without a reader.
    public var input: [UInt8]

    public static let maximumInput = 16 * 1024

    public init(_ arguments: [String], environment: [String: String]? = nil, directory: String? = nil, input: [UInt8] = []) {
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
        self.input = input
    }
}
