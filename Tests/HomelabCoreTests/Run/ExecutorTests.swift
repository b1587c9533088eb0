import Foundation
import Testing

@testable import HomelabCore

/// The executor with scripted actions: ordering, parallelism, serial groups, retries, timeouts,
/// deadline, failure policy, finally, when, approvals, outputs. Virtual time wherever the
/// test is about durations; real (short) time where it is about overlap.
@Suite struct ExecutorTests {
    func kinds(_ entries: [JournalEntry], _ step: String) -> [String] {
        entries.filter { $0.event.step == step }.map(\.event.kind.rawValue)
    }

    @Test func aStepStartsAsSoonAsItsDependenciesAreDoneNotAtWaveEnd() async throws {
        let run = try ScriptedRun(
            """
            runbook: t
            steps:
              - { id: slow, uses: script }
              - { id: quick, uses: script }
              - { id: after-quick, uses: script, needs: [quick] }
            """, clock: LiveClock())
        // 'slow' ends only once 'after-quick' has started: an engine with wave barriers would
        // hold 'after-quick' back until the limit, and the order below would show it.
        run.script.on("slow", .holdUntil { $0.started.contains("after-quick") })
        let (result, _) = try await run.run()
        #expect(result.outcome == .succeeded)
        let events = run.script.events
        #expect(events.firstIndex(of: "start:after-quick")! < events.firstIndex(of: "end:slow")!)
        #expect(events.firstIndex(of: "end:quick")! < events.firstIndex(of: "start:after-quick")!)
    }

    @Test func parallelismIsCapped() async throws {
        let steps = (1...8).map { "  - { id: s\($0), uses: script }" }.joined(separator: "\n")
        let run = try ScriptedRun("runbook: t\nsteps:\n" + steps, clock: LiveClock())
        // Each step holds on until three have run at once, however slowly they are started.
        for i in 1...8 { run.script.on("s\(i)", .holdUntil { $0.maxRunning >= 3 }) }
        let (result, _) = try await run.run(RunOptions(parallelism: 3))
        #expect(result.outcome == .succeeded)
        #expect(run.script.maxRunning == 3)
    }

    @Test func stepsOfASerialGroupNeverOverlap() async throws {
        let steps = (1...4).map { "  - { id: s\($0), uses: script, serial: disk, with: { serial: disk } }" }.joined(separator: "\n")
        let run = try ScriptedRun("runbook: t\nsteps:\n" + steps + "\n  - { id: free, uses: script }", clock: LiveClock())
        for i in 1...4 { run.script.on("s\(i)", .holdUntil { $0.started.contains("free") }) }
        run.script.on("free", .holdUntil { $0.maxRunning >= 2 }) // until it overlaps a serial step
        let (result, _) = try await run.run(RunOptions(parallelism: 4))
        #expect(result.outcome == .succeeded)
        #expect(!run.script.serialOverlap)
        #expect(run.script.maxRunning == 2, "one of the serial group plus the free step")
    }

