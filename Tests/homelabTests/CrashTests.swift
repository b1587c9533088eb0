import Foundation
import Testing

@testable import HomelabCore

/// homelab killed with SIGKILL at random moments — mid-step, mid-journal-write, mid-startup —
/// then resumed until done: every step's effect happens exactly once and the journal replays.
@Suite(.serialized) struct CrashTests {
    static let steps = 14

    /// Each step appends its name to out.txt; its probe (`unless`) finds the line if a killed
    /// run already did it. The graph has chains and fan-out/fan-in.
    static func runbook() -> String {
        var yaml = "runbook: crash\nsteps:\n"
        for i in 1...steps {
            let name = String(format: "s%02d", i)
            let needs = i == 1 ? [] : i % 4 == 0 ? [String(format: "s%02d", i - 1), String(format: "s%02d", i - 2)] : [String(format: "s%02d", max(1, i - 2))]
            yaml += "  - id: \(name)\n    uses: exec\n    needs: [\(needs.joined(separator: ", "))]\n"
            yaml += "    with: { command: \"echo \(name) >> out.txt\", unless: \"grep -qx \(name) out.txt\" }\n"
        }
        return yaml
    }

    @Test func killedAtFiftyRandomMomentsEveryEffectHappensExactlyOnce() throws {
        var random = SeededRandomForCLI(seed: 42)
        var kills = 0
        for _ in 0..<10 {
            let workspace = try Workspace()
            try workspace.write("crash.yaml", Self.runbook())
            var attempts = 0
            var finished = false
            while !finished {
                attempts += 1
                #expect(attempts < 40, "no convergence")
                if attempts >= 40 { return }
                let started = workspace.journals().contains { ((try? String(contentsOfFile: $0, encoding: .utf8)) ?? "").contains("runStarted") }
                let arguments = started ? ["resume", "--state-dir", workspace.state, "--yes"] : ["run", "crash.yaml", "--state-dir", workspace.state, "--yes"]
                let child = try RunningHomelab(arguments, directory: workspace.path)
                if attempts <= 8 {
                    // A whole run takes about a tenth of a second: kill anywhere inside it.
                    usleep(UInt32(random.next(upTo: 90_000)))
                    if child.process.isRunning {
                        child.signal(SIGKILL)
                        kills += 1
                    }
                }
                let status = child.wait()
                if status == 0 { finished = true }
                if status == 1 && child.stderr.contains("no unfinished run") {
                    // The previous kill landed after the run's end was journaled, while the process
                    // was exiting: the run is complete, which the checks below verify.
                    finished = true
                    continue
                }
                if status == 1 && child.stderr.contains("stale lock") {
                    // Killed after taking the lock, before the run's first event: as an operator would,
                    // take the stale lock with 'homelab unlock' and start again.
                    #expect(try RunningHomelab(["unlock", "--state-dir", workspace.state], directory: workspace.path).wait() == 0)
                    continue
                }
                #expect(status == 0 || status == 137, "unexpected exit \(status): \(child.stderr)")
            }
            let lines = workspace.read("out.txt").split(separator: "\n").map(String.init)
            #expect(lines.sorted() == (1...Self.steps).map { String(format: "s%02d", $0) }, "each effect exactly once")
            for journal in workspace.journals() {
                #expect(throws: Never.self) { _ = try JournalReader.read(journal) }
            }
        }
        #expect(kills >= 50)
    }

    @Test func aTornLastLineIsToleratedAndCutOffOnResume() throws {
        let workspace = try Workspace()
        try workspace.write("crash.yaml", Self.runbook())
        let first = try RunningHomelab(["run", "crash.yaml", "--state-dir", workspace.state, "--yes"], directory: workspace.path)
        #expect(first.wait() == 0)
        let journal = try #require(workspace.journals().first)
        // Make the run look unfinished and torn: drop the last event, then half of the one before.
        var lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.removeLast()
        let torn = String(lines.removeLast().prefix(20))
        try (lines.joined(separator: "\n") + "\n" + torn).write(toFile: journal, atomically: true, encoding: .utf8)
        let resumed = try RunningHomelab(["resume", "--state-dir", workspace.state, "--yes"], directory: workspace.path)
        #expect(resumed.wait() == 0, "\(resumed.stderr)")
        #expect(throws: Never.self) { _ = try JournalReader.read(journal) }
        #expect(workspace.read("out.txt").split(separator: "\n").count == Self.steps)
    }

