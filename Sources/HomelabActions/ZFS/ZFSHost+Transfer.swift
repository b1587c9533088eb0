import HomelabCore
import Synchronization

/// The three ways a `zfs send` stream moves: from pool to pool on the host itself (never through
/// homelab), out of the host into homelab (an upload), and from homelab into `zfs receive` (a
/// restore from the cloud). Each is streamed with bounded memory and reports its progress.
extension ZFSHost {
    /// `zfs send SEND | zfs receive RECEIVE`, run on the host by `sh` (POSIX sh has no pipefail,
    /// so the send's status comes back through a file). Its stdin is homelab's lifeline (the
    /// watcher's own output goes to /dev/null, or sshd would wait for it before closing): when homelab goes away (killed, cancelled) the pipeline is stopped instead of
    /// running on unobserved, so a re-run never meets a receive still in progress. Bytes are
    /// counted by GNU dd on the way where the host has it.
    func transfer(send: [String], receive: [String], progress: StreamProgress, pool: String) async throws {
        let counter = try await capabilities(pool: pool).progressCounter
        let script = Self.transferScript(send: send, receive: receive, counted: counter)
        let watcher = TransferOutput(progress: progress)
        let status = try await shell.stream(
            RemoteCommand(command: Self.line(["sh", "-c", script]), timeout: timeout), on: target, input: .lifeline,
            output: { chunk in watcher.take(chunk) })
        progress.finish()
        let (sent, received) = watcher.statuses
        guard status.succeeded, sent == 0, received == 0 else {
            // The receive's status says most (a refused stream); the send's when only it failed.
            let failed = received.flatMap { $0 == 0 ? nil : $0 } ?? sent.flatMap { $0 == 0 ? nil : $0 } ?? status.exitStatus
            throw ZFSError.command(
                host: name, what: "zfs send \(send.joined(separator: " ")) | zfs receive \(receive.joined(separator: " "))",
                status: failed, stderr: status.stderr)
        }
    }

    static func transferScript(send: [String], receive: [String], counted: Bool) -> String {
        let count = counted ? " | dd bs=1M status=progress 2>&5" : ""
        return """
            exec 3<&0 0</dev/null
            ( cat <&3; kill -TERM 0 ) >/dev/null 2>&1 &
            exec 3<&- 5>&1
            s=$(mktemp) || exit 70
            { zfs send \(line(send)); echo $? >"$s"; }\(count) | zfs receive \(line(receive))
            r=$?
            read -r w <"$s"; rm -f "$s"
            echo "homelab-status $w $r"
            """
    }

    /// `zfs send ARGS` with its stream handed to `sink` chunk by chunk; a sink that throws stops
    /// the send. Throws unless the send ended well.
    func sendStream(_ arguments: [String], progress: StreamProgress, into sink: @escaping @Sendable ([UInt8]) async throws -> Void) async throws {
        let status = try await shell.stream(
            RemoteCommand(command: Self.line(["zfs", "send"] + arguments), timeout: timeout), on: target, input: .none,
            output: { chunk in
                try await sink(chunk)
                progress.add(chunk.count)
            })
        progress.finish()
        guard status.succeeded else {
            throw ZFSError.command(host: name, what: "zfs send \(arguments.joined(separator: " "))", status: status.exitStatus, stderr: status.stderr)
        }
    }

    /// `zfs receive ARGS` fed by `producer`. A producer that fails (a tampered chunk) ends the
    /// command's input early, so ZFS sees an incomplete stream; its own error is rethrown, not
    /// the transport's account of it.
    func receiveStream(
        _ arguments: [String], progress: StreamProgress,
        from producer: @escaping @Sendable (_ write: @escaping @Sendable ([UInt8]) async throws -> Void) async throws -> Void
    ) async throws {
        let producerError = Mutex<(any Error)?>(nil)
        let input = RemoteInput.producer { write in
            do {
                try await producer { chunk in
                    try await write(chunk)
                    progress.add(chunk.count)
                }
            } catch {
                producerError.withLock { $0 = error }
                throw error
            }
        }
        let status: RemoteStatus
        do {
            status = try await shell.stream(
                RemoteCommand(command: Self.line(["zfs", "receive"] + arguments), timeout: timeout), on: target, input: input,
                output: { _ in })
        } catch {
            throw producerError.withLock { $0 } ?? error
        }
        if let error = producerError.withLock({ $0 }) { throw error }
        progress.finish()
        guard status.succeeded else {
            throw ZFSError.command(host: name, what: "zfs receive \(arguments.joined(separator: " "))", status: status.exitStatus, stderr: status.stderr)
        }
    }
}

/// Reads what the transfer script prints: dd's running byte counts (lines ended by `\r`) and the
/// final `homelab-status SEND RECEIVE` line.
final class TransferOutput: Sendable {
    private struct State {
        var pending = ""
        var sent: Int?
        var received: Int?
    }

    private let progress: StreamProgress
    private let state = Mutex(State())

    init(progress: StreamProgress) { self.progress = progress }

    var statuses: (Int?, Int?) { state.withLock { ($0.sent, $0.received) } }

    func take(_ chunk: [UInt8]) {
        let lines: [Substring] = state.withLock { state in
            state.pending += String(decoding: chunk, as: UTF8.self)
            guard let last = state.pending.lastIndex(where: { $0 == "\n" || $0 == "\r" }) else { return [] }
            let complete = String(state.pending[..<last])
            state.pending = String(state.pending[state.pending.index(after: last)...])
            return complete.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
        }
        for line in lines {
            if line.hasPrefix("homelab-status ") {
                let fields = line.split(separator: " ")
                state.withLock { state in
                    state.sent = fields.count > 1 ? Int(fields[1]) : nil
                    state.received = fields.count > 2 ? Int(fields[2]) : nil
                }
            } else if let bytes = line.split(separator: " ").first.flatMap({ Int64($0) }), line.contains(" bytes") {
                progress.reached(bytes)
            }
        }
    }
}
