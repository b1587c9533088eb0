import Foundation
import HomelabCore
import Synchronization

/// One host's ZFS, reached over SSH: the zfs and zpool commands the actions need, each a list of
/// words quoted for the remote shell, their failures as `ZFSError`s naming the host. What the
/// host can do is detected once per pool and kept for the step (`capabilities`).
final class ZFSHost: Sendable {
    let shell: any RemoteShell
    let target: SSHTarget
    let context: any ActionContext
    let timeout: Duration
    private let scope: RemoteShellScope
    private let detected = Mutex<[String: ZFSCapabilities]>([:])

    convenience init(shell: any RemoteShell, target: SSHTarget, context: any ActionContext, timeout: Duration = .seconds(300)) {
        self.init(scope: RemoteShellScope(shell: shell), target: target, context: context, timeout: timeout)
    }

    /// On a scope lent to the step (one login for its commands); `close` ends it.
    init(scope: RemoteShellScope, target: SSHTarget, context: any ActionContext, timeout: Duration = .seconds(300)) {
        self.scope = scope
        self.shell = scope.shell
        self.target = target
        self.context = context
        self.timeout = timeout
    }

    func close() async { await scope.close() }

    var name: String { target.display }

    static func line(_ words: [String]) -> String { words.map(SSHExec.quote).joined(separator: " ") }

    /// Runs a command and returns how it ended, whatever its exit status.
    func attempt(_ words: [String]) async throws -> RemoteResult {
        try await shell.run(RemoteCommand(command: Self.line(words), timeout: timeout), on: target)
    }

    /// Runs a command that must succeed; returns its stdout.
    @discardableResult
    func run(_ words: [String], what: String? = nil) async throws -> String {
        let result = try await attempt(words)
        guard result.exitStatus == 0, result.signal == nil else { throw failure(result, what ?? Self.line(words)) }
        return result.stdout
    }

    /// Runs a command that must succeed on a dataset a stream has just ended in: zfs-fuse answers
    /// "dataset is busy" for a moment after (FUSE still holds it), so it is asked again while it
    /// says so, up to `attempts` times a fifth of a second apart, then fails with ZFS's words.
    func runOnceIdle(_ words: [String], what: String, attempts: Int = 50) async throws {
        for round in 1...max(1, attempts) {
            let result = try await attempt(words)
            if result.exitStatus == 0, result.signal == nil { return }
            guard round < attempts, result.stderr.contains("dataset is busy") else { throw failure(result, what) }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    func failure(_ result: RemoteResult, _ what: String) -> ZFSError {
        .command(host: name, what: what, status: result.exitStatus, stderr: result.stderr + (result.signal.map { "\nkilled by signal \($0)" } ?? ""))
    }

    // MARK: datasets

    func exists(_ dataset: String) async throws -> Bool {
        let result = try await attempt(["zfs", "list", "-H", "-o", "name", dataset])
        if result.exitStatus == 0 { return true }
        if Self.saysMissing(result.stderr) { return false }
        throw failure(result, "looking up \(dataset)")
    }

    /// The snapshots of `dataset`, oldest first; nil when the dataset does not exist. `createtxg`
    /// orders them where the host can report it (zfs-fuse can, through `zfs get`).
    func snapshots(of dataset: String) async throws -> [SnapshotEntry]? {
        var properties = "guid,creation,createtxg"
        while true {
            let result = try await attempt(["zfs", "get", "-Hp", "-d", "1", "-o", "name,property,value", properties, dataset])
            if result.exitStatus == 0 { return SnapshotEntry.parse(result.stdout, of: dataset) }
            if Self.saysMissing(result.stderr) { return nil }
            if result.stderr.contains("bad property list") && properties.hasSuffix(",createtxg") {
                properties = "guid,creation"
                continue
            }
            throw failure(result, "listing the snapshots of \(dataset)")
        }
    }

    /// `property → value` of a dataset, exact numbers (`-p`).
    func properties(_ names: [String], of dataset: String) async throws -> [String: String] {
        let output = try await run(
            ["zfs", "get", "-Hp", "-o", "property,value", names.joined(separator: ","), dataset], what: "reading properties of \(dataset)")
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 1).map(String.init)
            if fields.count == 2 { values[fields[0]] = fields[1] }
        }
        return values
    }

