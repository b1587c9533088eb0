import Foundation
import Synchronization
import Testing

@testable import HomelabCore

/// The run printer fed a scripted run: the lines, JSON and live views, the log, colours,
/// and many tasks reporting at once.
@Suite struct RunPrinterTests {
    /// Collects what the printer writes.
    final class Output: Sendable {
        private let text = Mutex("")
        private let writes = Mutex(0)
        var value: String { text.withLock { $0 } }
        var count: Int { writes.withLock { $0 } }
        var sink: @Sendable (String) -> Void {
            { [self] chunk in
                text.withLock { $0 += chunk }
                writes.withLock { $0 += 1 }
            }
        }
    }

    static let epoch = RunJournalFixture.epoch

    static var summary: RunSummary {
        var summary = RunSummary()
        summary.succeeded = 2
        summary.skipped = 1
        summary.failed = 1
        summary.upstreamFailed = 1
        summary.restored = 1
        summary.stopReason = .stepFailed(step: "zfs")
        return summary
    }

    /// A run of five instances: one done earlier, one retried, one failing with a two-line
    /// error, one not run because of it, one skipped. (seconds since start, update)
    static let script: [(Int, RunUpdate)] = [
        (0, .runStarted(runID: "R1", runbook: "demo", instances: 5, resumed: false)),
        (0, .stepRestored(step: "preflight", result: .succeeded)),
        (1, .stepStarted(step: "host", attempt: 1, of: 3)),
        (2, .stepMessage(step: "host", message: "configuring\n")),
        (3, .stepRetrying(step: "host", attempt: 1, error: "connection refused", after: .seconds(5))),
        (8, .stepStarted(step: "host", attempt: 2, of: 3)),
        (12, .stepFinished(step: "host", result: .succeeded, elapsed: .seconds(11))),
        (12, .stepStarted(step: "zfs", attempt: 1, of: 1)),
        (13, .stepFinished(step: "zfs", result: .failed("pool busy\nsee dmesg"), elapsed: .milliseconds(1500))),
        (13, .stepFinished(step: "etcd", result: .upstreamFailed("zfs"), elapsed: .zero)),
        (13, .stepFinished(step: "vm", result: .skipped("when: false"), elapsed: .zero)),
        (13, .runStopping(reason: .stepFailed(step: "zfs"))),
        (74, .runFinished(runID: "R1", outcome: .failed, summary: summary)),
    ]

    /// Plays the script on a printer with virtual time; returns what it wrote and logged.
    func play(
        _ format: RunPrinter.Format, style: TextStyle = .plain, columns: Int = 80, upTo count: Int = script.count,
        estimates: [String: Duration] = [:], finish: Bool = true
    ) -> (out: String, log: String) {
        let clock = VirtualClock()
        let out = Output()
        let log = Output()
        let printer = RunPrinter(
            format: format, style: style, estimates: estimates, write: out.sink, log: log.sink,
            clock: clock, now: { Self.epoch + Double(clock.elapsed.components.seconds) }, columns: { columns })
        var second = 0
        for (at, update) in Self.script.prefix(count) {
            clock.advance(by: .seconds(at - second))
            second = at
            printer.update(update)
        }
        if finish { printer.finish() }
        return (out.value, log.value)
    }

