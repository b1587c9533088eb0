import Foundation

@testable import HomelabCore

/// Writes a run's journal into a state directory the way the engine does, with times chosen
/// by the test: `status`, `history`, `report` and the estimates read it back.
final class RunJournalFixture {
    static let epoch = Date(timeIntervalSince1970: 1_795_164_420) // 2026-11-20T08:47:00Z

    let state: StateDirectory
    let runID: String
    let writer: JournalWriter
    /// Seconds since `epoch` of the next event.
    var now: Double

    init(
        state: StateDirectory, runID: String, runbook: String = "demo", file: String = "/nonexistent/runbook.yaml", steps: [String],
        at start: Double = 0, params: Value = .map([]), pid: Int32 = 4242, fingerprints: [String: String] = [:]
    ) throws {
        self.state = state
        self.runID = runID
        now = start
        try state.prepare()
        try FileManager.default.createDirectory(atPath: state.runDirectory(runID), withIntermediateDirectories: true)
        writer = try JournalWriter(path: state.journalPath(runID))
        let header = RunHeader(
            runID: runID, runbook: runbook, file: file, inventory: nil, isDrill: false, host: "pve", user: "alice",
            pid: pid, params: params, fingerprints: steps.map { ($0, fingerprints[$0] ?? "f-\($0)") })
        try append(.runStarted(header))
    }

    /// A state directory of its own under the temporary directory.
    static func stateDirectory() throws -> StateDirectory {
        StateDirectory(path: try temporaryDirectory() + "/state")
    }

    func append(_ event: JournalEvent, after seconds: Double = 0) throws {
        now += seconds
        try writer.append(event, at: Self.epoch.addingTimeInterval(now))
    }

    /// stepStarted, then stepSucceeded `seconds` later.
    func succeed(_ step: String, taking seconds: Double, attempt: Int = 1) throws {
        try append(.stepStarted(step: step, attempt: attempt))
        try append(.stepSucceeded(step: step, attempt: attempt, outputs: .map([])), after: seconds)
    }

    func fail(_ step: String, taking seconds: Double, attempt: Int = 1, error: String, final: Bool = true) throws {
        try append(.stepStarted(step: step, attempt: attempt))
        try append(.stepFailed(step: step, attempt: attempt, error: error, retryable: !final, final: final), after: seconds)
    }

    func finish(_ outcome: RunOutcome, after seconds: Double = 0) throws {
        try append(.runFinished(outcome: outcome), after: seconds)
    }
}
