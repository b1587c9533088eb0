import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One program started by `SpawnedProcess`. It starts as the leader of a process group of its
/// own, with no signal blocked and every signal at its default: homelab's threads block signals
/// and its signal handling ignores SIGINT and SIGTERM, and both would otherwise be inherited
/// (a blocked or ignored SIGTERM cannot stop a step; a blocked SIGCHLD hangs a shell's `wait`).
/// A thread of its own waits for it with waitpid, so its end never depends on SIGCHLD handling.
final class ChildProcess: Sendable {
    let pid: pid_t
    private let state = Mutex(State())

    private struct State {
        /// The wait status, once reaped.
        var status: Int32?
        var waiter: CheckedContinuation<Int32, Never>?
        /// How homelab stopped it, if it did.
        var stopped: ProcessStopped.Signal?
    }

    /// Starts `command` with standard input from /dev/null (or a pipe holding `command.input`)
    /// and its output into `stdout` and `stderr` (descriptors, duplicated into the program).
    init(_ command: ProcessCommand, stdout: Int32, stderr: Int32) throws {
        pid = try Self.spawn(command, stdout: stdout, stderr: stderr)
        Thread.detachNewThread { [self] in reap() }
    }

    /// The wait status of the program's end.
    func exit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status = state.withLock { state -> Int32? in
                if state.status == nil { state.waiter = continuation }
                return state.status
            }
            if let status { continuation.resume(returning: status) }
        }
    }

    /// How homelab stopped the program (nil: it ended by itself).
    var stopped: ProcessStopped.Signal? {
        state.withLock { $0.stopped }
    }

    /// SIGTERM to the whole group; SIGKILL to whatever of the group is left after `grace`.
    /// The group, not only the program: a shell's children (`sleep 600 &`) must stop too.
    func stop(grace: Duration) {
        let first = state.withLock { state -> Bool in
            guard state.status == nil, state.stopped == nil else { return false }
            state.stopped = .terminated
            return true
        }
        guard first else { return }
        kill(-pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.interval(grace)) { [self] in
            state.withLock { state in
                if state.status == nil { state.stopped = .killed(after: grace) }
            }
            // Also when the leader has ended: a child of it that ignored SIGTERM is still in the
            // group. (An empty group's id could only be someone else's after the system's pids
            // wrapped around within the grace.)
            kill(-pid, SIGKILL)
        }
    }

    private func reap() {
        var status: Int32 = 0
        var reaped: pid_t
        repeat { reaped = waitpid(pid, &status, 0) } while reaped < 0 && errno == EINTR
        // Nothing else in homelab reaps children; should something have, report a failure.
        if reaped < 0 { status = 255 << 8 }
        let waiter = state.withLock { state -> CheckedContinuation<Int32, Never>? in
            state.status = status
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: status)
    }

    private static func spawn(_ command: ProcessCommand, stdout: Int32, stderr: Int32) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var every = sigset_t()
        sigfillset(&every)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &every)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let input = try InputPipe(command.input)
        defer { input?.close() }
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input.reader, STDIN_FILENO)
        } else {
            posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, stdout, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, stderr, STDERR_FILENO)
        if let directory = command.directory { try SpawnExtensions.addChdir(&actions, directory) }
        // Only the three standard streams reach the program: a program that outlives its step
        // must not hold the journal, the lock or a connection of homelab's open.
        SpawnExtensions.addClosefrom(&actions, 3)

        let arguments = command.arguments.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        let environment = command.environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { for entry in environment ?? [] { free(entry) } }
        var pid: pid_t = 0
        let code =
            environment.map { posix_spawnp(&pid, command.arguments[0], &actions, &attributes, arguments, $0) }
            ?? posix_spawnp(&pid, command.arguments[0], &actions, &attributes, arguments, environ)
        guard code == 0 else {
            let place = command.directory.map { " in \($0)" } ?? ""
            throw ActionError("cannot start \(command.arguments[0])\(place): \(String(cString: strerror(code)))")
        }
        return pid
    }

    private static func interval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}

/// A pipe already holding all of a program's input, its writing end closed, so the program reads
/// the bytes and then end-of-file without homelab feeding it from a thread. Both ends are
/// close-on-exec; the program gets the reading end as its standard input only.
private struct InputPipe {
    let reader: Int32

    init?(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return nil }
        guard bytes.count <= ProcessCommand.maximumInput else {
            throw ActionError("a program's input is limited to \(ProcessCommand.maximumInput) bytes, given \(bytes.count)")
        }
        var ends: [Int32] = [0, 0]
        // pipe2 is not in Swift's Glibc module; close-on-exec is set at once (and every spawn
        // closes descriptors from 3 up in the child anyway).
        guard pipe(&ends) == 0 else { throw ActionError("cannot make a pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        defer { Glibc.close(ends[1]) }
        var rest = bytes[...]
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { Glibc.write(ends[1], $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                let reason = String(cString: strerror(errno))
                Glibc.close(ends[0])
                throw ActionError("cannot fill a program's input: \(reason)")
            }
            rest = rest.dropFirst(written)
        }
        reader = ends[0]
    }

    func close() { Glibc.close(reader) }
}
