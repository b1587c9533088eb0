import Foundation
import Testing

@testable import HomelabCore

/// The programs of `exec` steps, run for real by the real binary: a timeout, a signal, the
/// grace running out stop a step's whole process group; programs start with clean signal
/// masks; their output is spooled privately; a closed standard output does not stop a run.
/// The programs sleep 600 s: a run that ends within the 60 s the harness waits was ended by
/// homelab stopping them, however loaded the machine; these are never measurements of speed.
@Suite(.serialized) struct StepProcessTests {
    /// A shell that writes its process group's id to `group` (it leads its group), then sleeps.
    static let sleeper = "echo $$ > group; sleep 600"

    /// Runs `runbook` (text) in a fresh workspace, `environment` added to the test's own.
    func start(_ runbook: String, environment: [String: String] = [:], stdout: Pipe? = nil) throws -> (Workspace, RunningHomelab) {
        let workspace = try Workspace()
        try workspace.write("runbook.yaml", runbook)
        let run = try RunningHomelab(
            ["run", "runbook.yaml", "--state-dir", workspace.state], directory: workspace.path, environment: environment, stdout: stdout)
        return (workspace, run)
    }

    func entries(_ workspace: Workspace) throws -> [JournalEntry] {
        try JournalReader.read(try #require(workspace.journals().first)).entries
    }

    @Test func aTimedOutStepIsStoppedWithSIGTERMAndItsGroupIsGone() throws {
        let (workspace, run) = try start(
            """
            runbook: timeout
            steps:
              - { id: listed, uses: exec, timeout: 1s, with: { command: [sleep, "600"] } }
              - { id: shell, uses: exec, timeout: 1s, with: { command: \"\(Self.sleeper)\" } }
            """)
        let status = run.wait(upTo: .seconds(60))
        let group = ProcessGroups.id(in: workspace.path + "/group")
        defer { ProcessGroups.kill(group) }
        #expect(status == 1, "the run did not end within 60 s (nil), or ended otherwise: \(run.stderr)")
        let errors = try entries(workspace).compactMap { entry -> String? in
            if case .stepFailed(let step, _, let error, _, _) = entry.event { return "\(step): \(error)" }
            return nil
        }
        #expect(
            errors.sorted() == [
                "listed: timed out after 1s; sleep stopped with SIGTERM",
                "shell: timed out after 1s; /bin/sh stopped with SIGTERM",
            ])
        let id = try #require(group)
        #expect(ProcessGroups.gone(id), "the step's process group outlived its timeout")
    }

    @Test func programsStartWithNoSignalBlockedOrIgnored() throws {
        let (workspace, run) = try start(
            """
            runbook: mask
            steps:
              - { id: mask, uses: exec, with: { command: [grep, -E, "^Sig(Blk|Ign)", /proc/self/status] } }
            """)
        #expect(run.wait(upTo: .seconds(60)) == 0, "\(run.stderr)")
        let outputs = try entries(workspace).compactMap { entry -> Value? in
            if case .stepSucceeded(_, _, let outputs) = entry.event { return outputs }
            return nil
        }
        let lines = (outputs.first?["stdout"]?.text ?? "").split(separator: "\n")
        let masks = Dictionary(
            uniqueKeysWithValues: lines.compactMap { line -> (String, UInt64)? in
                let parts = line.split(separator: ":")
                return parts.count == 2 ? (String(parts[0]), UInt64(parts[1].trimmingCharacters(in: .whitespaces), radix: 16) ?? .max) : nil
            })
        #expect(masks["SigBlk"] == 0, "\(lines)")
        // Signals 1 to 31; glibc's posix_spawn itself leaves its two internal real-time signals
        // (32 and 33, which only glibc uses) ignored in every program it starts.
        #expect(masks["SigIgn"].map { $0 & 0x7FFF_FFFF } == 0, "\(lines)")
    }

