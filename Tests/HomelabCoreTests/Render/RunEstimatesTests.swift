import Foundation
import Testing

@testable import HomelabCore

/// Estimates for the ETA, learned from the journals of earlier runs.
@Suite struct RunEstimatesTests {
    @Test func theMedianOfTheLastAttemptOfEarlierSuccessfulInstancesOfTheSameRunbook() throws {
        let state = try RunJournalFixture.stateDirectory()
        let first = try RunJournalFixture(state: state, runID: "20261120T084700Z-0001", steps: ["a", "b"])
        try first.succeed("a", taking: 10)
        try first.succeed("b", taking: 20)
        try first.finish(.succeeded)

        // A retried instance counts with its last attempt only; a failed one not at all.
        let second = try RunJournalFixture(state: state, runID: "20261120T094700Z-0002", steps: ["a", "b", "c"], at: 3600)
        try second.fail("a", taking: 100, error: "refused", final: false)
        try second.succeed("a", taking: 12, attempt: 2)
        try second.succeed("b", taking: 40)
        try second.fail("c", taking: 5, error: "broken")
        try second.finish(.failed)

        let other = try RunJournalFixture(state: state, runID: "20261120T104700Z-0003", runbook: "other", steps: ["a"], at: 7200)
        try other.succeed("a", taking: 1000)

        try FileManager.default.createDirectory(atPath: state.runDirectory("20261120T114700Z-0004"), withIntermediateDirectories: true)
        try "not json\n".write(toFile: state.journalPath("20261120T114700Z-0004"), atomically: true, encoding: .utf8)

        let estimates = RunEstimates.estimates(runbook: "demo", history: RunHistory(state: state))
        #expect(estimates == ["a": .seconds(11), "b": .seconds(30)])
    }

    @Test func noHistoryNoEstimates() throws {
        let state = try RunJournalFixture.stateDirectory()
        #expect(RunEstimates.estimates(runbook: "demo", history: RunHistory(state: state)).isEmpty)
    }

    @Test func onlyTheNewestRunsAreConsidered() throws {
        let state = try RunJournalFixture.stateDirectory()
        for run in 0..<(RunEstimates.runsConsidered + 2) {
            let journal = try RunJournalFixture(state: state, runID: "20261120T0847\(10 + run)Z-0000", steps: ["a"], at: Double(run) * 100)
            try journal.succeed("a", taking: run < 2 ? 1000 : 5) // the two oldest were slow
        }
        #expect(RunEstimates.estimates(runbook: "demo", history: RunHistory(state: state)) == ["a": .seconds(5)])
    }

    @Test func medians() {
        #expect(RunEstimates.median([]) == .zero)
        #expect(RunEstimates.median([.seconds(3), .seconds(1), .seconds(2)]) == .seconds(2))
        #expect(RunEstimates.median([.seconds(4), .seconds(1), .seconds(2), .seconds(10)]) == .seconds(3))
    }
}
