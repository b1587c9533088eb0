import Foundation
import Testing

@testable import HomelabCore

/// A journal read back as per-instance facts, across retries, resumes and crashes.
@Suite struct RunTimelineTests {
    func read(_ journal: RunJournalFixture) throws -> RunTimeline {
        RunTimeline(entries: try RunHistory(state: journal.state).read(journal.runID).entries)
    }

    @Test func attemptsDurationsAndResults() throws {
        let journal = try RunJournalFixture(state: try RunJournalFixture.stateDirectory(), runID: "R", steps: ["a", "b", "c", "d", "e"])
        try journal.fail("a", taking: 2, error: "refused", final: false)
        try journal.succeed("a", taking: 3, attempt: 2)
        try journal.append(.stepSatisfied(step: "b", reason: "already there"), after: 1)
        try journal.append(.stepSkipped(step: "c", reason: "when: false"))
        try journal.fail("d", taking: 4, error: "exit 1")
        try journal.finish(.failed, after: 1)
        let timeline = try read(journal)
        let a = try #require(timeline.step("a"))
        #expect(a.state == .succeeded)
        #expect(a.attempts == 2)
        #expect(a.duration == .seconds(5), "from the first attempt to the end of the last")
        #expect(a.lastAttemptDuration == .seconds(3))
        #expect(a.failures.map(\.error) == ["refused"])
        #expect(timeline.step("b")?.state == .satisfied("already there"))
        #expect(timeline.step("b")?.duration == nil)
        #expect(timeline.step("c")?.state == .skipped("when: false"))
        #expect(timeline.step("d")?.error == "exit 1")
        #expect(timeline.step("e")?.state == .pending)
        #expect((timeline.total, timeline.done, timeline.failed.map(\.id), timeline.pending) == (5, 3, ["d"], 1))
        #expect(timeline.outcome == .failed)
        #expect(timeline.duration == .seconds(11))
    }

    @Test func aResumedRunCountsItsSessionsAndTimesWithoutThePause() throws {
        let journal = try RunJournalFixture(state: try RunJournalFixture.stateDirectory(), runID: "R", steps: ["a", "b", "c"])
        try journal.succeed("a", taking: 10)
        try journal.append(.stepStarted(step: "b", attempt: 1))
        try journal.append(.runInterrupted(reason: .other("interrupted (SIGINT)")), after: 5)
        var timeline = try read(journal)
        #expect(timeline.outcome == .interrupted)
        #expect(timeline.stopReason == .other("interrupted (SIGINT)"))
        #expect(timeline.step("b")?.state == .cutOff)

        try journal.append(.runResumed(pid: 99, changed: [], fingerprints: ["a": "f-a", "b": "f-b", "c": "f-c"]), after: 3600)
        try journal.succeed("b", taking: 7)
        try journal.append(.stepStarted(step: "c", attempt: 1), after: 1) // and then the process died
        timeline = try read(journal)
        #expect(timeline.resumes == 1)
        #expect(timeline.pid == 99)
        #expect(timeline.outcome == nil)
        #expect(timeline.ended == nil)
        #expect(timeline.step("b")?.duration == .seconds(7), "the resumed execution, not since the first session")
        #expect(timeline.step("b")?.attempts == 2)
        #expect(timeline.running.map(\.id) == ["c"])
        #expect(timeline.activeTime == .seconds(15 + 8))
        #expect(timeline.duration == .seconds(15 + 3600 + 8))
    }

    @Test func aResumeRunsFailedAndChangedStepsAgain() throws {
        let journal = try RunJournalFixture(state: try RunJournalFixture.stateDirectory(), runID: "R", steps: ["a", "b"])
        try journal.succeed("a", taking: 1)
        try journal.fail("b", taking: 1, error: "boom")
        try journal.finish(.failed)
        try journal.append(.runResumed(pid: 7, changed: ["a"], fingerprints: ["a": "new", "b": "f-b", "n": "f-n"]), after: 60)
        let timeline = try read(journal)
        #expect(timeline.steps.map(\.id) == ["a", "b", "n"])
        #expect(timeline.steps.map(\.state) == [.pending, .pending, .pending])
        #expect(timeline.step("b")?.failures.count == 1, "the failure stays on record")
        #expect(timeline.fingerprints["a"] == "new")
    }
}
