import Testing

@testable import HomelabCore

/// The probe and the effect share one retry loop: the same step retry policy bounds both (how
/// many tries, which backoff), so a read and a write that fail alike are retried alike.
@Suite struct StepRetryLoopTests {
    static let runbook = """
        runbook: t
        steps:
          - { id: vm, uses: script, retry: { attempts: 3, backoff: 2s, max-backoff: 3s } }
        """

    @Test func probeAndEffectWaitTheSameBackoffsBetweenTheSameNumberOfTries() async throws {
        let probeClock = VirtualClock()
        let probing = try ScriptedRun(Self.runbook, clock: probeClock)
        probing.script.probing("vm", .fail(retryable: true), .fail(retryable: true), .satisfied)
        let (probed, _) = try await probing.run(jitter: 0.5)
        #expect(probed.results["vm"] == .satisfied("scripted: already done"))
        #expect(probing.script.probeCount("vm") == 3)

        let runClock = VirtualClock()
        let running = try ScriptedRun(Self.runbook, clock: runClock)
        running.script.on("vm", .fail(retryable: true), .fail(retryable: true), .succeed([:]))
        let (ran, journal) = try await running.run(jitter: 0.5)
        #expect(ran.results["vm"] == .succeeded)
        #expect(journal.filter { $0.event.kind == .stepStarted }.count == 3)

        // 2 s, then 4 s capped at 3 s; half fixed, half jitter (0.5): 1.5 s and 2.25 s.
        #expect(probeClock.sleeps == [.milliseconds(1_500), .milliseconds(2_250)])
        #expect(runClock.sleeps == probeClock.sleeps)
    }

    /// How many times the probe is asked when it keeps failing so, and how many attempts the
    /// effect gets when it keeps failing so.
    static func tries(retryable: Bool) async throws -> (probes: Int, attempts: Int) {
        let probing = try ScriptedRun(runbook)
        probing.script.probing("vm", .fail(retryable: retryable))
        _ = try await probing.run()
        let running = try ScriptedRun(runbook)
        running.script.on("vm", .fail(retryable: retryable))
        let (_, journal) = try await running.run()
        return (probing.script.probeCount("vm"), journal.filter { $0.event.kind == .stepStarted }.count)
    }

    @Test func probeAndEffectStopAtTheSameAttemptCount() async throws {
        let tries = try await Self.tries(retryable: true)
        #expect(tries.probes == 3)
        #expect(tries.attempts == 3)
    }

    @Test func neitherRetriesAFailureThatWillNotPass() async throws {
        let tries = try await Self.tries(retryable: false)
        #expect(tries.probes == 1)
        #expect(tries.attempts == 1)
    }
}
