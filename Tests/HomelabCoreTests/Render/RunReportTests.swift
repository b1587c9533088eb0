import Foundation
import Testing

@testable import HomelabCore

/// The Markdown report, the critical path, and the status and history renderers, on journals
/// written into a temporary state directory.
@Suite struct RunReportTests {
    static let runbook = """
        runbook: diamond
        params:
          target: { default: lab }
        steps:
          - { id: a, uses: exec, with: { command: "echo a" } }
          - { id: b, uses: exec, needs: [a], with: { command: "echo b" } }
          - { id: c, uses: exec, needs: [a], with: { command: "echo c" } }
          - { id: d, uses: exec, needs: [b, c], with: { command: "echo d" } }
          - { id: e, uses: exec, needs: [d], with: { command: "echo e" } }
        """

    /// A failed run of the diamond: a 5s, b 18s (4s, then a retry of 15s), c 3s beside b, d fails after 2s; e not run.
    func failedRun(file: String? = nil, fingerprints: [String: String] = [:]) throws -> (RunJournalFixture, RunStatus) {
        let runbook = try TemporaryRunbook(Self.runbook)
        let journal = try RunJournalFixture(
            state: try RunJournalFixture.stateDirectory(), runID: "20261120T084700Z-3f2a", runbook: "diamond",
            file: file ?? runbook.path, steps: ["a", "b", "c", "d", "e"], fingerprints: fingerprints)
        try journal.succeed("a", taking: 5)
        try journal.append(.stepStarted(step: "c", attempt: 1))
        try journal.fail("b", taking: 4, error: "connection | refused to <secret:token>", final: false)
        try journal.append(.stepSucceeded(step: "c", attempt: 1, outputs: .map([])), after: -1)
        try journal.succeed("b", taking: 15, attempt: 2)
        try journal.fail("d", taking: 2, error: "exit status 1\nsee the log")
        try journal.finish(.failed, after: 1)
        let status = try RunStatus.read(journal.runID, in: RunHistory(state: journal.state))
        return (journal, status)
    }