    /// SIGHUP is SIGTERM; SIGINT is Ctrl-C. The first signal lets running steps go on; the
    /// second cancels them, which stops their programs at once.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aSecondSignalStopsTheRunningStepsProcessGroup(_ number: Int32) throws {
        let (workspace, run, group) = try startLongStep()
        defer { ProcessGroups.kill(group) }
        run.signal(number)
        #expect(waitFor { run.stderr.contains("no new steps will start") }, "\(run.stderr)")
        run.signal(number)
        try expectStopped(run, group: group, workspace: workspace)
    }

    @Test func whenTheGraceRunsOutTheRunningStepsAreStopped() throws {
        let (workspace, run, group) = try startLongStep(environment: ["HOMELAB_STOP_GRACE": "1s"])
        defer { ProcessGroups.kill(group) }
        run.signal(SIGTERM)
        try expectStopped(run, group: group, workspace: workspace)
    }

    /// Starts a run of one step that sleeps 30 s; returns once its shell has written its group.
    func startLongStep(environment: [String: String] = [:]) throws -> (Workspace, RunningHomelab, Int32) {
        let (workspace, run) = try start(
            "runbook: long\nsteps:\n  - { id: long, uses: exec, with: { command: \"\(Self.sleeper)\" } }\n", environment: environment)
        #expect(waitFor { ProcessGroups.id(in: workspace.path + "/group") != nil })
        return (workspace, run, try #require(ProcessGroups.id(in: workspace.path + "/group")))
    }

    /// The run ends interrupted (resumable), long before its step's sleep would have, and the
    /// step's process group is gone.
    func expectStopped(_ run: RunningHomelab, group: Int32, workspace: Workspace) throws {
        let status = run.wait(upTo: .seconds(60))
        #expect(status == 3, "the run did not end within 60 s (nil), or ended otherwise: \(run.stderr)")
        #expect(try entries(workspace).contains { if case .runInterrupted = $0.event { true } else { false } })
        #expect(ProcessGroups.gone(group), "the step's process group outlived the run")
    }

    /// dash's `wait` never returned when the shell started with SIGCHLD blocked.
    @Test func aShellWaitingForItsBackgroundJobFinishes() throws {
        let (workspace, run) = try start(
            """
            runbook: wait
            steps:
              - { id: wait, uses: exec, with: { command: "echo $$ > group; sleep 2 & wait; echo done" } }
            """)
        let status = run.wait(upTo: .seconds(30))
        defer { ProcessGroups.kill(ProcessGroups.id(in: workspace.path + "/group")) }
        #expect(status == 0, "\(run.stderr)")
        #expect(
            try entries(workspace).contains { if case .stepSucceeded(_, _, let outputs) = $0.event { outputs["stdout"] == .string("done") } else { false } })
    }

    /// A step echoes a secret and is still running when homelab is killed with SIGKILL: its
    /// output must be nowhere anyone else can read it, and nothing of it left once resumed.
    @Test func aKilledRunLeavesNoReadableSpoolAndResumeCleansIt() throws {
        let canary = "canary-" + UUID().uuidString
        let environment = ["CANARY_TOKEN": canary]
        let (workspace, run) = try start(
            """
            runbook: spool
            secrets:
              token: { env: CANARY_TOKEN }
            steps:
              - id: echo-secret
                uses: exec
                with: { command: "echo token=$TOKEN; \(Self.sleeper)", env: { TOKEN: "${secrets.token}" }, creates: group }
            """, environment: environment)
        #expect(waitFor { ProcessGroups.id(in: workspace.path + "/group") != nil })
        let group = ProcessGroups.id(in: workspace.path + "/group")
        defer { ProcessGroups.kill(group) }
        run.signal(SIGKILL)
        #expect(run.wait() == 137)

        let temporary = NSTemporaryDirectory()
        let leaks =
            Self.files(under: temporary, recursive: false).filter { $0.contains("homelab") && Self.contains($0, canary) }
            + Self.files(under: workspace.state, recursive: true).filter { Self.contains($0, canary) }
        #expect(leaks.isEmpty, "the secret's value is in \(leaks)")
        let runDirectory = try #require(workspace.journals().first.map { ($0 as NSString).deletingLastPathComponent })
        let spool = runDirectory + "/spool"
        if FileManager.default.fileExists(atPath: spool) {
            #expect(Self.mode(spool) == 0o700)
            for file in Self.files(under: spool, recursive: true) {
                #expect(Self.mode(file) & 0o077 == 0, "\(file) is readable by others")
            }
        } else {
            #expect(mkdir(spool, 0o700) == 0)
        }
        ProcessGroups.kill(group)

        // A file left by a kill at the instant between creating a spool file and unlinking it.
        #expect(FileManager.default.createFile(atPath: spool + "/.output-left", contents: Data("x".utf8), attributes: [.posixPermissions: 0o600]))
        let resumed = try RunningHomelab(["resume", "--state-dir", workspace.state, "--yes"], directory: workspace.path, environment: environment)
        #expect(resumed.wait(upTo: .seconds(60)) == 0, "\(resumed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: spool), "the spool outlived the run")
    }

    /// `homelab run ... | head -2`: the reader goes away mid-run; the run carries on to its end.
    @Test func aRunWhoseOutputIsClosedFinishesAndReleasesItsLock() throws {
        let pipe = Pipe()
        let (workspace, run) = try start(
            """
            runbook: piped
            steps:
              - { id: first, uses: exec, with: { command: "echo first" } }
              - { id: gate, uses: exec, needs: [first], with: { command: "while [ ! -f go ]; do sleep 0.05; done" } }
              - { id: after, uses: exec, needs: [gate], with: { command: "echo after" } }
            """, stdout: pipe)
        #expect(!pipe.fileHandleForReading.availableData.isEmpty, "the run printed nothing")
        try pipe.fileHandleForReading.close()
        try? pipe.fileHandleForWriting.close() // the child's copy is the one that matters
        #expect(FileManager.default.createFile(atPath: workspace.path + "/go", contents: nil))
        #expect(run.wait(upTo: .seconds(60)) == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.state + "/lock.json"), "the lock was left behind")
        #expect(try entries(workspace).contains { if case .runFinished(.succeeded) = $0.event { true } else { false } })
    }

    static func files(under directory: String, recursive: Bool) -> [String] {
        let names =
            (try? recursive ? FileManager.default.subpathsOfDirectory(atPath: directory) : FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.map { directory + "/" + $0 }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    static func contains(_ file: String, _ text: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: file), let data = try? handle.read(upToCount: 1 << 20) else { return false }
        return String(decoding: data, as: UTF8.self).contains(text)
    }

    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
    }
}
