import Foundation
import HomelabCore
import Testing

/// `homelab run` and `resume` as an operator meets them without a terminal: the lock between two runs.
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
}
