import Foundation
import HomelabTransport

/// A host with real ZFS: lab/fixtures/zfs_host_fixture.py (zfs-fuse and an OpenSSH sshd in a
/// private mount namespace, pools `tank` (a mirror) and `backup` on files in its own folder).
/// Tests reach it the way homelab does, over SSH (libssh2): `shell` runs a command in the
/// host's namespace, where `zfs` and `zpool` see the pools and the datasets are mounted under
/// `mountRoot` (/mnt/tank, /mnt/backup).
public final class ZFSHostLab: Sendable {
    public let fixture: LabFixture

    /// The snapshot chain a seeded host carries on every seeded dataset, oldest first.
    public static let seededSnapshots = [
        "homelab-2026-12-01-0000", "homelab-2026-12-01-0100", "homelab-2026-12-01-0200", "homelab-2026-12-01-0300",
    ]
    /// The datasets a seeded host has on `tank` (parents first); the replica has them on `backup`.
    public static let seededDatasets = ["tank/apps", "tank/apps/nextcloud", "tank/apps/immich", "tank/media"]

    public enum Failure: Error, CustomStringConvertible {
        case commandFailed(String, status: SSHExitStatus, stderr: String)
        public var description: String {
            switch self {
            case .commandFailed(let command, let status, let stderr): "lab host: `\(command)` ended with \(status): \(stderr)"
            }
        }
    }

    private init(fixture: LabFixture) { self.fixture = fixture }

    /// Starts a host. `sizeMiB` is the size of each (sparse) vdev file; `seed` adds the datasets,
    /// files and the 4-snapshot chain; `replica` also replicates that chain to `backup`; `bulk`
    /// adds datasets (e.g. "tank/bench": 2048) holding one file of that many MiB and one snapshot
    /// (`seededSnapshots[0]`), for benchmarks.
    public static func start(
        sizeMiB: Int? = nil, seed: Bool = false, replica: Bool = false, seedMiB: Int? = nil, bulk: [String: Int] = [:]
    ) async throws -> ZFSHostLab {
        var arguments: [String] = []
        if let sizeMiB { arguments += ["--size", String(sizeMiB)] }
        if seed { arguments.append("--seed") }
        if replica { arguments.append("--seed-replica") }
        if let seedMiB { arguments += ["--seed-mib", String(seedMiB)] }
        for (dataset, mib) in bulk.sorted(by: { $0.key < $1.key }) { arguments += ["--bulk", "\(dataset):\(mib)"] }
        return ZFSHostLab(fixture: try await LabFixture.start("zfs_host_fixture.py", arguments, timeout: 600))
    }

    public var host: String { fixture.string("host") }
    public var port: Int { fixture.int("port") }
    public var user: String { fixture.string("user") }
    /// The client's private key (ed25519, no passphrase).
    public var key: String { fixture.string("key") }
    public var knownHosts: String { fixture.string("known_hosts") }
    public var directory: String { fixture.string("dir") }
    /// Where the pools are mounted inside the host's namespace (/mnt: /mnt/tank, /mnt/backup).
    public var mountRoot: String { fixture.string("mount_root") }

    /// Pool name -> the paths of its vdev files (for inventory `zfs.pools`).
    public var pools: [String: [String]] {
        ((fixture.info["pools"] as? [String: Any]) ?? [:]).mapValues { ($0 as? [String]) ?? [] }
    }

    /// Snapshot name -> guid (decimal, as `zfs get -Hp guid` prints it) of a seeded dataset, as
    /// the fixture recorded them after seeding.
    public func seededGuids(_ dataset: String) -> [String: String] {
        let datasets = ((fixture.info["datasets"] as? [String: Any]) ?? [:]).merging((fixture.info["bulk"] as? [String: Any]) ?? [:]) { a, _ in a }
        return (datasets[dataset] as? [String: Any])?.compactMapValues { $0 as? String } ?? [:]
    }

    /// How homelab's SSH transport logs in to this host (strict host key checking).
    public var sshConfiguration: SSHConfiguration {
        SSHConfiguration(
            host: host, port: port, user: user, credentials: [.privateKey(path: key)],
            knownHostsPath: knownHosts, hostKeyPolicy: .strict, connectTimeout: .seconds(60))
    }

    /// Runs a shell command on the host over SSH and returns what it printed and how it ended.
    public func run(_ command: String, stdin: SSHInput = .none, timeout: Duration = .seconds(600)) async throws -> SSHCommandResult {
        let client = try await SSHClient.connect(sshConfiguration)
        do {
            let result = try await client.run(command, stdin: stdin, timeout: timeout)
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }

    /// Runs a shell command on the host and returns its stdout; a non-zero exit is an error
    /// that carries the command's stderr.
    @discardableResult
    public func shell(_ command: String, stdin: SSHInput = .none, timeout: Duration = .seconds(600)) async throws -> String {
        let result = try await run(command, stdin: stdin, timeout: timeout)
        guard result.status.succeeded else {
            throw Failure.commandFailed(command, status: result.status, stderr: result.stderrText)
        }
        return result.stdoutText
    }

    /// `zfs get -Hp -o value PROPERTY NAME` (guid, createtxg, creation...): zfs-fuse has no
    /// `zfs list -p`, and `-p` gives exact numbers instead of "15.5E".
    public func property(_ name: String, _ property: String) async throws -> String {
        try await shell("zfs get -Hp -o value \(Self.quoted(property)) \(Self.quoted(name))")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The names `zfs list -H -o name -t TYPE -r ROOT` prints (type: filesystem, snapshot, all).
    public func list(_ root: String, type: String = "filesystem") async throws -> [String] {
        try await shell("zfs list -H -o name -t \(Self.quoted(type)) -r \(Self.quoted(root))")
            .split(separator: "\n").map(String.init)
    }

    /// SHA-256 of every file under `directory` (a dataset's mountpoint), keyed by path relative
    /// to it: what tests compare after a restore, bit for bit.
    public func checksums(_ directory: String) async throws -> [String: String] {
        let output = try await shell("cd \(Self.quoted(directory)) && find . -type f -print0 | sort -z | xargs -0 -r sha256sum")
        var sums: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            var path = parts[1].drop(while: { $0 == " " || $0 == "*" })
            if path.hasPrefix("./") { path = path.dropFirst(2) }
            sums[String(path)] = String(parts[0])
        }
        return sums
    }

    /// Single-quotes a word for the remote shell.
    public static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Stops the host (sshd, zfs-fuse, mounts, files) and returns once the fixture has exited.
    public func stop() async { await fixture.stop() }
}