    @Test func aDamagedMiddleLineIsRefusedWithItsLineNumber() throws {
        let workspace = try Workspace()
        try workspace.write("crash.yaml", Self.runbook())
        let first = try RunningHomelab(["run", "crash.yaml", "--state-dir", workspace.state, "--yes"], directory: workspace.path)
        #expect(first.wait() == 0)
        let journal = try #require(workspace.journals().first)
        var lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = "{\"seq\": 3, garbage"
        lines.removeLast()
        try (lines.joined(separator: "\n") + "\n").write(toFile: journal, atomically: true, encoding: .utf8)
        let resumed = try RunningHomelab(["resume", "--state-dir", workspace.state, "--yes"], directory: workspace.path)
        #expect(resumed.wait() == 1)
        #expect(resumed.stderr.contains("journal.jsonl:3: journal is damaged"))
    }

    @Test func interruptedBySIGINTThenResumed() throws {
        let workspace = try Workspace()
        try workspace.write(
            "slow.yaml",
            """
            runbook: slow
            steps:
              - { id: first, uses: exec, with: { command: "echo first >> out.txt" } }
              - { id: pause, uses: wait, needs: [first], with: { duration: 1s } }
              - { id: last, uses: exec, needs: [pause], with: { command: "echo last >> out.txt" } }
            """)
        let run = try RunningHomelab(["run", "slow.yaml", "--state-dir", workspace.state], directory: workspace.path)
        // Interrupt during the pause, whatever the machine's speed: once the first step is done.
        #expect(waitFor { workspace.read("out.txt") == "first\n" })
        usleep(100_000)
        run.signal(SIGINT)
        #expect(run.wait() == 3, "\(run.stderr)")
        #expect(run.stdout.contains("homelab resume "), "the summary says how to resume")
        let resumed = try RunningHomelab(["resume", "--state-dir", workspace.state], directory: workspace.path)
        #expect(resumed.wait() == 0, "\(resumed.stderr)")
        #expect(workspace.read("out.txt") == "first\nlast\n", "the finished step was not run again")
    }

    @Test func aChangedRunbookRerunsWhatChangedAndItsDownstream() throws {
        let workspace = try Workspace()
        let broken = """
            runbook: change
            steps:
              - { id: a, uses: exec, with: { command: "echo a >> out.txt" } }
              - { id: b, uses: fail, needs: [a], with: { message: not yet } }
              - { id: c, uses: exec, needs: [b], with: { command: "echo c >> out.txt" } }
            """
        try workspace.write("change.yaml", broken)
        let first = try RunningHomelab(["run", "change.yaml", "--state-dir", workspace.state], directory: workspace.path)
        #expect(first.wait() == 1)
        try workspace.write(
            "change.yaml",
            broken.replacingOccurrences(
                of: "uses: fail, needs: [a], with: { message: not yet }", with: "uses: exec, needs: [a], with: { command: \"echo b >> out.txt\" }"))
        let resumed = try RunningHomelab(["resume", "--state-dir", workspace.state], directory: workspace.path)
        #expect(resumed.wait() == 0, "\(resumed.stderr)")
        #expect(workspace.read("out.txt") == "a\nb\nc\n")
        let entries = try JournalReader.read(try #require(workspace.journals().first)).entries
        #expect(entries.contains { if case .runResumed(_, let changed, _) = $0.event { changed == ["b"] } else { false } })
    }

    @Test func aSecondRunOnTheSameStateDirectoryIsRefused() throws {
        let workspace = try Workspace()
        try workspace.write("slow.yaml", "runbook: slow\nsteps:\n  - { id: pause, uses: wait, with: { duration: 2s } }\n")
        let first = try RunningHomelab(["run", "slow.yaml", "--state-dir", workspace.state], directory: workspace.path)
        #expect(waitFor { FileManager.default.fileExists(atPath: workspace.state + "/lock.json") })
        let second = try RunningHomelab(["run", "slow.yaml", "--state-dir", workspace.state, "--fresh"], directory: workspace.path)
        #expect(second.wait() == 1)
        #expect(second.stderr.contains("another run holds the lock"))
        #expect(first.wait() == 0)
    }
}

/// Polls `condition` every 10 ms for up to 10 s: for tests that must act at a given point of
/// a child's run, however slow the machine.
func waitFor(_ condition: () -> Bool) -> Bool {
    for _ in 0..<1_000 {
        if condition() { return true }
        usleep(10_000)
    }
    return false
}

/// SplitMix64, as in the core tests (test targets do not share files).
struct SeededRandomForCLI {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(upTo bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