    /// Creates the parents of `dataset` that are missing (not `dataset` itself).
    func ensureParent(of dataset: String) async throws {
        guard let parent = ZFSName.parent(of: dataset), parent.contains("/") else { return }
        if try await exists(parent) { return }
        try await run(["zfs", "create", "-p", parent], what: "creating \(parent)")
    }

    static func saysMissing(_ stderr: String) -> Bool {
        stderr.contains("does not exist") || stderr.contains("no such pool") || stderr.contains("could not find any snapshots")
    }

    // MARK: pools

    /// Imported pools and their health.
    func importedPools() async throws -> [String: String] {
        let output = try await run(["zpool", "list", "-H", "-o", "name,health"], what: "listing pools")
        var pools: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            if fields.count >= 2 { pools[fields[0]] = fields[1] }
        }
        return pools
    }

    /// Pools `zpool import` finds in `directories` (read only: nothing is imported).
    func importable(in directories: [String]) async throws -> [String] {
        let result = try await attempt(["zpool", "import"] + directories.flatMap { ["-d", $0] })
        if result.exitStatus != 0 && !result.stdout.contains("pool:") {
            if result.stderr.isEmpty || result.stderr.contains("no pools available") { return [] }
            throw failure(result, "looking for importable pools")
        }
        return (result.stdout + "\n" + result.stderr).split(separator: "\n").compactMap { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.hasPrefix("pool: ") ? String(text.dropFirst(6)) : nil
        }
    }

    /// The pool name in a disk's ZFS label, nil when it has none (`zdb -l`, read only).
    func label(of disk: String) async throws -> String? {
        let result = try await attempt(["zdb", "-l", disk])
        for line in result.stdout.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("name: '"), text.hasSuffix("'") { return String(text.dropFirst(7).dropLast()) }
        }
        if result.exitStatus != 0 && result.stderr.contains("No such file") {
            throw failure(result, "reading the label of \(disk)")
        }
        return nil
    }

    // MARK: what the host can do

    /// Detected once per pool: resumable receive (B12: the property exists and the pool has
    /// `extensible_dataset`), `send -nP`, and dd's progress counter.
    func capabilities(pool: String) async throws -> ZFSCapabilities {
        if let known = detected.withLock({ $0[pool] }) { return known }
        var found = ZFSCapabilities.none
        let token = try await attempt(["zfs", "get", "-H", "-o", "value", "receive_resume_token", pool])
        if token.exitStatus == 0 {
            let feature = try await attempt(["zpool", "get", "-H", "-o", "value", "feature@extensible_dataset", pool])
            let value = feature.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            found.resumableReceive = feature.exitStatus == 0 && (value == "enabled" || value == "active")
        }
        let estimate = try await attempt(["zfs", "send", "-nP", pool + "@homelab-capability-probe"])
        found.sizeEstimate = !estimate.stderr.contains("invalid option")
        let counter = try await attempt(["dd", "if=/dev/null", "of=/dev/null", "status=progress"])
        found.progressCounter = counter.exitStatus == 0
        detected.withLock { $0[pool] = found }
        return found
    }

    /// The expected size of a send stream, exact where `send -nP` exists, else the snapshot's
    /// referenced bytes for a full stream; nil when unknown.
    func estimate(_ sendArguments: [String], snapshot: String, incremental: Bool) async throws -> Int64? {
        let caps = try await capabilities(pool: ZFSName.pool(of: snapshot))
        if caps.sizeEstimate {
            let result = try await attempt(["zfs", "send", "-nP"] + sendArguments)
            for line in (result.stdout + "\n" + result.stderr).split(separator: "\n").reversed() {
                let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
                if fields.count >= 2, fields[0] == "size", let size = Int64(fields[1]) { return size }
            }
        }
        guard !incremental else { return nil }
        return try? await properties(["referenced"], of: snapshot)["referenced"].flatMap { Int64($0) }
    }
}
