import Foundation
import HomelabCore
import Testing

/// `homelab status`, `history` and `report` as an operator runs them, against journals written
/// by the test.
@Suite struct RunInspectionCommandTests {
    let failed = "20261120T084700Z-3f2a"
    let succeeded = "20261121T084700Z-0b1c"
    let damaged = "20261122T084700Z-dead"

    @Test(arguments: [["status", "--help"], ["history", "--help"], ["report", "--help"], ["help", "report"]])
    func helpTeachesWithExamples(_ arguments: [String]) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:"))
        #expect(result.stdout.contains("homelab \(arguments.last == "report" || arguments.first == "report" ? "report" : arguments[0])"))
    }

    @Test func statusShowsTheNewestRunByDefault() throws {
        let runs = try RunJournals()
        try runs.failedRun(failed)
        try runs.succeededRun(succeeded, at: 86400)
        let result = try CommandRunner.run(["status", "--state-dir", runs.state.path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.hasPrefix("Run \(succeeded): succeeded\n"))
        #expect(!result.stdout.contains("Resume with"))
        #expect(!result.stdout.contains("\u{1B}["), "no colour when the output is not a terminal")
    }

    @Test func statusOfAFailedRunSaysWhatFailedWhyAndHowToResume() throws {
        let runs = try RunJournals()
        try runs.failedRun(failed)
        try runs.succeededRun(succeeded, at: 86400)
        let result = try CommandRunner.run(["status", failed, "--state-dir", runs.state.path])
        #expect(result.status == 0)
        #expect(
            result.stdout == """
                Run \(failed): failed
                  runbook    demo (/nonexistent/demo.yaml)
                  started    2026-11-20T08:47:00.000Z by alice on pve
                  ended      2026-11-20T08:47:08.000Z after 8.0s
                  steps      1 of 3 done, 1 failed, 1 not run
                  journal    \(runs.journal(failed))

                Failed:
                  b (attempt 1): exit status 1: no route to host

                Resume with: homelab resume \(failed) --state-dir \(runs.state.path)

                """)
        #expect(try CommandRunner.run(["status", failed, "--state-dir", runs.state.path, "--color", "always"]).stdout.contains("\u{1B}[1;31m"))
    }

    @Test func statusJSON() throws {
        let runs = try RunJournals()
        try runs.failedRun(failed)
        let result = try CommandRunner.run(["status", "--state-dir", runs.state.path, "--json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["run"] as? String == failed)
        #expect(object["outcome"] as? String == "failed")
        #expect(object["duration_ms"] as? Int == 8000)
        #expect((object["steps"] as? [String: Any])?["done"] as? Int == 1)
        let failures = try #require(object["failed"] as? [[String: Any]])
        #expect(failures.first?["step"] as? String == "b")
        #expect(failures.first?["error"] as? String == "exit status 1: no route to host")
        #expect(object["resume"] as? String == "homelab resume \(failed) --state-dir \(runs.state.path)")
    }

    @Test func aRunWhoseProcessDiedIsInProgressAndDead() throws {
        let runs = try RunJournals()
        try runs.write(failed, steps: ["a", "b"], pid: 2_000_000_000, events: [(0, .stepStarted(step: "a", attempt: 1))])
        let result = try CommandRunner.run(["status", "--state-dir", runs.state.path])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("Run \(failed): in progress (pid 2000000000 dead)\n"))
        #expect(result.stdout.contains("\nWas running when the run stopped:\n  a\n"))
        #expect(result.stdout.contains("\nResume with: homelab resume \(failed) --state-dir "))
    }

    @Test func aRunHoldingTheLockIsInProgressAndAlive() throws {
        let runs = try RunJournals()
        try runs.write(failed, steps: ["a"], pid: getpid(), events: [(0, .stepStarted(step: "a", attempt: 1))])
        let lock = try RunLock.acquire(in: runs.state, holder: .thisProcess(runID: failed, runbook: "demo"))
        defer { lock.release() }
        let result = try CommandRunner.run(["status", "--state-dir", runs.state.path])
        #expect(result.stdout.hasPrefix("Run \(failed): in progress (pid \(getpid()) alive)\n"))
        #expect(result.stdout.contains("\nRunning:\n  a for "))
    }

    @Test func statusNamesADamagedJournalWithFileAndLine() throws {
        let runs = try RunJournals()
        try runs.damagedRun(damaged)
        let result = try CommandRunner.run(["status", damaged, "--state-dir", runs.state.path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "error: \(runs.journal(damaged)):2: journal is damaged: invalid time 'at'\n")
    }

    @Test func aJournalTruncatedToNothingIsDamagedForStatusReportAndResume() throws {
        let runs = try RunJournals()
        try runs.failedRun(failed)
        try Data().write(to: URL(fileURLWithPath: runs.journal(failed)))
        let damage =
            "error: \(runs.journal(failed)):1: journal is damaged: it is empty (0 bytes), so the run's first event (runStarted) is missing "
            + "and the run cannot be shown or resumed; restore the journal from a backup, or move \(runs.state.runDirectory(failed)) out of the "
            + "state directory and start the runbook again with 'homelab run RUNBOOK' (steps already done are found by their probes)\n"
        for arguments in [["status"], ["report", failed], ["resume"], ["resume", failed]] {
            let result = try CommandRunner.run(arguments + ["--state-dir", runs.state.path])
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stdout.isEmpty, "\(arguments)")
            #expect(result.stderr == damage, "\(arguments)")
        }
    }

    @Test func anUnknownRunIsNamedWithTheClosestOne() throws {
        let runs = try RunJournals()
        try runs.failedRun(failed)
        let result = try CommandRunner.run(["status", "20261120T084700Z-3f2b", "--state-dir", runs.state.path])
        #expect(result.status == 1)
        #expect(result.stderr == "error: no run '20261120T084700Z-3f2b' in \(runs.state.path) (did you mean '\(failed)'?); see 'homelab history'\n")
        let report = try CommandRunner.run(["report", "nope", "--state-dir", runs.state.path])
        #expect(report.status == 1)
        #expect(report.stderr.hasPrefix("error: no run 'nope' in "))
    }

    @Test func withoutRunsStatusFailsAndHistorySaysSo() throws {
        let runs = try RunJournals()
        let status = try CommandRunner.run(["status", "--state-dir", runs.state.path])
        #expect(status.status == 1)
        #expect(status.stderr == "error: no runs in \(runs.state.path); start one with 'homelab run RUNBOOK'\n")
        let history = try CommandRunner.run(["history", "--state-dir", runs.state.path])
        #expect(history.status == 0)
        #expect(history.stdout == "no runs in \(runs.state.path)\n")
        #expect(try CommandRunner.run(["history", "--state-dir", runs.state.path, "--json"]).stdout == "[]\n")
    }

    @Test func historyListsRunsNewestFirstWithDamagedOnesAsRows() throws {
        let runs = try RunJournals()
        try runs.failedRun(failed)
        try runs.succeededRun(succeeded, at: 86400)
        try runs.damagedRun(damaged)
        let result = try CommandRunner.run(["history", "--state-dir", runs.state.path])
        #expect(result.status == 1, "a damaged journal is worth a look")
        #expect(
            result.stdout == """
                RUN                    RUNBOOK  STARTED (UTC)        DURATION  OUTCOME    DONE
                \(damaged)  damaged journal: \(runs.journal(damaged)):2: journal is damaged: invalid time 'at'
                \(succeeded)  demo     2026-11-21 08:47:00  1m05s     succeeded  1/1
                \(failed)  demo     2026-11-20 08:47:00  8.0s      failed     1/3

                """)
        #expect(result.stderr == "error: 1 journal is damaged; 'homelab status RUN-ID' says where\n")

        let json = try CommandRunner.run(["history", "--state-dir", runs.state.path, "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["run"] as? String } == [damaged, succeeded, failed])
        #expect(rows.map { $0["outcome"] as? String } == ["damaged", "succeeded", "failed"])
        #expect(rows[0]["line"] as? Int == 2)
        #expect(rows[2]["done"] as? Int == 1)
        #expect(rows[2]["total"] as? Int == 3)
    }

    @Test func historyReadsTheDefaultStateDirectoryFromXDGStateHome() throws {
        let base = NSTemporaryDirectory() + "homelab-xdg-" + UUID().uuidString
        let runs = try RunJournals()
        try runs.failedRun(failed)
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: runs.state.path, toPath: base + "/homelab")
        let result = try CommandRunner.run(["history"], environment: ["XDG_STATE_HOME": base])
        #expect(result.stdout.contains("\(failed)  demo"))
    }

    @Test func reportWritesMarkdownWithTheCriticalPath() throws {
        let directory = NSTemporaryDirectory() + "homelab-report-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let runbook = directory + "/demo.yaml"
        try """
        runbook: demo
        steps:
          - { id: a, uses: exec, with: { command: "true" } }
          - { id: b, uses: exec, needs: [a], with: { command: "true" } }
          - { id: c, uses: exec, needs: [b], with: { command: "true" } }
        """.write(toFile: runbook, atomically: true, encoding: .utf8)
        let runs = try RunJournals()
        try runs.failedRun(failed, file: runbook)
        let result = try CommandRunner.run(["report", failed, "--state-dir", runs.state.path])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("# Run report: demo\n"))
        #expect(result.stdout.contains("- **Outcome:** **failed**; resume with `homelab resume \(failed) --state-dir \(runs.state.path)`\n"))
        #expect(result.stdout.contains("| `b` | **failed** | 1 | +00:05 | 2.0s | exit status 1: no route to host |\n"))
        #expect(
            result.stdout.contains(
                "## Critical path\n\nThe longest chain of dependencies by measured duration: 7.0s (87% of the run's 8.0s).\n\n1. `a`: 5.0s\n2. `b`: 2.0s\n"))

        let output = directory + "/report.md"
        let written = try CommandRunner.run(["report", failed, "--state-dir", runs.state.path, "--output", output])
        #expect(written.status == 0)
        #expect(written.stdout == "wrote the report of run \(failed) to \(output)\n")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == result.stdout)
    }

    @Test func reportSaysWhenTheCriticalPathIsUnavailable() throws {
        let runs = try RunJournals()
        try runs.failedRun(failed)
        let result = try CommandRunner.run(["report", failed, "--state-dir", runs.state.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("## Critical path\n\nUnavailable: the runbook /nonexistent/demo.yaml can no longer be planned ("))
    }

    @Test func reportOfADamagedJournalOrToAnUnwritableFileFails() throws {
        let runs = try RunJournals()
        try runs.damagedRun(damaged)
        let result = try CommandRunner.run(["report", damaged, "--state-dir", runs.state.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("journal.jsonl:2: journal is damaged"))
        try runs.failedRun(failed)
        let unwritable = try CommandRunner.run(["report", failed, "--state-dir", runs.state.path, "--output", "/nonexistent/dir/report.md"])
        #expect(unwritable.status == 1)
        #expect(unwritable.stderr.hasPrefix("error: cannot write /nonexistent/dir/report.md: "))
    }

    @Test(arguments: [["report"], ["report", "x", "--output"], ["status", "--state-dir", ""], ["history", "extra"], ["status", "a", "b"]])
    func usageErrorsExitWithTwo(_ arguments: [String]) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
    }
}
