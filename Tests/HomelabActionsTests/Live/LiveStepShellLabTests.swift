import Foundation
import HomelabCore
import LabSupport
import Testing

@testable import HomelabActions

/// One login per step against a real OpenSSH sshd (the ZFS lab host): logins are counted in the
/// sshd's own log (`Accepted publickey ... port N`), so the figure is the server's, not ours.
@Suite(.timeLimit(.minutes(10)))
struct LiveStepShellLabTests {
    @Test func aStepsCommandsShareOneLoginAndItsStreamHasItsOwn() async throws {
        let lab = try await ZFSHostLab.start(seed: true)
        defer { lab.fixture.stopInBackground() }
        let log = SSHDLog(path: lab.fixture.string("log"))
        let zfs = ZFSTransport(shell: LiveRemoteShell(), backups: MemoryBackupStore())
        let immich: Value = .list([.string("tank/apps/immich")])

        var mark = try log.mark()
        let scope = LiveRemoteShell().scoped()
        for index in 1...5 {
            let result = try await scope.shell.run(RemoteCommand(command: "echo \(index)"), on: lab.target)
            #expect(result.stdout == "\(index)\n")
        }
        await scope.close()
        #expect(await log.settled(since: mark))
        #expect(try log.logins(since: mark).count == 1, "\(log.tail)")

        mark = try log.mark()
        _ = try await ZFSSnapshot(zfs).run(lab.call(["datasets": immich]), context: RecordingContext())
        #expect(await log.settled(since: mark))
        #expect(try log.logins(since: mark).count == 1, "\(log.tail)")

        // Listings, capability probes and the check afterwards share one login; each send | receive
        // stream has its own: a first copy is two, the oldest snapshot in full, then `-I` the rest.
        mark = try log.mark()
        let replicated = try await ZFSReplicate(zfs).run(lab.call(["datasets": immich]), context: RecordingContext())
        #expect(replicated["bytes"] != .int(0))
        #expect(await log.settled(since: mark))
        #expect(try log.logins(since: mark).count == 3, "\(log.tail)")
    }

    @Test func aConnectionLostBetweenCommandsIsReopenedForTheNextCommand() async throws {
        let lab = try await ZFSHostLab.start()
        defer { lab.fixture.stopInBackground() }
        let log = SSHDLog(path: lab.fixture.string("log"))
        let scope = LiveRemoteShell().scoped()
        let start = try log.mark()

        // The login shell's parent is the sshd process serving this connection.
        let server = try await scope.shell.run(RemoteCommand(command: "echo $PPID"), on: lab.target).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(await Self.eventually { try log.logins(since: start).count == 1 })
        let killed = try #require(try log.logins(since: start).first)
        try await lab.shell("kill -9 \(server)")
        #expect(await Self.eventually { try await lab.shell("kill -0 \(server) 2>/dev/null && echo alive || echo gone") == "gone\n" })
        #expect(await log.settled(since: start, besides: [killed])) // killed, it says no goodbye

        // The kill and the polls logged in too: what counts is the logins after them.
        let mark = try log.mark()
        let again = try await scope.shell.run(RemoteCommand(command: "echo again"), on: lab.target)
        #expect(again.stdout == "again\n")
        let third = try await scope.shell.run(RemoteCommand(command: "echo third"), on: lab.target)
        #expect(third.stdout == "third\n")
        await scope.close()
        #expect(await log.settled(since: mark))
        #expect(try log.logins(since: mark).count == 1, "\(log.tail)") // reopened once, and kept
    }

    @Test func cancellingAStepClosesItsLogin() async throws {
        let lab = try await ZFSHostLab.start()
        defer { lab.fixture.stopInBackground() }
        let log = SSHDLog(path: lab.fixture.string("log"))
        let sessions = ZFSSessions(shell: LiveRemoteShell())
        let target = try ZFSSessions.Target(lab.call(["timeout": .string("1h")]))

        let mark = try log.mark()
        let step = Task {
            try await sessions.within(target, context: RecordingContext()) { host in
                try await host.run(["sh", "-c", "echo homelab-step-marker >/dev/null; sleep 600"])
            }
        }
        #expect(await Self.eventually { try log.logins(since: mark).count == 1 })
        #expect(await Self.eventually { try await lab.shell("pgrep -f 'homelab-step-marke[r]' || true") != "" })
        step.cancel()
        await #expect(throws: (any Error).self) { try await step.value }
        // The step's login and the pgrep polls' ones all end: nothing of the step stays open.
        #expect(await log.settled(since: mark))
    }

    /// Polls `condition` every 200 ms for up to a minute (generous on a loaded machine).
    static func eventually(_ condition: () async throws -> Bool) async -> Bool {
        for _ in 0..<300 {
            if (try? await condition()) == true { return true }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}

/// What the lab's sshd logged (LogLevel VERBOSE), by client port. sshd's processes write their
/// lines a little after the fact, so a count is read once the connections it covers are over.
struct SSHDLog {
    let path: String

    /// Where the log ends now: later questions look only after it.
    func mark() throws -> Int { try lines().count }

    /// Client ports of the successful logins after `mark`, in order.
    func logins(since mark: Int) throws -> [Int] {
        try lines().dropFirst(mark).filter { $0.contains("Accepted publickey") }.compactMap(Self.port)
    }

    /// Waits until at least one connection came after `mark` and every one of them has ended.
    func settled(since mark: Int, besides unended: Set<Int> = []) async -> Bool {
        await LiveStepShellLabTests.eventually {
            let lines = try lines().dropFirst(mark)
            let opened = Set(lines.filter { $0.contains("Connection from") || $0.contains("Accepted publickey") }.compactMap(Self.port))
            let ended = Set(
                lines.filter { line in
                    ["Disconnected from", "Received disconnect from", "Connection closed by", "Connection reset by"].contains { line.contains($0) }
                }.compactMap(Self.port))
            return !opened.isEmpty && opened.subtracting(unended).isSubset(of: ended)
        }
    }

    var tail: String { ((try? lines()) ?? []).suffix(40).joined(separator: "\n") }

    private func lines() throws -> [Substring] {
        // sshd -e ends its lines with \r\n: one Character in Swift, so split on any newline.
        try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline)
    }

    /// The client's port: the first " port N" of a line (the second is the server's).
    private static func port(_ line: Substring) -> Int? {
        guard let range = line.range(of: " port ") else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }
}
