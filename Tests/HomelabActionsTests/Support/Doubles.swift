import Foundation
import HomelabActions
import HomelabCore

/// An ActionContext that records messages and pauses without waiting: its clock is virtual, so
/// time passes only by the pauses an action asks for.
final class RecordingContext: ActionContext, @unchecked Sendable {
    let virtualClock = VirtualClock()
    var clock: any RunClock { virtualClock }
    private let lock = NSLock()
    private var _messages: [String] = []
    private var _slept: Duration = .zero

    var messages: [String] { lock.withLock { _messages } }
    var slept: Duration { lock.withLock { _slept } }

    func report(_ message: String) { lock.withLock { _messages.append(message) } }
    func approve(_ message: String) async throws -> String { throw ActionError("nobody to ask in tests") }
    func sleep(for duration: Duration) async throws {
        lock.withLock { _slept += duration }
        try await virtualClock.sleep(for: duration)
    }
}

/// A WebClient double: answers from a script, records every request.
final class ScriptedWeb: WebClient, @unchecked Sendable {
    enum Answer {
        case response(WebResponse)
        case failure(any Error)
        /// Answers after a (real) while, like a slow push server.
        case slow(Duration, WebResponse)
    }

    private let lock = NSLock()
    private var script: [Answer]
    private var _requests: [WebRequest] = []
    private var inFlight = 0
    private var _maxInFlight = 0

    init(_ script: [Answer]) { self.script = script }

    var requests: [WebRequest] { lock.withLock { _requests } }
    /// The most requests that were waiting for their answers at the same time.
    var maxInFlight: Int { lock.withLock { _maxInFlight } }

    func fetch(_ request: WebRequest) async throws -> WebResponse {
        let answer: Answer = lock.withLock {
            _requests.append(request)
            inFlight += 1
            _maxInFlight = max(_maxInFlight, inFlight)
            return script.count > 1 ? script.removeFirst() : script[0]
        }
        defer { lock.withLock { inFlight -= 1 } }
        switch answer {
        case .response(let response): return response
        case .failure(let error): throw error
        case .slow(let delay, let response):
            try await Task.sleep(for: delay)
            return response
        }
    }
}

/// A RemoteShell double: one canned result, records commands and targets.
final class ScriptedShell: RemoteShell, @unchecked Sendable {
    private let lock = NSLock()
    private let result: RemoteResult
    private var _calls: [(RemoteCommand, SSHTarget)] = []

    init(_ result: RemoteResult) { self.result = result }

    var calls: [(RemoteCommand, SSHTarget)] { lock.withLock { _calls } }

    func run(_ command: RemoteCommand, on target: SSHTarget) async throws -> RemoteResult {
        lock.withLock { _calls.append((command, target)) }
        return result
    }
}

/// A RunObserver that keeps every update, for runs driven through RunSession.
final class RecordingObserver: RunObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var _updates: [RunUpdate] = []
    var updates: [RunUpdate] { lock.withLock { _updates } }
    func update(_ update: RunUpdate) { lock.withLock { _updates.append(update) } }
}

struct TransportDown: Error, CustomStringConvertible {
    var description: String { "connection refused" }
}
