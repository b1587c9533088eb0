import Foundation
import Synchronization

/// Receives a remote command's stdout or stderr piece by piece, as it arrives.
/// Called on the connection's own thread: return quickly; while it runs, the server is held back
/// (that is the backpressure). The bytes are only valid during the call.
public protocol SSHOutputSink: Sendable {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// False while the sink cannot take more without blocking: the execution then leaves that
    /// stream unread (the server's window fills and the command waits) until the sink's owner
    /// rings the connection's wake pipe.
    var hasRoom: Bool { get }
}

extension SSHOutputSink {
    public var hasRoom: Bool { true }
}

/// A sink made of a closure.
public struct SSHOutputHandler: SSHOutputSink {
    private let body: @Sendable (UnsafeRawBufferPointer) throws -> Void

    public init(_ body: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void) {
        self.body = body
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws { try body(bytes) }
}

/// Drops everything (for commands whose output nobody reads).
public struct SSHDiscardOutput: SSHOutputSink {
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) throws {}
}

/// Keeps output in memory up to a limit, for small commands (`SSHClient.run`).
final class SSHCollectedOutput: SSHOutputSink, Sendable {
    private let collected = Mutex<[UInt8]>([])
    private let limit: Int
    private let name: String

    struct TooLarge: Error, CustomStringConvertible {
        let name: String, limit: Int
        var description: String { "\(name) exceeded \(limit) bytes; stream it to a sink instead of collecting it" }
    }

    init(name: String, limit: Int) {
        self.name = name
        self.limit = limit
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try collected.withLock { collected in
            guard collected.count + bytes.count <= limit else { throw TooLarge(name: name, limit: limit) }
            collected.append(contentsOf: bytes)
        }
    }

    var bytes: [UInt8] { collected.withLock { $0 } }
}
