import Testing

@testable import HomelabCore

/// A step's probe at run time: a read that fails for a passing reason is tried again with the
/// step's backoff (a 596 must not end a recovery); a lasting failure fails the step, named.
@Suite struct StepProbeTests {
    static let runbook = """
        runbook: t
        steps:
          - { id: vm, uses: script, retry: { attempts: 3, backoff: 2s, max-backoff: 10s } }
        """

    @Test func aProbeThatFailsOnceIsAskedAgainAndItsAnswerCounts() async throws {
        let clock = VirtualClock()
        let run = try ScriptedRun(Self.runbook, clock: clock)
        run.script.probing("vm", .fail(retryable: true), .satisfied)
        let (result, _) = try await run.run(jitter: 0.5)
        #expect(result.results["vm"] == .satisfied("scripted: already done"))
        #expect(run.script.probeCount("vm") == 2)
        #expect(run.script.started.isEmpty, "the step ran although its probe found it done")
        #expect(clock.sleeps == [.milliseconds(1_500)])
    }

    @Test func aProbeThatKeepsFailingFailsTheStepAfterItsAttempts() async throws {
        let run = try ScriptedRun(Self.runbook)
        run.script.probing("vm", .fail(retryable: true))
        let (result, _) = try await run.run()
        #expect(run.script.probeCount("vm") == 3)
        guard case .failed(let message) = result.results["vm"] else {
            Issue.record("not failed: \(String(describing: result.results["vm"]))")
            return
        }
        #expect(message.contains("checking whether 'vm' is already done failed: scripted probe failure"))
        #expect(run.script.started.isEmpty)
    }

    @Test func aProbeRefusedForGoodIsNotAskedAgain() async throws {
        let run = try ScriptedRun(Self.runbook)
        run.script.probing("vm", .fail(retryable: false))
        let (result, _) = try await run.run()
        #expect(run.script.probeCount("vm") == 1)
        #expect({ if case .failed = result.results["vm"] { true } else { false } }())
    }
}