    @Test func linesAreStampedWithTheRunTimeAndEndWithASummaryAndTheResumeCommand() {
        let (out, _) = play(.lines)
        #expect(
            out == """
                [00:00] starting run R1 of demo: 5 steps
                [00:00] preflight done earlier (succeeded)
                [00:01] host started
                [00:02] host: configuring
                [00:03] host attempt 1 failed: connection refused
                        retrying in 5.0s
                [00:08] host started (attempt 2 of 3)
                [00:12] host succeeded in 11s
                [00:12] zfs started
                [00:13] zfs failed after 1.5s: pool busy
                        see dmesg
                [00:13] etcd not run: 'zfs' failed
                [00:13] vm skipped: when: false
                [00:13] stopping: step 'zfs' failed
                [01:14] run R1 failed after 1m14s: 2 succeeded, 1 skipped, 1 failed, 1 not run; 1 done earlier
                        stopped: step 'zfs' failed; resume with: homelab resume R1

                """)
    }

    @Test func aPlainStyleWritesNoEscapeCodesInAnyFormatButLive() {
        for format in [RunPrinter.Format.lines, .json] {
            let (out, log) = play(format)
            #expect(!out.contains("\u{1B}"))
            #expect(!log.contains("\u{1B}"))
        }
    }

    @Test func colourSaysWhatNeedsAttention() {
        let lines = play(.lines, style: .color).out.split(separator: "\n").map(String.init)
        #expect(lines.contains("[00:12] \u{1B}[32mhost succeeded in 11s\u{1B}[0m"))
        #expect(lines.contains("[00:13] \u{1B}[1;31mzfs failed after 1.5s: pool busy\u{1B}[0m"))
        #expect(lines.contains("[00:13] \u{1B}[2metcd not run: 'zfs' failed\u{1B}[0m"), "upstream failures are quiet")
        #expect(lines.contains("[00:00] \u{1B}[2mpreflight done earlier (succeeded)\u{1B}[0m"))
        #expect(lines.contains("[00:13] \u{1B}[2mvm skipped: when: false\u{1B}[0m"))
    }

    @Test func theResumeCommandNamesAStateDirectoryThatIsNotTheDefault() {
        let out = Output()
        let printer = RunPrinter(format: .lines, style: .plain, write: out.sink, stateDirectory: "/srv/my state", clock: VirtualClock())
        printer.update(.runFinished(runID: "R1", outcome: .interrupted, summary: RunSummary()))
        #expect(out.value.hasSuffix("resume with: homelab resume R1 --state-dir '/srv/my state'\n"))
        let succeeded = Output()
        let other = RunPrinter(format: .lines, style: .plain, write: succeeded.sink, clock: VirtualClock())
        other.update(.runFinished(runID: "R1", outcome: .succeeded, summary: RunSummary()))
        #expect(!succeeded.value.contains("resume"))
    }

    @Test func jsonIsOneCompactObjectPerUpdateWithStableKeys() throws {
        let (out, _) = play(.json)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count == Self.script.count)
        for line in lines {
            #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
            #expect(line.hasPrefix("{\"event\":\""))
        }
        #expect(lines[6] == #"{"event":"stepFinished","step":"host","result":"succeeded","elapsed_ms":11000,"at":"2026-11-20T08:47:12.000Z"}"#)
        #expect(
            lines[4] == #"{"event":"stepRetrying","step":"host","attempt":1,"error":"connection refused","retry_in_ms":5000,"at":"2026-11-20T08:47:03.000Z"}"#)
        #expect(
            lines[9] == #"{"event":"stepFinished","step":"etcd","result":"upstream-failed","upstream":"zfs","elapsed_ms":0,"at":"2026-11-20T08:47:13.000Z"}"#)
        let finished = try #require(try JSONSerialization.jsonObject(with: Data(lines[12].utf8)) as? [String: Any])
        #expect(finished["outcome"] as? String == "failed")
        #expect(finished["upstream_failed"] as? Int == 1)
        #expect(finished["stop_reason"] as? String == "step 'zfs' failed")
        #expect(finished["resume"] as? String == "homelab resume R1")
    }

    @Test func theLogGetsEveryUpdateAsAPlainLineWithItsUTCTime() {
        for format in [RunPrinter.Format.lines, .json, .live] {
            let log = play(format, style: .color).log
            let lines = log.split(separator: "\n").map(String.init)
            #expect(lines.first == "2026-11-20T08:47:00.000Z starting run R1 of demo: 5 steps")
            #expect(lines.contains("2026-11-20T08:47:02.000Z host: configuring"))
            #expect(lines.contains("2026-11-20T08:47:13.000Z zfs failed after 1.5s: pool busy"))
            #expect(lines.contains("                         see dmesg"))
            #expect(lines.last == "                         stopped: step 'zfs' failed; resume with: homelab resume R1")
            #expect(!log.contains("\u{1B}"))
        }
    }

    @Test func theLiveViewKeepsABlockOfRunningStepsBelowTheFinishedOnes() {
        var screen = TerminalScreen()
        screen.feed(play(.live, upTo: 4, finish: false).out)
        #expect(
            screen.text == [
                "[00:00] starting run R1 of demo: 5 steps",
                "[00:00] preflight done earlier (succeeded)",
                "1/5 done · 1 running · ETA unknown",
                "  host  00:01  configuring",
            ])
        screen = TerminalScreen()
        screen.feed(play(.live, upTo: 6, finish: false).out)
        #expect(screen.text.suffix(2) == ["1/5 done · 1 running · ETA unknown", "  host  00:07  attempt 2/3"])
        #expect(screen.text.contains("[00:03] host attempt 1 failed: connection refused"))
    }

    @Test func whenTheRunIsOverOnlyTheScrolledLinesRemain() {
        var screen = TerminalScreen()
        screen.feed(play(.live).out)
        #expect(
            screen.text == [
                "[00:00] starting run R1 of demo: 5 steps",
                "[00:00] preflight done earlier (succeeded)",
                "[00:03] host attempt 1 failed: connection refused",
                "        retrying in 5.0s",
                "[00:12] host succeeded in 11s",
                "[00:13] zfs failed after 1.5s: pool busy",
                "        see dmesg",
                "[00:13] etcd not run: 'zfs' failed",
                "[00:13] vm skipped: when: false",
                "[00:13] stopping: step 'zfs' failed",
                "[01:14] run R1 failed after 1m14s: 2 succeeded, 1 skipped, 1 failed, 1 not run; 1 done earlier",
                "        stopped: step 'zfs' failed; resume with: homelab resume R1",
            ])
        // finish() also takes the block away when the run never reported its end.
        screen = TerminalScreen()
        screen.feed(play(.live, upTo: 8).out)
        #expect(!screen.text.contains { $0.contains("running") })
    }

    @Test func liveRowsAreCutToTheTerminalWidth() {
        var screen = TerminalScreen()
        let out = Output()
        let clock = VirtualClock()
        let printer = RunPrinter(format: .live, style: .color, write: out.sink, clock: clock, columns: { 30 })
        printer.update(.runStarted(runID: "R1", runbook: "demo", instances: 200, resumed: false))
        clock.advance(by: .seconds(1))
        printer.update(.stepStarted(step: "a-step-with-a-rather-long-name-indeed", attempt: 1, of: 1))
        clock.advance(by: .seconds(1))
        printer.update(.stepMessage(step: "a-step-with-a-rather-long-name-indeed", message: "a message far too long for thirty columns"))
        printer.tick()
        screen.feed(out.value)
        printer.finish()
        let block = screen.text.suffix(2)
        #expect(block.count == 2)
        for line in block { #expect(line.count <= 29, "\(line)") }
        #expect(block.allSatisfy { $0.hasSuffix("…") })
    }

    @Test func theETAIsTheWorkLeftFromEarlierRunsDividedByParallelism() {
        var progress = RunProgress()
        let estimates: [String: Duration] = ["a": .seconds(10), "b": .seconds(20), "c": .seconds(30)]
        progress.apply(.runStarted(runID: "R", runbook: "d", instances: 3, resumed: false), at: .zero)
        #expect(progress.eta(estimates: [:], parallelism: 2, now: .zero) == nil, "no history: unknown")
        #expect(progress.eta(estimates: estimates, parallelism: 2, now: .zero) == .seconds(30))
        progress.apply(.stepStarted(step: "a", attempt: 1, of: 1), at: .zero)
        #expect(progress.eta(estimates: estimates, parallelism: 2, now: .seconds(4)) == .seconds(28))
        #expect(progress.eta(estimates: estimates, parallelism: 2, now: .seconds(40)) == .seconds(25), "an overdue step counts as about to end")
        progress.apply(.stepFinished(step: "a", result: .succeeded, elapsed: .seconds(5)), at: .seconds(5))
        progress.apply(.runStarted(runID: "R", runbook: "d", instances: 4, resumed: false), at: .seconds(5))
        #expect(
            progress.eta(estimates: estimates, parallelism: 1, now: .seconds(5)) == .seconds(70), "an instance no earlier run finished counts as the median")
    }

    @Test func theLiveHeaderShowsTheETAWhenThereIsHistory() {
        var screen = TerminalScreen()
        screen.feed(play(.live, upTo: 3, estimates: ["host": .seconds(90), "zfs": .seconds(30), "etcd": .seconds(60), "vm": .seconds(60)], finish: false).out)
        // (90 - 0) + 30 + 60 + 60 over a parallelism of 4
        #expect(screen.text.contains("1/5 done · 1 running · ETA 1m00s"))
    }

    @Test func updatesFromManyTasksAtOnceComeOutWhole() async {
        let out = Output()
        let printer = RunPrinter(format: .lines, style: .plain, write: out.sink, clock: VirtualClock())
        printer.update(.runStarted(runID: "R", runbook: "d", instances: 50, resumed: false))
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<50 {
                group.addTask {
                    for message in 0..<20 { printer.update(.stepMessage(step: "s\(task)", message: "message \(message)")) }
                }
            }
        }
        let lines = out.value.split(separator: "\n")
        #expect(lines.count == 1 + 50 * 20)
        #expect(lines.dropFirst().allSatisfy { $0.range(of: #"^\[00:00\] s\d+: message \d+$"#, options: .regularExpression) != nil })
    }

    @Test func theLiveTimerRedrawsWhatCameTooSoonAndStopsWithFinish() async throws {
        let out = Output()
        let printer = RunPrinter(format: .live, style: .plain, write: out.sink, columns: { 80 })
        printer.update(.runStarted(runID: "R", runbook: "d", instances: 2, resumed: false))
        printer.update(.stepStarted(step: "first", attempt: 1, of: 1))
        printer.update(.stepStarted(step: "second", attempt: 1, of: 1)) // within 100 ms: left to the timer
        // Under a loaded machine the timer may take a while: wait for it, up to a few seconds.
        var screen = TerminalScreen()
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(50))
            screen = TerminalScreen()
            screen.feed(out.value)
            if screen.text.last?.hasPrefix("  second") == true { break }
        }
        #expect(screen.text.suffix(3).map { String($0.prefix(8)) } == ["0/2 done", "  first ", "  second"])
        printer.finish()
        let writes = out.count
        try await Task.sleep(for: .milliseconds(300))
        #expect(out.count == writes, "nothing is drawn after finish()")
        screen = TerminalScreen()
        screen.feed(out.value)
        #expect(screen.text == ["[00:00] starting run R of d: 2 steps"])
    }

    @Test func theLiveViewStepsAsideForAPromptAndComesBack() {
        let out = Output()
        let clock = VirtualClock()
        let printer = RunPrinter(format: .live, style: .plain, write: out.sink, clock: clock, columns: { 80 })
        printer.update(.runStarted(runID: "R", runbook: "d", instances: 1, resumed: false))
        clock.advance(by: .seconds(1))
        printer.update(.stepStarted(step: "gate", attempt: 1, of: 1))
        printer.hideLiveView()
        out.sink("Approve? [y/N] y\n")
        clock.advance(by: .seconds(1))
        printer.update(.stepMessage(step: "gate", message: "approved"))
        var screen = TerminalScreen()
        screen.feed(out.value)
        #expect(screen.text == ["[00:00] starting run R of d: 1 step", "Approve? [y/N] y"], "hidden: no block under the prompt")
        printer.showLiveView()
        screen = TerminalScreen()
        screen.feed(out.value)
        #expect(screen.text.suffix(2) == ["0/1 done · 1 running · ETA unknown", "  gate  00:01  approved"])
        printer.finish()
    }

    @Test func withoutATerminalTheWidthFallsBack() {
        #expect(TerminalWidth.of(-1, fallback: 123) == 123)
    }

    @Test func elapsedTexts() {

        #expect(ElapsedText.clock(.seconds(5)) == "00:05")
        #expect(ElapsedText.clock(.seconds(3599)) == "59:59")
        #expect(ElapsedText.clock(.seconds(3723)) == "1:02:03")
        #expect(ElapsedText.short(.milliseconds(70)) == "70ms")
        #expect(ElapsedText.short(.milliseconds(1250)) == "1.2s")
        #expect(ElapsedText.short(.seconds(45)) == "45s")
        #expect(ElapsedText.short(.seconds(125)) == "2m05s")
        #expect(ElapsedText.short(.seconds(3720)) == "1h02m")
    }

    @Test func linesWaitWhileAQuestionIsOnScreen() {
        let out = Output()
        let printer = RunPrinter(format: .lines, style: .plain, write: out.sink, clock: VirtualClock())
        printer.update(.runStarted(runID: "R1", runbook: "demo", instances: 2, resumed: false))
        printer.hideLiveView()
        let before = out.value
        printer.update(.stepFinished(step: "other", result: .succeeded, elapsed: .milliseconds(5)))
        #expect(out.value == before, "nothing is written under the question")
        printer.showLiveView()
        #expect(out.value.hasSuffix("other succeeded in 5ms\n"))
    }

    @Test func manyStepsDoneEarlierAreCountedNotListed() {
        let out = Output()
        let printer = RunPrinter(format: .lines, style: .plain, write: out.sink, clock: VirtualClock())
        printer.update(.runStarted(runID: "R1", runbook: "demo", instances: 101, resumed: true))
        for i in 1...100 { printer.update(.stepRestored(step: "s\(i)", result: .succeeded)) }
        printer.update(.stepStarted(step: "last", attempt: 1, of: 1))
        let lines = out.value.split(separator: "\n")
        #expect(lines.filter { $0.contains("done earlier (succeeded)") }.count == RunPrinter.restoredListed)
        #expect(lines.contains { $0.contains("and 80 more steps done earlier") })
        #expect(lines.last?.contains("last started") == true)
    }

    @Test func stepsNotRunBecauseOfAFailureAreOneCountNotALineEach() throws {
        let out = Output()
        let json = Output()
        let printer = RunPrinter(format: .lines, style: .plain, write: out.sink, clock: VirtualClock())
        let scripts = RunPrinter(format: .json, style: .plain, write: json.sink, clock: VirtualClock())
        let updates: [RunUpdate] = [
            .runStarted(runID: "R1", runbook: "demo", instances: 6, resumed: false),
            .stepFinished(step: "bad", result: .failed("boom"), elapsed: .zero),
            .stepFinished(step: "a", result: .upstreamFailed("bad"), elapsed: .zero),
            .stepFinished(step: "b", result: .upstreamFailed("bad"), elapsed: .zero),
            .stepFinished(step: "c", result: .upstreamFailed("bad"), elapsed: .zero),
            .stepFinished(step: "lone", result: .upstreamFailed("other"), elapsed: .zero),
            .runStopping(reason: .stepFailed(step: "bad")),
        ]
        for update in updates {
            printer.update(update)
            scripts.update(update)
        }
        #expect(
            out.value == """
                [00:00] starting run R1 of demo: 6 steps
                [00:00] bad failed after 0ms: boom
                [00:00] 3 steps not run: 'bad' failed
                [00:00] lone not run: 'other' failed
                [00:00] stopping: step 'bad' failed

                """)
        #expect(json.value.split(separator: "\n").filter { $0.contains("upstream-failed") }.count == 4, "scripts still get every step")
    }

    @Test func aRunStoppedAtAQuestionShowsItWhyAndTheCommandThatAnswersIt() throws {
        var summary = RunSummary()
        summary.notStarted = 2
        summary.stopReason = .waitingForApproval(step: "gate")
        summary.approvals = [PendingApproval(step: "gate", question: "Wipe the pool?", reason: .gate)]
        let out = Output()
        let json = Output()
        let printer = RunPrinter(format: .lines, style: .plain, write: out.sink, stateDirectory: "/srv/state", clock: VirtualClock())
        printer.update(.runFinished(runID: "R1", outcome: .interrupted, summary: summary))
        #expect(
            out.value == """
                [00:00] run R1 interrupted after 0ms: 0 succeeded, 2 not run
                        stopped: waiting for approval at step 'gate'
                          'gate' asks (an approval step): Wipe the pool?
                        to answer yes and carry on: homelab resume R1 --state-dir /srv/state --yes
                        (or resume on a terminal to be asked: homelab resume R1 --state-dir /srv/state)

                """)
        RunPrinter(format: .json, style: .plain, write: json.sink, stateDirectory: "/srv/state", clock: VirtualClock())
            .update(.runFinished(runID: "R1", outcome: .interrupted, summary: summary))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.value.utf8)) as? [String: Any])
        #expect(object["approve"] as? String == "homelab resume R1 --state-dir /srv/state --yes")
        #expect((object["approvals"] as? [[String: String]])?.first == ["step": "gate", "question": "Wipe the pool?", "reason": "approval-step"])
    }
}
