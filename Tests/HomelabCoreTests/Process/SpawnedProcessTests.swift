import Foundation
import Synchronization
import Testing

@testable import HomelabCore

/// The live LocalProcess with real programs: how it stops them (the whole group, SIGTERM then
/// SIGKILL), what it keeps of their output, where that output lives. Time limits are upper
/// bounds far above what is expected, never measurements of speed.
@Suite struct SpawnedProcessTests {
    let spool = SpoolDirectory.temporary()

    func processes(grace: Duration = .seconds(5), cap: OutputCap = .standard) -> SpawnedProcess {
        SpawnedProcess(spool: spool, grace: grace, cap: cap)
    }

    /// A scratch file for a program to write its process group's id to.
    func groupFile() -> String {
        NSTemporaryDirectory() + "homelab-group-" + UUID().uuidString
    }

    /// Waits (up to 60 s: on a loaded machine the test's tasks can wait long for a thread) for
    /// the group id a program wrote to `file`.
    func groupID(in file: String) async throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(60)
        // The file is read once more after the deadline: a pause that overslept it (a loaded
        // machine) must not count as the program never writing it.
        while true {
            let past = ContinuousClock.now >= deadline
            if let text = try? String(contentsOfFile: file, encoding: .utf8), let id = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return id
            }
            if past { throw ActionError("the program never wrote \(file)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// No process of group `id` is left (kill(2) with signal 0 finds none), polled up to 60 s.
    /// For programs without children: kill(2) counts zombies, and an orphan's zombie stays
    /// until the system's init reaps it, which some containers' init never does.
    func groupIsGone(_ id: Int32) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let past = ContinuousClock.now >= deadline
            if kill(-id, 0) != 0 && errno == ESRCH { return true }
            if past { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func aProgramThatIgnoresSIGTERMIsKilledWithItsGroupAfterTheGrace() async throws {
        defer { spool.remove() }
        let file = groupFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let processes = processes(grace: .milliseconds(500))
        // The program never ends by itself, so only a signal ends it; no time is measured, since
        // a loaded machine can hold this test's tasks back for long.
        let task = Task {
            try await processes.run(ProcessCommand(["/bin/sh", "-c", "trap '' TERM; echo $$ > \(file); while :; do sleep 1; done"]))
        }
        let id = try await groupID(in: file)
        defer { kill(-id, SIGKILL) }
        // Should homelab's SIGKILL never come, the watchdog sends one, so a regression fails
        // (the watchdog fired) instead of hanging.
        let fired = Mutex(false)
        let watchdog = Task {
            try await Task.sleep(for: .seconds(300))
            fired.withLock { $0 = true }
            kill(-id, SIGKILL)
        }
        defer { watchdog.cancel() }
        task.cancel()
        await #expect(throws: ProcessStopped(program: "/bin/sh", signal: .killed(after: .milliseconds(500)))) { try await task.value }
        #expect(!fired.withLock { $0 }, "the program outlived homelab's SIGKILL until the watchdog ended it")
        #expect(try await groupIsGone(id))
    }

    @Test func aTimeoutSaysWhichSignalStoppedTheProgram() async throws {
        defer { spool.remove() }
        let processes = processes()
        await #expect {
            try await LiveClock().timeout(.milliseconds(300)) { try await processes.run(ProcessCommand(["sleep", "600"])) }
        } throws: { error in
            (error as? TimedOut)?.message == "timed out after 300ms; sleep stopped with SIGTERM"
        }
    }

    @Test func outputBeyondTheCapKeepsItsHeadAndTailAndSaysHowMuchWasDropped() async throws {
        defer { spool.remove() }
        let result = try await processes(cap: OutputCap(keep: 1_000)).run(
            ProcessCommand(
                ["/bin/sh", "-c", "printf START; head -c 100000 /dev/zero | tr '\\0' x; printf END"]))
        #expect(result.stdout.hasPrefix("START" + String(repeating: "x", count: 995) + "\n[… 98008 bytes of output dropped …]\n"))
        #expect(result.stdout.hasSuffix(String(repeating: "x", count: 997) + "END"))
    }

    @Test func execKeepsAtMostTheStandardCapOfAnOutputOfMegabytes() async throws {
        let context = RecordingContext()
        let outputs = try await Exec().run(ActionCall(step: "s", inputs: ["command": .string("head -c 5000000 /dev/zero | tr '\\0' x")]), context: context)
        let stdout = try #require(outputs["stdout"]?.text)
        #expect(stdout.utf8.count < 2 * OutputCap.standard.keep + 100)
        #expect(stdout.contains("[… \(5_000_000 - 2 * OutputCap.standard.keep) bytes of output dropped …]"))
    }

    @Test func aCapCutsNoCharacterInTwo() {
        let text = Array("ééé".utf8) // two bytes each
        let joined = OutputCap(keep: 3).join(head: Array(text.prefix(3)), tail: Array(text.suffix(3)), total: 100)
        #expect(joined == "é\n[… 96 bytes of output dropped …]\né")
    }

    /// The spool is private and holds no named file even while a program writes into it.
    @Test func theSpoolIsPrivateAndKeepsNoNamedFile() async throws {
        defer { spool.remove() }
        let result = try await processes().run(ProcessCommand(["/bin/sh", "-c", "echo secret; stat -c %a '\(spool.path)'; ls -A '\(spool.path)'"]))
        #expect(result.stdout == "secret\n700\n")
    }

    @Test func aProgramStartsWhereItIsToldWithItsEnvironmentAndStdinEmpty() async throws {
        defer { spool.remove() }
        let result = try await processes().run(
            ProcessCommand(
                ["/bin/sh", "-c", "pwd; echo $ONLY; cat; echo err >&2; exit 4"],
                environment: ["ONLY": "this", "PATH": "/usr/bin:/bin"], directory: "/"))
        #expect(result == ProcessResult(status: 4, stdout: "/\nthis\n", stderr: "err\n"))
    }

    @Test func aMissingProgramOrDirectorySaysWhich() async throws {
        defer { spool.remove() }
        await #expect(throws: ActionError.self) { try await processes().run(ProcessCommand(["homelab-no-such-program"])) }
        await #expect { try await processes().run(ProcessCommand(["/bin/true"], directory: "/homelab-no-such-directory")) } throws: {
            "\($0)".contains("/homelab-no-such-directory")
        }
    }
}
