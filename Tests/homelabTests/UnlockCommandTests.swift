import Foundation
import HomelabCore
import Testing

/// `homelab unlock` as an operator runs it: exit codes and what it prints.
@Suite struct UnlockCommandTests {
    func stateDirectory() throws -> StateDirectory {
        let path = NSTemporaryDirectory() + "homelab-unlock-" + UUID().uuidString
        let state = StateDirectory(path: (path as NSString).standardizingPath)
        try state.prepare()
        return state
    }

    func holder(pid: Int32) -> LockHolder {
        var holder = LockHolder.thisProcess(runID: "20261127T084700Z-3f2a", runbook: "recover-from-scratch", since: Date(timeIntervalSince1970: 1_795_769_220))
        holder.pid = pid
        return holder
    }

    /// The pid of a process that has exited and been reaped: surely not running.
    func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exit 0"]
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func helpTeachesWithExamples() throws {
        let result = try CommandRunner.run(["unlock", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:"))
        #expect(result.stdout.contains("homelab unlock --state-dir"))
    }

    @Test func withoutALockThereIsNothingToDo() throws {
        let state = try stateDirectory()
        let result = try CommandRunner.run(["unlock", "--state-dir", state.path])
        #expect(result.status == 0)
        #expect(result.stdout == "no lock in \(state.path)\n")
        #expect(result.stderr.isEmpty)
    }

    @Test func theDefaultStateDirectoryComesFromXDGStateHome() throws {
        let base = try stateDirectory().path
        let result = try CommandRunner.run(["unlock"], environment: ["XDG_STATE_HOME": base])
        #expect(result.status == 0)
        #expect(result.stdout == "no lock in \(base)/homelab\n")
    }

    @Test func aStaleLockIsRemovedAndItsHolderNamed() throws {
        let state = try stateDirectory()
        let dead = holder(pid: try deadPID())
        _ = try RunLock.acquire(in: state, holder: dead)
        let result = try CommandRunner.run(["unlock", "--state-dir", state.path])
        #expect(result.status == 0)
        #expect(result.stdout == "removed the lock of \(dead) (no longer running) from \(state.lockPath)\n")
        #expect(result.stdout.contains("run 20261127T084700Z-3f2a of 'recover-from-scratch'"))
        #expect(RunLock.current(in: state) == .free)
    }

    @Test func aLockALiveProcessHoldsIsRefusedEvenWhenForced() throws {
        let state = try stateDirectory()
        let live = holder(pid: getpid())
        let lock = try RunLock.acquire(in: state, holder: live)
        for arguments in [["unlock", "--state-dir", state.path], ["unlock", "--state-dir", state.path, "--force"]] {
            let refused = try CommandRunner.run(arguments)
            #expect(refused.status == 1)
            #expect(refused.stdout.isEmpty)
            #expect(refused.stderr.hasPrefix("error: the lock in \(state.lockPath) belongs to \(live), which is still running (its process holds the lock)"))
            #expect(RunLock.current(in: state) == .held(live, alive: true))
        }
        lock.release()
    }

    @Test func aLockFromAnotherHostIsRemovedOnlyWhenForced() throws {
        let state = try stateDirectory()
        var remote = holder(pid: getpid())
        remote.host += "-elsewhere"
        try remote.fileContents.write(to: URL(fileURLWithPath: state.lockPath))
        let refused = try CommandRunner.run(["unlock", "--state-dir", state.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("'homelab unlock --force --state-dir \(state.path)'"))
        let forced = try CommandRunner.run(["unlock", "--state-dir", state.path, "--force"])
        #expect(forced.status == 0)
        #expect(forced.stdout == "removed the lock of \(remote) (its run may still be running) from \(state.lockPath)\n")
        #expect(RunLock.current(in: state) == .free)
    }

    @Test func anUnreadableLockIsRemoved() throws {
        let state = try stateDirectory()
        try Data().write(to: URL(fileURLWithPath: state.lockPath))
        let result = try CommandRunner.run(["unlock", "--state-dir", state.path])
        #expect(result.status == 0)
        #expect(result.stdout == "removed an unreadable lock (the file is empty) from \(state.lockPath)\n")
    }

    @Test(arguments: [["unlock", "--state-dir"], ["unlock", "--state-dir", ""], ["unlock", "extra"]])
    func usageErrorsExitWithTwo(_ arguments: [String]) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
    }
}