    func plannedFingerprints() throws -> [String: String] {
        let runbook = try TemporaryRunbook(Self.runbook)
        let plan = try RunSession.planned(runbook: runbook.path, inventory: nil, params: [], isDrill: false).1
        return Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.id, $0.fingerprint) })
    }

    @Test func theLongestPathByMeasuredDuration() {
        let needs = ["b": ["a"], "c": ["a"], "d": ["b", "c"], "e": ["d"]]
        let durations: [String: Duration] = ["a": .seconds(5), "b": .seconds(20), "c": .seconds(30), "d": .seconds(2)]
        let path = CriticalPath.longest(order: ["a", "b", "c", "d", "e"], needs: needs, durations: durations)
        #expect(path.links.map(\.step) == ["a", "c", "d"], "e did not run and is left out")
        #expect(path.total == .seconds(37))
        #expect(CriticalPath.longest(order: [], needs: [:], durations: [:]).links.isEmpty)
    }

    @Test func theReportHasTheHeaderStepsFailuresAndCriticalPath() throws {
        let (_, status) = try failedRun(fingerprints: try plannedFingerprints())
        let report = RunReport.markdown(status, stateDirectory: "/srv/state")
        #expect(report.hasPrefix("# Run report: diamond\n\n"))
        for line in [
            "- **Run:** `20261120T084700Z-3f2a`",
            "- **Host:** pve",
            "- **User:** alice",
            "- **Started:** 2026-11-20T08:47:00.000Z",
            "- **Ended:** 2026-11-20T08:47:26.000Z",
            "- **Duration:** 26s",
            "- **Outcome:** **failed**; resume with `homelab resume 20261120T084700Z-3f2a --state-dir /srv/state`",
            "- **Resumed:** no",
            "- **Steps:** 3 of 5 done, 1 failed, 1 not run",
            "| `a` | succeeded | 1 | +00:00 | 5.0s |  |",
            "| `b` | succeeded | 2 | +00:05 | 18s |  |",
            "| `c` | succeeded | 1 | +00:05 | 3.0s |  |",
            "| `d` | **failed** | 1 | +00:23 | 2.0s | exit status 1 … |",
            "| `e` | not run |  |  |  |  |",
            "- attempt 1 at +00:09: connection \\| refused to &lt;secret:token&gt;",
            "1. `a`: 5.0s",
            "2. `b`: 18s",
            "3. `d`: 2.0s",
        ] {
            #expect(report.contains(line + "\n"), "missing: \(line)")
        }
        #expect(report.contains("### `d`\n\nFailed (attempt 1):\n\n```text\nexit status 1\nsee the log\n```\n"))
        #expect(report.contains("### `b`\n\nRecovered (succeeded) after 1 failed attempt:\n"))
        #expect(report.contains("The longest chain of dependencies by measured duration: 25s (96% of the run's 26s)."))
        #expect(!report.contains("Note:"), "the runbook did not change")
    }

    @Test func aChangedRunbookIsNoted() throws {
        let (_, status) = try failedRun()
        #expect(
            RunReport.markdown(status).contains(
                "\nNote: the runbook changed since this run (5 instances differ); the dependencies are those of the file as it is now.\n"))
    }

    @Test func withoutTheRunbookTheCriticalPathIsUnavailableAndSaysWhy() throws {
        let (_, status) = try failedRun(file: "/nonexistent/diamond.yaml")
        let report = RunReport.markdown(status)
        #expect(report.contains("## Critical path\n\nUnavailable: the runbook /nonexistent/diamond.yaml can no longer be planned ("))
        #expect(report.contains("| `d` | **failed** |"), "the rest of the report is there")
    }

    @Test func statusTextSaysWhatFailedAndHowToResume() throws {
        let (journal, status) = try failedRun()
        let text = RunStatusRenderer.text(status)
        #expect(text.hasPrefix("Run 20261120T084700Z-3f2a: failed\n"))
        #expect(text.contains("  started    2026-11-20T08:47:00.000Z by alice on pve\n"))
        #expect(text.contains("  steps      3 of 5 done, 1 failed, 1 not run\n"))
        #expect(text.contains("\nFailed:\n  d (attempt 1): exit status 1\n    see the log\n"))
        #expect(text.hasSuffix("\nResume with: homelab resume 20261120T084700Z-3f2a\n"))
        #expect(text.contains("  journal    \(journal.state.journalPath(journal.runID))\n"))
        #expect(!text.contains("\u{1B}"))
        #expect(RunStatusRenderer.text(status, style: .color).contains("\u{1B}[1;31mfailed\u{1B}[0m"))
    }

    @Test func aRunWithoutAnEndIsInProgressAliveOnlyWhileItHoldsTheLock() throws {
        let state = try RunJournalFixture.stateDirectory()
        let journal = try RunJournalFixture(state: state, runID: "R", steps: ["a", "b"], pid: getpid())
        try journal.succeed("a", taking: 1)
        try journal.append(.stepStarted(step: "b", attempt: 1))
        let history = RunHistory(state: state)

        let dead = try RunStatus.read("R", in: history)
        #expect(dead.progress == .inProgress(pid: getpid(), alive: false))
        #expect(dead.outcomeText == "in progress (pid \(getpid()) dead)")
        #expect(RunStatusRenderer.text(dead).contains("\nWas running when the run stopped:\n  b\n"))
        #expect(dead.isResumable)

        let lock = try RunLock.acquire(in: state, holder: .thisProcess(runID: "R", runbook: "demo"))
        defer { lock.release() }
        let alive = try RunStatus.read("R", in: history)
        #expect(alive.outcomeText == "in progress (pid \(getpid()) alive)")
        let text = RunStatusRenderer.text(alive, now: RunJournalFixture.epoch + 90)
        #expect(text.contains("  running    for 1m30s\n"))
        #expect(text.contains("\nRunning:\n  b for 1m29s\n"))
        #expect(!text.contains("Resume with"), "a live run is not resumed")
        #expect(RunHistoryRenderer.text(RunHistoryRenderer.rows(history)).contains(" in progress "))
    }

    @Test func historyListsRunsNewestFirstAndDamagedJournalsAsRows() throws {
        let (journal, _) = try failedRun()
        let state = journal.state
        let newer = try RunJournalFixture(state: state, runID: "20261121T084700Z-0002", steps: ["a"], at: 86400)
        try newer.succeed("a", taking: 65)
        try newer.finish(.succeeded)
        let damaged = "20261122T084700Z-0003"
        try FileManager.default.createDirectory(atPath: state.runDirectory(damaged), withIntermediateDirectories: true)
        let path = state.journalPath(damaged)
        try (String(try String(contentsOfFile: state.journalPath(newer.runID), encoding: .utf8).split(separator: "\n")[0]) + "\n{\"seq\":5}\n")
            .write(toFile: path, atomically: true, encoding: .utf8)

        let rows = RunHistoryRenderer.rows(RunHistory(state: state))
        let text = RunHistoryRenderer.text(rows)
        #expect(
            text == """
                RUN                    RUNBOOK  STARTED (UTC)        DURATION  OUTCOME    DONE
                20261122T084700Z-0003  damaged journal: \(path):2: journal is damaged: missing or invalid 'at'
                20261121T084700Z-0002  demo     2026-11-21 08:47:00  1m05s     succeeded  1/1
                20261120T084700Z-3f2a  diamond  2026-11-20 08:47:00  26s       failed     3/5

                """)
        let json = JSONWriter.compact(RunHistoryRenderer.json(rows))
        #expect(json.hasPrefix(#"[{"run":"20261122T084700Z-0003","outcome":"damaged","error":"#))
        #expect(
            json.contains(
                #"{"run":"20261121T084700Z-0002","runbook":"demo","started":"2026-11-21T08:47:00.000Z","ended":"2026-11-21T08:48:05.000Z","duration_ms":65000,"outcome":"succeeded","alive":null,"done":1,"total":1,"resumes":0}"#
            ))
    }
}