    @Test func retriesBackOffExponentiallyWithJitter() async throws {
        let clock = VirtualClock()
        let run = try ScriptedRun(
            """
            runbook: t
            steps:
              - { id: flaky, uses: script, retry: { attempts: 4, backoff: 4s, max-backoff: 10s } }
            """, clock: clock)
        run.script.on("flaky", .fail(retryable: true), .fail(retryable: true), .fail(retryable: true), .succeed([:]))
        let (result, journal) = try await run.run(jitter: 0.5)
        #expect(result.outcome == .succeeded)
        // capped backoff 4s, 8s, 10s; half fixed + half × jitter 0.5 = 3s, 6s, 7.5s
        #expect(clock.sleeps == [.seconds(3), .seconds(6), .milliseconds(7_500)])
        #expect(
            kinds(journal, "flaky") == ["stepStarted", "stepFailed", "stepStarted", "stepFailed", "stepStarted", "stepFailed", "stepStarted", "stepSucceeded"])
    }

    @Test func aFailureThatIsNotRetryableIsNotRetried() async throws {
        let run = try ScriptedRun("runbook: t\nsteps:\n  - { id: bad, uses: script, retry: 5 }")
        run.script.on("bad", .fail(retryable: false))
        let (result, journal) = try await run.run()
        #expect(result.outcome == .failed)
        #expect(run.script.started == ["bad"])
        #expect(journal.last?.event == .stepFailed(step: "bad", attempt: 1, error: "scripted failure of attempt 1", retryable: false, final: true))
    }

    @Test func anAttemptThatOverrunsItsTimeoutIsCancelledAndRetried() async throws {
        let run = try ScriptedRun(
            """
            runbook: t
            steps:
              - { id: stuck, uses: script, timeout: 1s, retry: { attempts: 2, backoff: 10ms } }
            """, clock: LiveClock())
        // 1 s, not less: the second attempt must beat its timer, which a busy test process can
        // hold its task back from for a while (a 100 ms limit once timed out a step that succeeds).
        run.script.on("stuck", .hang, .succeed([:]))
        let (result, journal) = try await run.run()
        #expect(result.outcome == .succeeded)
        #expect(journal.contains { $0.event == .stepFailed(step: "stuck", attempt: 1, error: "timed out after 1s", retryable: true, final: false) })
    }

    @Test func theDeadlineStopsRetries() async throws {
        let run = try ScriptedRun("runbook: t\nsteps:\n  - { id: flaky, uses: script, retry: { attempts: 5, backoff: 4s } }")
        run.script.on("flaky", .fail(retryable: true))
        let (result, _) = try await run.run(RunOptions(deadline: .seconds(8)))
        #expect(result.outcome == .deadlineExceeded)
        #expect(run.script.started == ["flaky", "flaky"], "3s then 6s of backoff: the third attempt would start past 8s")
    }

    @Test func aStepCutOffByTheDeadlineEndsTheRunAsDeadlineExceededNotFailed() async throws {
        let clock = VirtualClock(enforcesTimeouts: true)
        let run = try ScriptedRun(
            """
            runbook: t
            steps:
              - { id: s1, uses: script }
              - { id: s2, uses: script, needs: [s1], timeout: 1m }
              - { id: s3, uses: script, needs: [s2] }
            """, clock: clock)
        run.script.on("s1", .take(.seconds(1)))
        run.script.on("s2", .take(.seconds(10))) // its own timeout allows it; the deadline does not
        let (result, journal) = try await run.run(RunOptions(deadline: .seconds(3)))
        #expect(result.outcome == .deadlineExceeded)
        #expect(result.summary.stopReason == .deadlineExceeded)
        #expect(
            journal.contains {
                $0.event == .stepFailed(step: "s2", attempt: 1, error: "attempt 1 was cut off by the run deadline after 2s", retryable: true, final: true)
            })
        #expect(!run.script.started.contains("s3"))

        // A step's own timeout, nearer than the deadline, is still a failure of the step.
        let own = try ScriptedRun("runbook: t\nsteps:\n  - { id: s, uses: script, timeout: 1s }", clock: VirtualClock(enforcesTimeouts: true))
        own.script.on("s", .take(.seconds(2)))
        let (failed, _) = try await own.run(RunOptions(deadline: .seconds(30)))
        #expect(failed.outcome == .failed)
        #expect(failed.results["s"] == .failed("timed out after 1s"))
    }

    @Test func aFailureStopsNewStepsAndMarksDownstreamQuietly() async throws {
        let run = try ScriptedRun(
            """
            runbook: t
            steps:
              - { id: bad, uses: script }
              - { id: child, uses: script, needs: [bad] }
              - { id: grandchild, uses: script, needs: [child] }
              - { id: independent, uses: script, needs: [other] }
              - { id: other, uses: script }
              - { id: cleanup, uses: script, finally: true }
            """)
        run.script.on("bad", .fail(retryable: false))
        let (result, _) = try await run.run(RunOptions(parallelism: 1))
        #expect(result.outcome == .failed)
        #expect(result.results["child"] == .upstreamFailed("bad"))
        #expect(result.results["grandchild"] == .upstreamFailed("bad"))
        #expect(result.results["cleanup"] == .succeeded, "finally steps run after a failure")
        #expect(!run.script.started.contains("independent"))
        #expect(result.summary.failed == 1 && result.summary.upstreamFailed == 2)
    }

    @Test func keepGoingRunsIndependentBranches() async throws {
        let run = try ScriptedRun(
            """
            runbook: t
            steps:
              - { id: bad, uses: script }
              - { id: child, uses: script, needs: [bad] }
              - { id: other, uses: script, needs: [first] }
              - { id: first, uses: script }
            """)
        run.script.on("bad", .fail(retryable: false))
        let (result, _) = try await run.run(RunOptions(parallelism: 1, keepGoing: true))
        #expect(result.outcome == .failed)
        #expect(result.results["other"] == .succeeded)
        #expect(result.results["child"] == .upstreamFailed("bad"))
    }

    @Test func whenIsDecidedAtRunTimeFromOutputs() async throws {
        let run = try ScriptedRun(
            """
            runbook: t
            steps:
              - { id: probe, uses: script, with: { value: "no" } }
              - { id: only-if-yes, uses: script, when: "${steps.probe.outputs.value == 'yes'}" }
              - { id: only-if-no, uses: script, when: "${steps.probe.outputs.value == 'no'}" }
            """)
        let (result, _) = try await run.run()
        #expect(result.results["only-if-yes"] == .skipped("when: ${steps.probe.outputs.value == 'yes'} is false"))
        #expect(result.results["only-if-no"] == .succeeded)
    }

    @Test func outputsFlowDownstreamAndForEachOutputsAreLists() async throws {
        let run = try ScriptedRun(
            """
            runbook: t
            steps:
              - { id: vm, uses: script, for-each: [a, b], with: { value: "vm-${item}" } }
              - { id: use, uses: script, with: { value: "${steps.vm.outputs.value}" } }
            """)
        let (result, journal) = try await run.run()
        #expect(result.outcome == .succeeded)
        let used = journal.compactMap { entry -> Value? in
            if case .stepSucceeded("use", _, let outputs) = entry.event { return outputs["value"] }
            return nil
        }
        #expect(used == [.list([.string("vm-a"), .string("vm-b")])])
    }

    @Test func anApprovalGateStopsTheRunWhenNobodyCanAnswer() async throws {
        let yaml = """
            runbook: t
            steps:
              - { id: gate, uses: approval, with: { message: Wipe the pool? } }
              - { id: wipe, uses: script, needs: [gate] }
            """
        let stopped = try ScriptedRun(yaml)
        let (result, _) = try await stopped.run(approver: NobodyToAsk())
        #expect(result.outcome == .interrupted)
        #expect(result.summary.stopReason == .waitingForApproval(step: "gate"))
        #expect(result.summary.approvals == [PendingApproval(step: "gate", question: "Wipe the pool?", reason: .gate)], "what is asked, and why")
        #expect(stopped.script.started.isEmpty)

        let approved = try ScriptedRun(yaml)
        let (done, journal) = try await approved.run(approver: AssumeYes())
        #expect(done.outcome == .succeeded)
        #expect(journal.contains { $0.event == .approvalGranted(step: "gate", by: "flag --yes") })
    }

    @Test func destructiveStepsAskOutsideDrillsOnly() async throws {
        let yaml = "runbook: t\nsteps:\n  - { id: wipe, uses: script, destructive: true }"
        let (outside, _) = try await ScriptedRun(yaml).run(approver: NobodyToAsk())
        #expect(outside.outcome == .interrupted)
        #expect(outside.summary.approvals == [PendingApproval(step: "wipe", question: "Step 'wipe' is destructive (script). Run it?", reason: .destructive)])
        let (drill, _) = try await ScriptedRun(yaml).run(RunOptions(isDrill: true), approver: NobodyToAsk())
        #expect(drill.outcome == .succeeded)
    }

    @Test func anInterruptedRunSkipsFinallyAndNewSteps() async throws {
        let run = try ScriptedRun(
            """
            runbook: t
            steps:
              - { id: a, uses: script }
              - { id: b, uses: script, needs: [a] }
              - { id: cleanup, uses: script, finally: true }
            """)
        let control = RunControl()
        control.requestStop(.interrupted(by: "SIGINT"))
        let (result, _) = try await run.run(control: control)
        #expect(result.outcome == .interrupted)
        #expect(run.script.started.isEmpty)
        #expect(result.results["cleanup"] == .notStarted)
    }

    @Test func resumeRestoresDoneStepsAndTheirOutputs() async throws {
        let run = try ScriptedRun(
            """
            runbook: t
            steps:
              - { id: a, uses: script-once, with: { value: from-a } }
              - { id: b, uses: script, with: { value: "${steps.a.outputs.value}" } }
            """)
        var prior = Replay()
        prior.done["a"] = Replay.Done(result: .succeeded, outputs: ["value": .string("restored-a")])
        let (result, journal) = try await run.run(prior: prior)
        #expect(result.outcome == .succeeded)
        #expect(run.script.started == ["b"])
        #expect(journal.contains { if case .stepSucceeded("b", _, let outputs) = $0.event { outputs["value"] == .string("restored-a") } else { false } })
    }

    @Test func anInFlightStepThatIsNotSafeToRepeatNeedsAYes() async throws {
        let yaml = "runbook: t\nsteps:\n  - { id: once, uses: script-once }\n  - { id: again, uses: script }"
        var prior = Replay()
        prior.inFlight = ["once", "again"]
        let asked = try ScriptedRun(yaml)
        let (stopped, _) = try await asked.run(approver: NobodyToAsk(), prior: prior)
        #expect(stopped.outcome == .interrupted)
        #expect(stopped.summary.approvals.map(\.reason) == [.interrupted])
        #expect(stopped.summary.approvals.first?.question.contains("was running when the run stopped") == true)
        #expect(asked.script.started == ["again"], "an idempotent in-flight step is simply run again")
        let confirmed = try ScriptedRun(yaml)
        let (done, _) = try await confirmed.run(approver: AssumeYes(), prior: prior)
        #expect(done.outcome == .succeeded)
    }

    @Test func secretsNeverReachTheJournal() async throws {
        struct Canary: SecretSource {
            func value(of secret: Secret, runbookFile: String) async throws -> String { "canary-9f8e7d" }
        }
        let run = try ScriptedRun(
            """
            runbook: t
            secrets: { token: { env: UNUSED } }
            steps:
              - { id: leak, uses: script, with: { value: "token=${secrets.token}" } }
            """)
        let (result, _) = try await run.run(secrets: Canary())
        #expect(result.outcome == .succeeded)
        let text = try String(contentsOfFile: run.journalPath, encoding: .utf8)
        #expect(!text.contains("canary-9f8e7d"))
        #expect(text.contains("token=<secret:token>"))
    }

    @Test func aForEachOverRunTimeOutputsExpandsWhenItRuns() async throws {
        let yaml = """
            runbook: t
            steps:
              - { id: list, uses: script, with: { value: [a, b] } }
              - { id: each, uses: script, for-each: "${steps.list.outputs.value}", with: { value: "item-${item}" } }
              - { id: use, uses: script, with: { value: "${steps.each.outputs.value}" } }
            """
        let run = try ScriptedRun(yaml)
        let (result, journal) = try await run.run()
        #expect(result.outcome == .succeeded)
        #expect(run.script.started == ["list", "each[a]", "each[b]", "use"])
        #expect(
            journal.contains {
                if case .stepSucceeded("use", _, let outputs) = $0.event { outputs["value"] == .list([.string("item-a"), .string("item-b")]) } else { false }
            })

        let resumed = try ScriptedRun(yaml)
        var prior = Replay()
        prior.done["list"] = Replay.Done(result: .succeeded, outputs: ["value": .list([.string("a"), .string("b")])])
        prior.done["each[a]"] = Replay.Done(result: .succeeded, outputs: ["value": .string("item-a")])
        let (again, _) = try await resumed.run(prior: prior)
        #expect(again.outcome == .succeeded)
        #expect(resumed.script.started == ["each[b]", "use"], "an item done before the crash is not run again")
    }

    @Test func aRunTimeForEachThatCannotExpandFailsLikeAnyStep() async throws {
        let run = try ScriptedRun(
            """
            runbook: t
            steps:
              - { id: list, uses: script, with: { value: "a b" } }
              - { id: each, uses: script, for-each: "${steps.list.outputs.value}", with: { value: "${item}" } }
            """)
        let recorder = UpdateRecorder()
        let (result, journal) = try await run.run(observer: recorder)
        let message = "'for-each' of step 'each' must give a list, but ${steps.list.outputs.value} gave a string"
        #expect(result.outcome == .failed)
        #expect(result.results["each[*]"] == .failed(message))
        #expect(journal.contains { $0.event == .stepFailed(step: "each[*]", attempt: 0, error: message, retryable: false, final: true) })
        #expect(recorder.all.contains(.stepFinished(step: "each[*]", result: .failed(message), elapsed: .zero)), "the observer hears of it like any failure")
    }
}
