import Foundation

/// Runs blocking work (starting or stopping a fixture process, waiting on a pipe) on a thread of
/// its own and awaits it. Swift's cooperative pool has one thread per core (two here); a test
/// that blocks one of them for seconds holds back every other test of the process, whose calls
/// then time out without having been slow at all.
public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}

/// A fixture several tests share, started once by the first test that asks for it (off the
/// cooperative pool) and left running until the test process ends (it exits when our end of its
/// stdin closes).
public actor SharedFixture {
    private let script: String
    private let arguments: [String]
    private var started: Task<LabFixture, any Error>?

    public init(_ script: String, _ arguments: [String] = []) {
        self.script = script
        self.arguments = arguments
    }

    public func get() async throws -> LabFixture {
        if let started { return try await started.value }
        let (script, arguments) = (script, arguments)
        let task = Task { try await LabFixture.start(script, arguments) }
        started = task
        return try await task.value
    }
}
