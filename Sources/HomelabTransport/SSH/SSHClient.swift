/// An authenticated SSH connection (libssh2) to one server.
///
/// Operations on one client run one after another on the connection's own thread; open more
/// clients to run commands in parallel. Every operation has a deadline and honours Task
/// cancellation (the channel is closed and the call returns `SSHError.cancelled`).
public final class SSHClient: Sendable {
    public let endpoint: String
    private let configuration: SSHConfiguration
    private let thread: SSHConnectionThread

    private init(configuration: SSHConfiguration, thread: SSHConnectionThread) {
        self.configuration = configuration
        self.endpoint = configuration.endpoint
        self.thread = thread
    }

    deinit { thread.stop() }

    /// Connects, checks the host key against known_hosts, and authenticates.
    public static func connect(_ configuration: SSHConfiguration) async throws -> SSHClient {
        let thread = try SSHConnectionThread(endpoint: configuration.endpoint)
        do {
            try await thread.perform(.connect) { state in try SSHConnector(state: state, configuration: configuration).connect() }
        } catch {
            thread.stop()
            throw error
        }
        return SSHClient(configuration: configuration, thread: thread)
    }

    /// Runs `command`, streaming `stdin` to it and its stdout/stderr to the sinks as they arrive.
    /// Environment variables need the server's AcceptEnv. Returns how the command ended.
    public func execute(
        _ command: String, environment: [String: String] = [:], stdin: SSHInput = .none,
        stdout: any SSHOutputSink, stderr: any SSHOutputSink,
        timeout: Duration = .seconds(3600)
    ) async throws -> SSHExitStatus {
        let endpoint = self.endpoint
        let window = configuration.channelWindow
        let variables = environment.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let deadline = SSHDeadline(timeout)
        switch stdin.source {
        case .none, .bytes, .file:
            return try await thread.perform(.command) { state in
                let session = try state.requireSession()
                return try SSHExecution(
                    state: state, session: session, command: command, environment: variables,
                    feed: try Self.feed(stdin, endpoint), stdout: stdout, stderr: stderr,
                    deadline: deadline, window: window
                ).run()
            }
        case .stream(let produce):
            let wake = thread.wake
            let buffer = SSHInputBuffer(capacity: 4 << 20) { wake.wake() }
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await produce(buffer)
                        buffer.finish()
                    } catch is SSHInputBuffer.ConsumerGone {
                    } catch {
                        buffer.fail(error)
                    }
                }
                defer { buffer.abandon() }
                let status = try await thread.perform(.command) { state in
                    let session = try state.requireSession()
                    return try SSHExecution(
                        state: state, session: session, command: command, environment: variables,
                        feed: SSHStdinFeed(buffer: buffer, endpoint: endpoint), stdout: stdout,
                        stderr: stderr, deadline: deadline, window: window
                    ).run()
                }
                group.cancelAll()
                return status
            }
        }
    }

    /// Runs `command` and hands its stdout to `consume` chunk by chunk, in order, on the calling
    /// task, so the consumer may await (an upload). At most `buffered` bytes (plus one read) wait
    /// for it; beyond that the channel is left unread and the remote command is held back, so
    /// memory stays bounded however long the stream. A consumer that throws stops the command
    /// (its channel is closed) and its error is rethrown.
    public func execute(
        _ command: String, environment: [String: String] = [:], stdin: SSHInput = .none,
        stderr: any SSHOutputSink, timeout: Duration = .seconds(3600), buffered: Int = 4 << 20,
        stdout consume: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws -> SSHExitStatus {
        try await execute(
            command, environment: environment, stdin: stdin, stderr: stderr, timeout: timeout,
            queue: SSHOutputQueue(capacity: buffered) { [thread] in thread.wake.wake() }, consume: consume)
    }

    /// The same with the queue given, so tests can read its high-water mark.
    func execute(
        _ command: String, environment: [String: String], stdin: SSHInput, stderr: any SSHOutputSink,
        timeout: Duration, queue: SSHOutputQueue, consume: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws -> SSHExitStatus {
        try await withThrowingTaskGroup(of: SSHExitStatus.self) { group in
            group.addTask {
                defer { queue.finish() }
                return try await self.execute(command, environment: environment, stdin: stdin, stdout: queue, stderr: stderr, timeout: timeout)
            }
            do {
                while let chunk = await queue.next() { try await consume(chunk) }
            } catch {
                queue.abandon()
                group.cancelAll()
                _ = try? await group.next()
                throw error
            }
            // The queue ends when the command has: its status, or the error it ended with.
            guard let status = try await group.next() else { throw SSHError.closed(endpoint: endpoint) }
            return status
        }
    }

    /// Runs a small command and collects its output (up to `outputLimit` bytes per stream).
    public func run(
        _ command: String, environment: [String: String] = [:], stdin: SSHInput = .none,
        timeout: Duration = .seconds(300), outputLimit: Int = 16 << 20
    ) async throws -> SSHCommandResult {
        let out = SSHCollectedOutput(name: "stdout", limit: outputLimit)
        let err = SSHCollectedOutput(name: "stderr", limit: outputLimit)
        let status = try await execute(command, environment: environment, stdin: stdin, stdout: out, stderr: err, timeout: timeout)
        return SSHCommandResult(status: status, stdout: out.bytes, stderr: err.bytes)
    }

    /// Copies a local file to `remotePath` over SFTP (created or truncated); returns the bytes sent.
    @discardableResult
    public func upload(
        file localPath: String, to remotePath: String, permissions: Int = 0o644,
        timeout: Duration = .seconds(3600)
    ) async throws -> Int {
        let deadline = SSHDeadline(timeout)
        return try await thread.perform(.upload) { state in
            try SSHUpload(
                state: state, session: try state.requireSession(), localPath: localPath,
                remotePath: remotePath, permissions: permissions, deadline: deadline
            ).run()
        }
    }

    /// Says goodbye to the server and frees the session; later calls fail with `SSHError.closed`.
    public func close() async {
        _ = try? await thread.perform(.disconnect) { state in state.teardown() }
        thread.stop()
    }

    private static func feed(_ input: SSHInput, _ endpoint: String) throws -> SSHStdinFeed {
        switch input.source {
        case .none: SSHStdinFeed(memory: [], endpoint: endpoint)
        case .bytes(let bytes): SSHStdinFeed(memory: bytes, endpoint: endpoint)
        case .file(let path): try SSHStdinFeed(filePath: path, endpoint: endpoint)
        case .stream: SSHStdinFeed(memory: [], endpoint: endpoint)
        }
    }
}
