import HomelabCore

/// A Talos file that cannot be used (a secrets bundle, a talosconfig, a template or patch, the
/// inventory's talos section), located in its file. Messages name keys and what is wrong with
/// them, never a value: these files hold the cluster's keys.
public struct TalosFileError: Error, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
