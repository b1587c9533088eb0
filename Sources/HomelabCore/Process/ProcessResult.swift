/// How a program ended and what it printed (each stream capped as `OutputCap` says).
public struct ProcessResult: Sendable, Equatable {
    /// The exit status, or 128 + the signal's number when a signal ended it (as shells report it).
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String = "", stderr: String = "") {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}
