import Foundation
import Testing

@testable import HomelabCore

@Suite struct RunLockTests {
    let since = Date(timeIntervalSince1970: 1_795_769_220) // 2026-11-27T08:47:00Z

    func holder(_ runID: String = "20261127T084700Z-3f2a", pid: Int32 = getpid(), host: String = LocalHost.name) -> LockHolder {
        LockHolder(host: host, pid: pid, runID: runID, runbook: "recover-from-scratch", user: "alice", since: since)
    }

    func preparedState() throws -> StateDirectory {
        let state = StateDirectory(path: try temporaryDirectory() + "/state")
        try state.prepare()
        return state
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

    /// Writes a lock file as a run would have left it.
    func leave(_ holder: LockHolder, in state: StateDirectory) throws {
        let lock = try RunLock.acquire(in: state, holder: holder)
        _ = lock // never released, like a run that died
    }

    @Test func theLockFileIsJSONWithAnISO8601Time() throws {
        let state = try preparedState()
        let lock = try RunLock.acquire(in: state, holder: holder())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: state.lockPath))) as? [String: Any])
        #expect(object["since"] as? String == "2026-11-27T08:47:00Z")
        #expect(object["run-id"] as? String == "20261127T084700Z-3f2a")
        #expect(object["pid"] as? Int == Int(getpid()))
        #expect(Set(object.keys) == ["host", "pid", "run-id", "runbook", "user", "since"])
        let attributes = try FileManager.default.attributesOfItem(atPath: state.lockPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: state.path).sorted() == ["lock", "lock.json", "runs"], "no temporary file left")
        lock.release()
    }

    @Test func aHolderReadBackEqualsTheOneWrittenToTheSecond() throws {
        let precise = LockHolder(host: "h", pid: 1, runID: "r", runbook: "b", user: "u", since: since.addingTimeInterval(0.75))
        #expect(precise.since == since)
        let decoded = try LockHolder(fileContents: precise.fileContents)
        #expect(decoded == precise)
    }

    @Test func aLockFileIsSortedIndentedJSONAndOneFromAnotherWriterIsReadToo() throws {
        let holder = LockHolder(host: "h", pid: 42, runID: "r", runbook: "a/b", user: "u", since: since)
        #expect(
            String(decoding: holder.fileContents, as: UTF8.self) == """
                {
                  "host": "h",
                  "pid": 42,
                  "run-id": "r",
                  "runbook": "a/b",
                  "since": "\(LockHolder.format(since))",
                  "user": "u"
                }

                """)
        // Compact, slashes escaped, fractional seconds: what Foundation's JSONEncoder or a script writes.
        let foreign = #"{"user":"u","since":"\#(LockHolder.format(since).dropLast()).000Z","runbook":"a\/b","run-id":"r","pid":42,"host":"h"}"#
        #expect(try LockHolder(fileContents: Data(foreign.utf8)) == holder)
    }

    @Test func acquireThenReleaseLeavesNoLock() throws {
        let state = try preparedState()
        let lock = try RunLock.acquire(in: state, holder: holder())
        #expect(RunLock.current(in: state) == .held(holder(), alive: true))
        #expect(lock.release())
        #expect(!FileManager.default.fileExists(atPath: state.lockPath))
        #expect(RunLock.current(in: state) == .free)
        #expect(!lock.release(), "a second release has nothing to remove")
        try RunLock.acquire(in: state, holder: holder("20261127T090000Z-0001")).release()
    }

    @Test func aSecondRunIsRefusedAndToldWhoHoldsTheLock() throws {
        let state = try preparedState()
        let first = try RunLock.acquire(in: state, holder: holder())
        #expect(throws: LockError.held(holder(), path: state.lockPath)) {
            try RunLock.acquire(in: state, holder: holder("20261127T090000Z-0001"))
        }
        let message = LockError.held(holder(host: "pve-laptop"), path: state.lockPath).description
        #expect(
            message
                == "another run holds the lock: run 20261127T084700Z-3f2a of 'recover-from-scratch' by alice on host pve-laptop, pid \(getpid()), since 2026-11-27T08:47:00Z; wait for it to finish or stop it"
        )
        first.release()
    }

    @Test func aLockFromARunThatDiedOnThisHostIsStale() throws {
        let state = try preparedState()
        let dead = holder(pid: try deadPID())
        try leave(dead, in: state)
        #expect(RunLock.current(in: state) == .held(dead, alive: false))
        do {
            _ = try RunLock.acquire(in: state, holder: holder("20261127T090000Z-0001"))
            Issue.record("a stale lock was taken silently")
        } catch {
            #expect(error == .stale(dead, path: state.lockPath))
            #expect(
                error.description
                    == "a stale lock from run 20261127T084700Z-3f2a of 'recover-from-scratch' by alice since 2026-11-27T08:47:00Z (no process holds it any more; it was pid \(dead.pid) on this host) is in \(state.lockPath); run 'homelab unlock --state-dir \(state.path)' to take it over"
            )
        }
        #expect(FileManager.default.fileExists(atPath: state.lockPath), "the stale lock stays until unlock")
    }

    @Test func aLockFromAnotherHostIsNeverCalledStale() throws {
        let state = try preparedState()
        let remote = holder(pid: try deadPID(), host: LocalHost.name + "-elsewhere")
        try leave(remote, in: state)
        #expect(RunLock.current(in: state) == .held(remote, alive: true))
        #expect(throws: LockError.held(remote, path: state.lockPath)) { try RunLock.acquire(in: state, holder: holder("r2")) }
        #expect(throws: LockError.stillRunning(remote, path: state.lockPath, onThisHost: false)) { try RunLock.unlock(in: state, force: false) }
        #expect(try RunLock.forceUnlock(in: state) == remote)
    }

    @Test(arguments: [
        ("", "the file is empty"),
        ("{\"host\": \"h\", \"pi", "not a JSON lock file"),
        ("{\"host\": \"h\", \"pid\": 42}", "no 'run-id'"),
        (
            "{\"host\": \"h\", \"pid\": \"42\", \"run-id\": \"r\", \"runbook\": \"b\", \"user\": \"u\", \"since\": \"2026-11-27T08:47:00Z\"}",
            "'pid' has the wrong type"
        ),
        (
            "{\"host\": \"h\", \"pid\": 0, \"run-id\": \"r\", \"runbook\": \"b\", \"user\": \"u\", \"since\": \"2026-11-27T08:47:00Z\"}",
            "'pid' must be a positive process id"
        ),
        (
            "{\"host\": \"h\", \"pid\": 42, \"run-id\": \"r\", \"runbook\": \"b\", \"user\": \"u\", \"since\": \"yesterday\"}",
            "'since' 'yesterday' is not an ISO 8601 time"
        ),
    ])
    func anUnreadableLockIsRefusedNotTaken(_ text: String, _ reason: String) throws {
        let state = try preparedState()
        try Data(text.utf8).write(to: URL(fileURLWithPath: state.lockPath))
        #expect(RunLock.current(in: state) == .unreadable(reason: reason))
        do {
            _ = try RunLock.acquire(in: state, holder: holder())
            Issue.record("an unreadable lock was taken")
        } catch {
            #expect(error == .unreadable(path: state.lockPath, reason: reason))
            #expect(error.description.contains("homelab unlock --state-dir \(state.path)"))
        }
        #expect(try String(contentsOfFile: state.lockPath, encoding: .utf8) == text, "left as it was")
        #expect(try RunLock.unlock(in: state, force: false) == .unreadable(reason: reason))
        #expect(RunLock.current(in: state) == .free)
    }

    @Test func releaseLeavesALockFileThatIsNoLongerOurs() throws {
        let state = try preparedState()
        let ours = try RunLock.acquire(in: state, holder: holder())
        // Rewritten from outside while the run went on (by hand, or by a tool that knows no better).
        let theirs = holder("20261127T090000Z-0001")
        try theirs.fileContents.write(to: URL(fileURLWithPath: state.lockPath))
        #expect(RunLock.current(in: state) == .held(holder(), alive: true), "the holder of the flock, not the rewritten file")
        #expect(!ours.release())
        #expect(RunLock.current(in: state) == .held(theirs, alive: false), "left in place, and stale: no process holds it")
    }

    @Test func aDeletedOrOverwrittenLockFileDoesNotLetASecondRunIn() throws {
        let state = try preparedState()
        let first = try RunLock.acquire(in: state, holder: holder())
        try FileManager.default.removeItem(atPath: state.lockPath)
        #expect(throws: LockError.held(holder(), path: state.lockPath), "named from the flocked file though lock.json is gone") {
            try RunLock.acquire(in: state, holder: holder("20261127T090000Z-0001"))
        }
        #expect(RunLock.current(in: state) == .held(holder(), alive: true))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: state.lockPath))
        #expect(throws: LockError.held(holder(), path: state.lockPath)) {
            try RunLock.acquire(in: state, holder: holder("20261127T090000Z-0002"))
        }
        first.release()
        #expect(throws: LockError.unreadable(path: state.lockPath, reason: "no 'host'"), "once it is gone, the broken file is judged as before") {
            try RunLock.acquire(in: state, holder: holder("20261127T090000Z-0003"))
        }
    }

    @Test func aLockIsHeldWhileItsObjectLivesAndStaleOnceDroppedWithoutRelease() throws {
        let state = try preparedState()
        var lock: RunLock? = try RunLock.acquire(in: state, holder: holder())
        #expect(RunLock.current(in: state) == .held(holder(), alive: true))
        lock = nil // as a process that died: the kernel drops the flock, lock.json stays
        #expect(lock == nil)
        #expect(RunLock.current(in: state) == .held(holder(), alive: false), "stale even though its pid (this process) still runs")
    }

    @Test func unlockNeverRemovesALockARunningProcessHolds() throws {
        let state = try preparedState()
        #expect(try RunLock.unlock(in: state, force: false) == .free)
        #expect(try RunLock.forceUnlock(in: state) == nil)
        let lock = try RunLock.acquire(in: state, holder: holder())
        for force in [false, true] {
            do {
                _ = try RunLock.unlock(in: state, force: force)
                Issue.record("a live lock was removed (force: \(force))")
            } catch {
                #expect(error == .stillRunning(holder(), path: state.lockPath, onThisHost: true))
                #expect(error.description.contains("which is still running (its process holds the lock); stop that run first, and the lock goes with it"))
            }
        }
        #expect(RunLock.current(in: state) == .held(holder(), alive: true))
        #expect(lock.release())
        #expect(RunLock.current(in: state) == .free)
    }

    @Test func unlockRemovesAStaleLock() throws {
        let state = try preparedState()
        let dead = holder(pid: try deadPID())
        try leave(dead, in: state)
        #expect(try RunLock.unlock(in: state, force: false) == .held(dead, alive: false))
        try RunLock.acquire(in: state, holder: holder("r2")).release()
    }

    @Test func acquireWithoutTheDirectorySaysWhere() throws {
        let state = StateDirectory(path: try temporaryDirectory() + "/missing")
        #expect(throws: LockError.io(path: state.flockPath, operation: "open", reason: "No such file or directory")) {
            try RunLock.acquire(in: state, holder: holder())
        }
    }

    @Test func pathsWithSpacesAreQuotedInTheAdvice() {
        let error = LockError.unreadable(path: "/tmp/my state/lock.json", reason: "the file is empty")
        #expect(error.description.hasSuffix("remove it with 'homelab unlock --state-dir '/tmp/my state''"))
    }

    @Test func ofTwoRacingRunsExactlyOneWins() throws {
        for _ in 0..<50 {
            let state = try preparedState()
            let holders = [holder("20261127T084700Z-aaaa"), holder("20261127T084700Z-bbbb")]
            let results = Results()
            let start = DispatchGroup()
            start.enter()
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                if index == 0 { start.leave() } else { start.wait() }
                let result = Result { () throws(LockError) in try RunLock.acquire(in: state, holder: holders[index]) }
                results.append(index, result)
            }
            let all = results.all
            let winners = all.compactMap { try? $0.1.get() }
            #expect(winners.count == 1)
            guard let winner = winners.first else { continue }
            for (_, result) in all {
                if case .failure(let error) = result {
                    #expect(error == .held(winner.holder, path: state.lockPath), "the loser names the winner, never a half-written lock")
                }
            }
            #expect(RunLock.current(in: state).holder == winner.holder)
            #expect(winner.release())
        }
    }
}

/// Results gathered from several threads.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(Int, Result<RunLock, LockError>)] = []

    func append(_ index: Int, _ result: Result<RunLock, LockError>) {
        lock.withLock { items.append((index, result)) }
    }

    var all: [(Int, Result<RunLock, LockError>)] {
        lock.withLock { items }
    }
}
