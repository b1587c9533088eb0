import Foundation
import HomelabActions

/// `ssh-receive`: streams a saved `zfs send` stream from a local file into a command on the host
/// (`zfs receive -u backup/x`) through `LiveRemoteShell.stream`, the same call zfs.restore makes
/// for each stream it brings from the cloud, and prints {bytes, seconds, mbps} for
/// bench/zfs_bench.py, which runs `ssh host zfs receive < file` beside it.
enum ZFSReceiveBench {
    struct Options {
        var host = "127.0.0.1", port = 22, user = "", key = "", knownHosts = "", file = "", command = ""
        var chunk = 1 << 20
    }

    static func run(_ arguments: [String]) async -> Int32 {
        guard let options = parse(arguments), let handle = FileHandle(forReadingAtPath: options.file) else {
            FileHandle.standardError.write(
                Data(
                    ("usage: transport-bench ssh-receive --host H --port P --user U --key K --known-hosts F "
                        + "--file STREAM --command 'zfs receive -u pool/x' [--chunk BYTES]\n").utf8))
            return 2
        }
        let target = SSHTarget(
            address: options.host, port: options.port, user: options.user, key: options.key, knownHosts: options.knownHosts,
            hostKeyPolicy: .strict)
        let chunk = options.chunk
        let sent = Counter()
        let started = ContinuousClock.now
        do {
            let status = try await LiveRemoteShell().stream(
                RemoteCommand(command: options.command, timeout: .seconds(3600)), on: target,
                input: .producer { write in
                    while let data = try handle.read(upToCount: chunk), !data.isEmpty {
                        sent.add(data.count)
                        try await write([UInt8](data))
                    }
                },
                output: { _ in })
            let elapsed = ContinuousClock.now - started
            guard status.succeeded else {
                FileHandle.standardError.write(Data("'\(options.command)' ended with \(status.exitStatus): \(status.stderr)\n".utf8))
                return 1
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let bytes = sent.value
            print(
                #"{"bytes": \#(bytes), "seconds": \#(String(format: "%.3f", seconds)), "mbps": \#(String(format: "%.1f", Double(bytes) / seconds / 1e6))}"#
            )
            return 0
        } catch {
            FileHandle.standardError.write(Data("ssh-receive failed: \(error)\n".utf8))
            return 1
        }
    }

    private static func parse(_ arguments: [String]) -> Options? {
        // `--name value` pairs, each name once; any other shape is a usage error.
        guard arguments.count % 2 == 0 else { return nil }
        var values: [String: String] = [:]
        for index in stride(from: 0, to: arguments.count, by: 2) where values.updateValue(arguments[index + 1], forKey: arguments[index]) != nil {
            return nil
        }
        let known: Set = ["--host", "--port", "--user", "--key", "--known-hosts", "--file", "--command", "--chunk"]
        guard Set(values.keys).isSubset(of: known) else { return nil }
        var options = Options()
        options.host = values["--host"] ?? options.host
        options.port = values["--port"].flatMap { Int($0) } ?? (values["--port"] == nil ? options.port : 0)
        options.user = values["--user"] ?? ""
        options.key = values["--key"] ?? ""
        options.knownHosts = values["--known-hosts"] ?? ""
        options.file = values["--file"] ?? ""
        options.command = values["--command"] ?? ""
        options.chunk = values["--chunk"].flatMap { Int($0) } ?? (values["--chunk"] == nil ? options.chunk : 0)
        let complete =
            !options.user.isEmpty && !options.key.isEmpty && !options.knownHosts.isEmpty && !options.file.isEmpty
            && !options.command.isEmpty && options.port > 0 && options.chunk > 0
        return complete ? options : nil
    }
}

/// Bytes read so far; the producer runs on one task at a time, the lock only makes that explicit.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    func add(_ count: Int) { lock.withLock { total += count } }
    var value: Int { lock.withLock { total } }
}
