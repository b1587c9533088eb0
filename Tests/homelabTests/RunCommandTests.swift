import Foundation
import HomelabCore
import Testing

/// `homelab run` and `resume` as an operator meets them without a terminal: what a stopped run
/// says, the exit codes, the lock between two runs, secrets checked before the first step.
@Suite struct RunCommandTests {
    static let slow = "runbook: slow\nsteps:\n  - { id: pause, uses: wait, with: { duration: 10m } }\n"

    /// Starts the slow runbook and returns once its step runs (it holds the lock by then).
    func startSlowRun(in workspace: Workspace) throws -> RunningHomelab {
        try workspace.write("slow.yaml", Self.slow)
        let first = try RunningHomelab(["run", "slow.yaml", "--state-dir", workspace.state], directory: workspace.path)
        #expect(waitFor { workspace.journals().contains { ((try? String(contentsOfFile: $0, encoding: .utf8)) ?? "").contains("stepStarted") } })
        return first
    }

    func stop(_ run: RunningHomelab) {
        run.signal(SIGKILL)
        _ = run.wait()
    }

    @Test func aRunStoppedAtAGateShowsTheQuestionWhyAndTheCommandThatAnswersIt() throws {
        let workspace = try Workspace()
        try workspace.write(
            "gate.yaml",
            """
            runbook: gate
            steps:
              - { id: gate, uses: approval, with: { message: Wipe the pool? } }
              - { id: after, uses: exec, needs: [gate], with: { command: "echo done >> out.txt" } }
            """)
        let run = try RunningHomelab(["run", "gate.yaml", "--state-dir", workspace.state], directory: workspace.path)
        #expect(run.wait() == 3, "\(run.stderr)")
        #expect(run.stdout.contains("'gate' asks (an approval step): Wipe the pool?\n"))
        let answer = try #require(run.stdout.split(separator: "\n").first { $0.contains("to answer yes and carry on: ") })
        let command = String(answer.split(separator: ": ", maxSplits: 1)[1])
        #expect(command.hasPrefix("homelab resume ") && command.hasSuffix(" --state-dir \(workspace.state) --yes"))
        // The command it gives answers the question instead of stopping at it again.
        let resumed = try RunningHomelab(Array(command.split(separator: " ").dropFirst().map(String.init)), directory: workspace.path)
        #expect(resumed.wait() == 0, "\(resumed.stdout)\(resumed.stderr)")
        #expect(workspace.read("out.txt") == "done\n")
    }

    @Test func aRunCutOffByItsDeadlineIsDeadlineExceededAndResumable() throws {
        let workspace = try Workspace()
        try workspace.write(
            "deadline.yaml",
            """
            runbook: deadline
            steps:
              - { id: s1, uses: exec, with: { command: "echo s1 >> out.txt" } }
              - { id: s2, uses: wait, needs: [s1], with: { duration: 10m } }
            """)
        let run = try RunningHomelab(["run", "deadline.yaml", "--state-dir", workspace.state, "--deadline", "1s"], directory: workspace.path)
        #expect(run.wait() == 3, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("s2 failed after "))
        #expect(run.stdout.contains(": attempt 1 was cut off by the run deadline after "))
        #expect(run.stdout.contains(" deadline-exceeded after "))
        #expect(run.stdout.contains("stopped: deadline exceeded; resume with: homelab resume "))
        let status = try RunningHomelab(["status", "--state-dir", workspace.state], directory: workspace.path)
        #expect(status.wait() == 0)
        #expect(status.stdout.contains(": deadline-exceeded\n") && status.stdout.contains("\nResume with: homelab resume "))
    }

    @Test func aForEachThatCannotExpandSaysWhyOnTheTerminalAndInJSON() throws {
        let workspace = try Workspace()
        try workspace.write(
            "each.yaml",
            """
            runbook: each
            steps:
              - { id: list, uses: exec, with: { command: "echo a b" } }
              - { id: each, uses: exec, for-each: "${steps.list.outputs.stdout}", with: { command: "echo ${item}" } }
            """)
        let message = "'for-each' of step 'each' must give a list, but ${steps.list.outputs.stdout} gave a string"
        let run = try RunningHomelab(["run", "each.yaml", "--state-dir", workspace.state], directory: workspace.path)
        #expect(run.wait() == 1)
        #expect(run.stdout.contains("each[*] failed after 0ms: \(message)\n"))
        let json = try RunningHomelab(["run", "each.yaml", "--state-dir", workspace.state, "--fresh", "--json"], directory: workspace.path)
        #expect(json.wait() == 1)
        #expect(json.stdout.contains("{\"event\":\"stepFinished\",\"step\":\"each[*]\",\"result\":\"failed\",\"error\":\"\(message)\""))
    }

