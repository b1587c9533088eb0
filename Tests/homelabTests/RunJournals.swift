import Foundation
import HomelabCore

/// Journals of runs written into a fresh state directory, as the engine writes them, with
/// times chosen by the test: what `status`, `history` and `report` read.
struct RunJournals {
    static let epoch = Date(timeIntervalSince1970: 1_795_164_420) // 2026-11-20T08:47:00Z

    let state: StateDirectory

    init() throws {
        let path = NSTemporaryDirectory() + "homelab-runs-" + UUID().uuidString
        state = StateDirectory(path: (path as NSString).standardizingPath)
        try state.prepare()
    }

    /// Writes run `id` of `runbook` (file `file`) with `steps` instances; `events` are
    /// (seconds since the epoch, event).
    func write(
        _ id: String, runbook: String = "demo", file: String = "/nonexistent/demo.yaml", steps: [String], pid: Int32 = 4242,
        events: [(Double, JournalEvent)]
    ) throws {
        try FileManager.default.createDirectory(atPath: state.runDirectory(id), withIntermediateDirectories: true)
        let writer = try JournalWriter(path: journal(id))
        let header = RunHeader(
            runID: id, runbook: runbook, file: file, inventory: nil, isDrill: false, host: "pve", user: "alice", pid: pid,
            params: .map([]), fingerprints: steps.map { ($0, "f-\($0)") })
        try writer.append(.runStarted(header), at: Self.epoch.addingTimeInterval(events.first?.0 ?? 0))
        for (seconds, event) in events { try writer.append(event, at: Self.epoch.addingTimeInterval(seconds)) }
    }

    func journal(_ id: String) -> String {
        state.journalPath(id)
    }

    /// A run that failed: a succeeded in 5s, b failed after 2s, c was not run.
    func failedRun(_ id: String, at start: Double = 0, file: String = "/nonexistent/demo.yaml") throws {
        try write(
            id, file: file, steps: ["a", "b", "c"],
            events: [
                (start, .stepStarted(step: "a", attempt: 1)),
                (start + 5, .stepSucceeded(step: "a", attempt: 1, outputs: .map([]))),
                (start + 5, .stepStarted(step: "b", attempt: 1)),
                (start + 7, .stepFailed(step: "b", attempt: 1, error: "exit status 1: no route to host", retryable: false, final: true)),
                (start + 8, .runFinished(outcome: .failed)),
            ])
    }

    func succeededRun(_ id: String, at start: Double) throws {
        try write(
            id, steps: ["a"],
            events: [
                (start, .stepStarted(step: "a", attempt: 1)),
                (start + 65, .stepSucceeded(step: "a", attempt: 1, outputs: .map([]))),
                (start + 65, .runFinished(outcome: .succeeded)),
            ])
    }

    /// A run whose second journal line is not an event.
    func damagedRun(_ id: String) throws {
        try write(id, steps: ["a"], events: [])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: journal(id)))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"seq\":2,\"at\":\"yesterday\"}\n".utf8))
        try handle.close()
    }
}
