/// What a remote command reads on its standard input.
public struct SSHInput: Sendable {
    enum Source: Sendable {
        case none
        case bytes([UInt8])
        case file(String)
        case stream(@Sendable (SSHInputBuffer) async throws -> Void)
    }

    let source: Source

    /// No input: the command sees end-of-file at once.
    public static let none = SSHInput(source: .none)

    /// A few bytes held in memory.
    public static func bytes(_ bytes: [UInt8]) -> SSHInput { SSHInput(source: .bytes(bytes)) }

    public static func text(_ text: String) -> SSHInput { SSHInput(source: .bytes(Array(text.utf8))) }

    /// A local file, read in large blocks on the connection's thread (never loaded whole).
    public static func file(_ path: String) -> SSHInput { SSHInput(source: .file(path)) }

    /// Chunks from an async producer; at most a few MiB wait in memory, the producer is
    /// suspended while the server is slower (backpressure).
    public static func chunks<S: AsyncSequence & Sendable>(_ sequence: S) -> SSHInput where S.Element == [UInt8] {
        SSHInput(
            source: .stream({ buffer in
                for try await chunk in sequence { try await buffer.push(chunk) }
            }))
    }

    /// Chunks pushed by `produce` through the `write` it is handed (for producers that push, such
    /// as a download); `write` suspends while a few MiB wait (backpressure).
    public static func producer(_ produce: @escaping @Sendable (_ write: @escaping @Sendable ([UInt8]) async throws -> Void) async throws -> Void) -> SSHInput {
        SSHInput(source: .stream({ buffer in try await produce { chunk in try await buffer.push(chunk) } }))
    }

    /// Nothing is sent, but stdin stays open until the command ends: a command that reads it
    /// sees its end only when the client goes away (killed, cancelled, connection lost), which
    /// a remote pipeline that reads nothing else can use as its cue to stop.
    public static let heldOpen = SSHInput(
        source: .stream({ _ in
            while true { try await Task.sleep(for: .seconds(3600)) }
        }))
}
