import Foundation
import Testing

@testable import HomelabCore

@Suite struct ReplayTests {
    static let header = RunHeader(
        runID: "r", runbook: "demo", file: "/d.yaml", inventory: nil, isDrill: false, host: "h", user: "u", pid: 1,
        params: .map([]), fingerprints: [("a", "f-a"), ("b", "f-b")])

    func replay(_ events: [JournalEvent]) -> Replay {
        Replay(
            entries: ([.runStarted(Self.header)] + events).enumerated().map {
                JournalEntry(sequence: $0.offset + 1, time: JournalFixtureLines.time, event: $0.element)
            })
    }

    @Test func doneStepsKeepTheirOutputsAndAStepStartedButNotEndedIsInFlight() {
        let state = replay([
            .stepStarted(step: "a", attempt: 1), .stepSucceeded(step: "a", attempt: 1, outputs: .map([("vmid", .int(101))])),
            .stepStarted(step: "b", attempt: 1), .stepSatisfied(step: "b", reason: "in place"),
            .stepStarted(step: "c", attempt: 1),
        ])
        #expect(state.header == Self.header)
        #expect(state.done["a"] == Replay.Done(result: .succeeded, outputs: ["vmid": .int(101)]))
        #expect(state.done["b"] == Replay.Done(result: .satisfied("in place"), outputs: [:]))
        #expect(state.inFlight == ["c"])
        #expect(!state.isFinished)
    }

    @Test func onlyFinalFailuresCountAndAnotherAttemptClearsThem() {
        let state = replay([
            .stepStarted(step: "a", attempt: 1), .stepFailed(step: "a", attempt: 1, error: "x", retryable: true, final: false),
            .stepStarted(step: "b", attempt: 1), .stepFailed(step: "b", attempt: 1, error: "x", retryable: false, final: true),
            .stepStarted(step: "c", attempt: 1), .stepFailed(step: "c", attempt: 1, error: "x", retryable: false, final: true),
            .stepStarted(step: "c", attempt: 1),
        ])
        #expect(state.failed == ["b"])
        #expect(state.inFlight == ["c"])
    }

    @Test func skipsAreDecidedAgainAndApprovalsAreKept() {
        let state = replay([.stepSkipped(step: "a", reason: "when"), .approvalGranted(step: "b", by: "alice")])
        #expect(state.done["a"] == nil)
        #expect(state.approved == ["b"])
    }

    @Test func onlyASucceededRunIsFinishedAndAResumeReopensIt() {
        #expect(replay([.runFinished(outcome: .succeeded)]).isFinished)
        #expect(!replay([.runFinished(outcome: .failed)]).isFinished)
        #expect(!replay([.runInterrupted(reason: .other("SIGINT"))]).isFinished)
        let resumed = replay([.runFinished(outcome: .succeeded), .runResumed(pid: 2, changed: ["b"], fingerprints: ["b": "f-b2", "a": "f-a"])])
        #expect(resumed.lastOutcome == nil)
        #expect(resumed.header?.fingerprints.map { "\($0.0)=\($0.1)" } == ["a=f-a", "b=f-b2"], "the fingerprints of the resumed plan, in id order")
    }

    @Test func forgottenInstancesRunAgain() {
        var state = replay([
            .stepStarted(step: "a", attempt: 1), .stepSucceeded(step: "a", attempt: 1, outputs: .map([])),
            .approvalGranted(step: "b", by: "alice"), .stepStarted(step: "b", attempt: 1),
        ])
        state.forget(["a", "b"])
        #expect(state.done.isEmpty && state.inFlight.isEmpty && state.approved.isEmpty)
    }
}
