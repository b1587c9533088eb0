import Foundation
import Testing

@testable import HomelabCore

/// The effects and probes of the built-in actions, run for real (a local shell, a short sleep).
@Suite struct BuiltinActionTests {
    let context = RecordingContext()

    @Test func execRunsAShellStringAndReturnsStdout() async throws {
        let outputs = try await Exec().run(ActionCall(step: "s", inputs: ["command": .string("printf 'a\\nb\\n'")]), context: context)
        #expect(outputs["stdout"] == .string("a\nb"))
        #expect(outputs["exit-code"] == .int(0))
    }

    @Test func execRunsArgumentsWithoutAShellAndWithEnvironment() async throws {
        let call = ActionCall(
            step: "s",
            inputs: [
                "command": .list([.string("sh"), .string("-c"), .string("echo \"$GREETING\" $0"), .string("$HOME")]),
                "env": .map([("GREETING", .string("hello"))]),
            ])
        let outputs = try await Exec().run(call, context: context)
        #expect(outputs["stdout"] == .string("hello $HOME"), "list arguments are passed as they are, not expanded by a shell")
    }

    @Test func execFailsOnANonZeroExitAsRetryable() async throws {
        await #expect(throws: ActionError.self) {
            try await Exec().run(ActionCall(step: "s", inputs: ["command": .string("exit 3")]), context: context)
        }
        do {
            _ = try await Exec().run(ActionCall(step: "s", inputs: ["command": .string("exit 3")]), context: context)
        } catch let error as ActionError {
            #expect(error.message == "command exited with status 3")
            #expect(error.isRetryable)
        }
    }

    @Test func execProbeIsSatisfiedWhenItsFileExists() async throws {
        let path = NSTemporaryDirectory() + "homelab-creates-" + UUID().uuidString
        let call = ActionCall(step: "s", inputs: ["command": .string("touch \(path)"), "creates": .string(path)])
        #expect(try await Exec().probe(call, context: context) == .notSatisfied)
        _ = try await Exec().run(call, context: context)
        #expect(try await Exec().probe(call, context: context) == .satisfied("\(path) exists"))
        try FileManager.default.removeItem(atPath: path)
    }

    @Test func waitSleepsForItsDuration() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await Wait().run(ActionCall(step: "s", inputs: ["duration": .string("50ms")]), context: context)
        #expect(clock.now - start >= .milliseconds(50))
    }

    @Test func failFailsUntilItsAttemptsAreUsedUp() async throws {
        let inputs: [String: Value] = ["message": .string("boom"), "succeed-after": .int(2)]
        for attempt in 1...2 {
            await #expect(throws: ActionError.self) {
                try await Fail().run(ActionCall(step: "s", inputs: inputs, attempt: attempt), context: context)
            }
        }
        #expect(try await Fail().run(ActionCall(step: "s", inputs: inputs, attempt: 3), context: context).isEmpty)
    }

    @Test func approvalRecordsWhoApproved() async throws {
        let outputs = try await Approval().run(ActionCall(step: "s", inputs: ["message": .string("Wipe?")]), context: context)
        #expect(outputs["approved-by"] == .string("tester@lab"))
        #expect(context.asked == ["Wipe?"])
    }
}

/// An action context that approves everything and remembers what it was asked; its programs
/// spool into a private directory of its own, removed with it.
final class RecordingContext: ActionContext, @unchecked Sendable {
    let spool = SpoolDirectory.temporary()
    var processes: any LocalProcess { SpawnedProcess(spool: spool) }
    let clock: any RunClock = LiveClock()
    private let lock = NSLock()
    private var _asked: [String] = []
    var asked: [String] { lock.withLock { _asked } }

    func report(_ message: String) {}

    func approve(_ message: String) async throws -> String {
        lock.withLock { _asked.append(message) }
        return "tester@lab"
    }

    deinit {
        spool.remove()
    }
}
