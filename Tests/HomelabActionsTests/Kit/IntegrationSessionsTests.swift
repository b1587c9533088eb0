import HomelabCore
import Synchronization
import Testing

@testable import HomelabActions

/// The one-line opening of an integration action: connect, run, and map every failure,
/// connecting included, through the integration's own mapping.
struct IntegrationSessionsTests {
    struct Refusal: Error {}
    struct Mapped: Error, Equatable { var what: String }

    struct Sessions: IntegrationSessions {
        var refuse = false
        func open(_ target: String, context: any ActionContext) async throws -> String {
            if refuse { throw Refusal() }
            return "session to \(target)"
        }
        func failure(_ error: any Error, target: String) -> any Error {
            error is Refusal ? Mapped(what: "\(target) refused") : error
        }
    }

    @Test func theBodyRunsInTheOpenedSession() async throws {
        let result = try await Sessions().within("pve", context: RecordingContext()) { session in session.uppercased() }
        #expect(result == "SESSION TO PVE")
    }

    @Test func connectFailuresAndBodyFailuresAreMappedAlike() async {
        await #expect(throws: Mapped(what: "pve refused")) {
            try await Sessions(refuse: true).within("pve", context: RecordingContext()) { _ in 1 }
        }
        await #expect(throws: Mapped(what: "pve refused")) {
            try await Sessions().within("pve", context: RecordingContext()) { _ -> Int in throw Refusal() }
        }
        await #expect(throws: CancellationError.self) {
            try await Sessions().within("pve", context: RecordingContext()) { _ -> Int in throw CancellationError() }
        }
    }

    /// Counts the sessions it closed: what a shared SSH login needs, however the step ends.
    final class Closing: IntegrationSessions {
        let closed = Mutex(0)
        func open(_ target: String, context: any ActionContext) async throws -> String { target }
        func failure(_ error: any Error, target: String) -> any Error { error }
        func close(_ session: String) async { closed.withLock { $0 += 1 } }
    }

    @Test func theSessionIsClosedWhetherTheBodySucceedsFailsOrIsCancelled() async throws {
        let sessions = Closing()
        _ = try await sessions.within("pve", context: RecordingContext()) { _ in 1 }
        #expect(sessions.closed.withLock { $0 } == 1)
        await #expect(throws: Refusal.self) {
            try await sessions.within("pve", context: RecordingContext()) { _ -> Int in throw Refusal() }
        }
        #expect(sessions.closed.withLock { $0 } == 2)
        let step = Task {
            try await sessions.within("pve", context: RecordingContext()) { _ in try await Task.sleep(for: .seconds(3600)) }
        }
        step.cancel()
        await #expect(throws: CancellationError.self) { try await step.value }
        #expect(sessions.closed.withLock { $0 } == 3)
    }

    @Test func proxmoxFailuresBecomeRedactedActionErrors() async throws {
        let inputs = try ProxmoxInputs.resolve(ProxmoxLab.call([:]))
        let sessions = ProxmoxSessions(connector: NoProxmox())
        let failure = await ProxmoxLab.failure {
            _ = try await sessions.within(inputs, context: RecordingContext()) { _ in 1 }
        }
        #expect(failure?.message == "connect https://192.168.10.2:8006/api2/json: no Proxmox connection is available here")
        let leaked = sessions.failure(ActionError("token \(ProxmoxLab.secret) refused", retryable: true), target: inputs) as? ActionError
        #expect(leaked?.message == "token <secret> refused")
        #expect(leaked?.isRetryable == true)
    }
}