    @Test func aSecondRunWhileTheFirstGoesOnIsToldAtOnceWhoHoldsTheLock() throws {
        let workspace = try Workspace()
        let first = try startSlowRun(in: workspace)
        defer { stop(first) }
        let second = try RunningHomelab(["run", "slow.yaml", "--state-dir", workspace.state], directory: workspace.path)
        #expect(second.wait() == 1)
        #expect(second.stderr.hasPrefix("error: another run holds the lock: run "), "\(second.stderr)")
        #expect(second.stderr.contains(" of 'slow' by ") && second.stderr.contains(", pid \(first.process.processIdentifier), since "))
        #expect(!second.stderr.contains("did not finish"), "not a question the lock would refuse both answers to")
    }

    @Test func twoRunsCannotHoldOneStateDirectoryEvenAfterTheLockFileIsDeleted() throws {
        let workspace = try Workspace()
        let first = try startSlowRun(in: workspace)
        defer { stop(first) }
        try FileManager.default.removeItem(atPath: workspace.state + "/lock.json")
        let second = try RunningHomelab(["run", "slow.yaml", "--state-dir", workspace.state, "--fresh"], directory: workspace.path)
        #expect(second.wait() == 1)
        #expect(second.stderr.hasPrefix("error: another run holds the lock: run "), "named though lock.json is gone: \(second.stderr)")
        #expect(second.stderr.contains(", pid \(first.process.processIdentifier), "))
        #expect(workspace.journals().count == 1, "the second run never started")
        let unlock = try RunningHomelab(["unlock", "--state-dir", workspace.state, "--force"], directory: workspace.path)
        #expect(unlock.wait() == 1, "a lock a live process holds is not removed: \(unlock.stdout)")
    }

    @Test func aResumeNamesTheStepsTheChangedRunbookAddedRemovedAndChanged() throws {
        let workspace = try Workspace()
        try workspace.write(
            "change.yaml",
            """
            runbook: change
            steps:
              - { id: a, uses: exec, with: { command: "echo a >> out.txt" } }
              - { id: b, uses: fail, needs: [a], with: { message: not yet } }
              - { id: c, uses: exec, with: { command: "echo c >> out.txt" } }
            """)
        let first = try RunningHomelab(["run", "change.yaml", "--state-dir", workspace.state], directory: workspace.path)
        #expect(first.wait() == 1)
        try workspace.write(
            "change.yaml",
            """
            runbook: change
            steps:
              - { id: a, uses: exec, with: { command: "echo a >> out.txt" } }
              - { id: c, uses: exec, with: { command: "echo c2 >> out.txt" } }
              - { id: d, uses: exec, with: { command: "echo d >> out.txt" } }
            """)
        let resumed = try RunningHomelab(["resume", "--state-dir", workspace.state], directory: workspace.path)
        #expect(resumed.wait() == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("the runbook changed since the run stopped: removed b (it had failed); added d; changed c\n"))
        let status = try RunningHomelab(["status", "--state-dir", workspace.state], directory: workspace.path)
        #expect(status.wait() == 0)
        #expect(status.stdout.contains("  changed    at resume 1: removed b (it had failed); added d; changed c\n"), "\(status.stdout)")
    }

    @Test func aMissingOrEmptySecretStopsTheRunBeforeItsFirstStep() throws {
        let workspace = try Workspace()
        try workspace.write(
            "secret.yaml",
            """
            runbook: secret
            secrets:
              token: { env: HOMELAB_TEST_RUN_TOKEN }
            steps:
              - { id: first, uses: exec, with: { command: "echo first >> out.txt" } }
              - { id: use, uses: exec, needs: [first], with: { command: "echo ${secrets.token} > /dev/null" } }
              - { id: after, uses: exec, needs: [use], with: { command: "true" } }
            """)
        let missing = try RunningHomelab(["run", "secret.yaml", "--state-dir", workspace.state], directory: workspace.path)
        #expect(missing.wait() == 1)
        #expect(
            missing.stderr.contains(
                "error: secret 'token' (needed by step 'use') is not available: environment variable HOMELAB_TEST_RUN_TOKEN is not set; export it before the run"
            ), "\(missing.stderr)")
        #expect(workspace.read("out.txt").isEmpty, "no step ran")
        #expect(workspace.journals().isEmpty, "no run was started")

        let empty = try RunningHomelab(
            ["run", "secret.yaml", "--state-dir", workspace.state], directory: workspace.path, environment: ["HOMELAB_TEST_RUN_TOKEN": ""])
        #expect(empty.wait() == 1)
        #expect(empty.stderr.contains("environment variable HOMELAB_TEST_RUN_TOKEN is set but empty"), "\(empty.stderr)")
    }

    @Test func stepsDownstreamOfAFailureAreOneQuietLine() throws {
        let workspace = try Workspace()
        let downstream = (1...5).map { "  - { id: d\($0), uses: exec, needs: [bad], with: { command: \"true\" } }" }.joined(separator: "\n")
        try workspace.write("fail.yaml", "runbook: fail\nsteps:\n  - { id: bad, uses: fail, with: { message: boom } }\n" + downstream + "\n")
        let run = try RunningHomelab(["run", "fail.yaml", "--state-dir", workspace.state], directory: workspace.path)
        #expect(run.wait() == 1)
        #expect(run.stdout.contains("] 5 steps not run: 'bad' failed\n"))
        #expect(!run.stdout.contains("d1 not run"))
    }
}
