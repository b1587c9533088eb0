import Foundation
import HomelabActions
import HomelabCore

/// A RemoteShell double that keeps a small model of a host's ZFS (datasets and their snapshots
/// by guid) and answers the commands the ZFS actions send, as zfs-fuse or as OpenZFS would
/// (`resumable`). Streams are text: one `SNAP name guid creation` line per snapshot. Every
/// command is recorded, so tests can check the order of what was done.
final class FakeZFSShell: RemoteShell, @unchecked Sendable {
    struct Snap: Equatable {
        var name: String
        var guid: String
        var creation: Int64
    }

    private let lock = NSLock()
    private(set) var datasets: [String: [Snap]] = [:]
    /// Resume tokens of partial receives (OpenZFS only): here simply `dataset@snapshot` of the
    /// interrupted stream's source.
    var tokens: [String: String] = [:]
    private var _commands: [String] = []
    let resumable: Bool

    init(resumable: Bool = false, datasets: [String: [Snap]] = [:]) {
        self.resumable = resumable
        self.datasets = datasets
    }

    var commands: [String] { lock.withLock { _commands } }

    /// Takes a snapshot as `zfs snapshot` would (the fake's `zfs snapshot` only answers ok).
    func take(_ snap: Snap, of dataset: String) {
        lock.withLock { datasets[dataset, default: []].append(snap) }
    }

    static func chain(_ names: [String], guid base: Int = 100) -> [Snap] {
        names.enumerated().map { Snap(name: $1, guid: String(base + $0), creation: 1_796_000_000 + Int64($0) * 3600) }
    }

    /// The stream `zfs send` would give for `snaps`.
    static func stream(_ snaps: [Snap]) -> [UInt8] {
        Array(snaps.map { "SNAP \($0.name) \($0.guid) \($0.creation)\n" }.joined().utf8)
    }

    func run(_ command: RemoteCommand, on target: SSHTarget) async throws -> RemoteResult {
        lock.withLock { _commands.append(command.command) }
        return lock.withLock { answer(command.command.split(separator: " ").map(String.init)) }
    }

    func stream(
        _ command: RemoteCommand, on target: SSHTarget, input: RemoteInput, output: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws -> RemoteStatus {
        lock.withLock { _commands.append(command.command) }
        let words = command.command.split(separator: " ").map(String.init)
        if words.starts(with: ["zfs", "receive"]), case .producer(let produce) = input {
            let received = Collected()
            try await produce { received.add($0) }
            return lock.withLock { receive(received.text, into: words.last ?? "", incremental: words.contains("-F")) }
        }
        if words.starts(with: ["'sh'"]) || words.starts(with: ["sh"]) {
            // A host-side transfer: find the send's and the receive's arguments in the script.
            let text = command.command
            guard let send = text.range(of: "{ zfs send "), let sendEnd = text.range(of: "; echo", range: send.upperBound..<text.endIndex),
                let into = text.range(of: "| zfs receive ", range: sendEnd.upperBound..<text.endIndex),
                let intoEnd = text.range(of: "\n", range: into.upperBound..<text.endIndex)
            else { return RemoteStatus(exitStatus: 2, stderr: "unparsable script") }
            let sendWords = text[send.upperBound..<sendEnd.lowerBound].split(separator: " ").map(String.init)
            let receiveWords = text[into.upperBound..<intoEnd.lowerBound].split(separator: " ").map(String.init)
            let status: RemoteStatus = lock.withLock {
                guard let stream = sent(sendWords) else { return RemoteStatus(exitStatus: 1, stderr: "cannot open: dataset does not exist") }
                return receive(stream, into: receiveWords.last ?? "", incremental: receiveWords.contains("-F"))
            }
            try await output(Array("homelab-status 0 \(status.exitStatus)\n".utf8))
            return RemoteStatus(exitStatus: status.exitStatus, stderr: status.stderr)
        }
        if words.starts(with: ["zfs", "send"]) {
            guard let stream = lock.withLock({ sent(Array(words.dropFirst(2))) }) else { return RemoteStatus(exitStatus: 1, stderr: "dataset does not exist") }
            try await output(Array(stream.utf8))
            return RemoteStatus(exitStatus: 0, stderr: "")
        }
        return RemoteStatus(exitStatus: 127, stderr: "fake: unknown stream command \(command.command)")
    }

    private func ok(_ stdout: String = "") -> RemoteResult { RemoteResult(exitStatus: 0, stdout: stdout, stderr: "") }
    private func missing(_ name: String) -> RemoteResult { RemoteResult(exitStatus: 1, stdout: "", stderr: "cannot open '\(name)': dataset does not exist\n") }

    private func split(_ name: String) -> (String, String?) {
        guard let at = name.firstIndex(of: "@") else { return (name, nil) }
        return (String(name[..<at]), String(name[name.index(after: at)...]))
    }

    private func answer(_ words: [String]) -> RemoteResult {
        let last = words.last ?? ""
        switch Array(words.prefix(2)) {
        case ["zfs", "list"]:
            let (dataset, snap) = split(last)
            guard let snaps = datasets[dataset], snap == nil || snaps.contains(where: { $0.name == snap }) else { return missing(last) }
            return ok(last + "\n")
        case ["zfs", "get"]:
            if words.contains("receive_resume_token") {
                return resumable
                    ? ok((tokens[last] ?? "-") + "\n")
                    : RemoteResult(exitStatus: 2, stdout: "", stderr: "bad property list: invalid property 'receive_resume_token'\n")
            }
            let (dataset, snap) = split(last)
            guard let snaps = datasets[dataset] else { return missing(last) }
            if let snap {
                guard let found = snaps.first(where: { $0.name == snap }) else { return missing(last) }
                return ok("guid\t\(found.guid)\nreferenced\t4096\n")
            }
            return ok(snaps.map { "\(dataset)@\($0.name)\tguid\t\($0.guid)\n\(dataset)@\($0.name)\tcreation\t\($0.creation)\n" }.joined())
        case ["zpool", "get"]:
            return resumable ? ok("active\n") : RemoteResult(exitStatus: 2, stdout: "", stderr: "bad property list: invalid property '-H'\n")
        case ["zfs", "send"]:
            return resumable
                ? RemoteResult(exitStatus: 1, stdout: "", stderr: "could not find any snapshots to send\n")
                : RemoteResult(exitStatus: 2, stdout: "", stderr: "invalid option 'n'\n")
        case ["dd", "if=/dev/null"]:
            return RemoteResult(exitStatus: 127, stdout: "", stderr: "dd: not here\n")
        case ["zfs", "create"]:
            if datasets[last] == nil { datasets[last] = [] }
            return ok()
        case ["zfs", "rename"]:
            let from = words[words.count - 2]
            guard let snaps = datasets.removeValue(forKey: from) else { return missing(from) }
            datasets[last] = snaps
            return ok()
        case ["zfs", "destroy"]:
            let (dataset, snap) = split(last)
            if let snap {
                datasets[dataset]?.removeAll { $0.name == snap }
            } else {
                datasets = datasets.filter { $0.key != dataset && !$0.key.hasPrefix(dataset + "/") }
            }
            return ok()
        case ["zfs", "rollback"]:
            let (dataset, snap) = split(last)
            if let index = datasets[dataset]?.firstIndex(where: { $0.name == snap }) { datasets[dataset]?.removeSubrange((index + 1)...) }
            return ok()
        case ["zfs", "receive"] where words.contains("-A"):
            tokens[last] = nil
            return ok()
        case ["zfs", "mount"], ["zfs", "snapshot"]:
            return ok()
        default:
            return RemoteResult(exitStatus: 127, stdout: "", stderr: "fake: unknown command \(words.joined(separator: " "))\n")
        }
    }

    /// The stream for `zfs send [-i|-I @from] dataset@to`.
    private func sent(_ words: [String]) -> String? {
        if words.first == "-t", words.count == 2 {
            let (dataset, snap) = split(words[1])
            guard let found = datasets[dataset]?.first(where: { $0.name == snap }) else { return nil }
            return "RESUME\n" + String(decoding: Self.stream([found]), as: UTF8.self)
        }
        let (dataset, to) = split(words.last ?? "")
        guard let snaps = datasets[dataset], let end = snaps.firstIndex(where: { $0.name == to }) else { return nil }
        var start = end
        if let flag = words.firstIndex(where: { $0 == "-i" || $0 == "-I" }), let from = snaps.firstIndex(where: { "@" + $0.name == words[flag + 1] }) {
            start = words[flag] == "-I" ? from + 1 : end
        }
        return String(decoding: Self.stream(Array(snaps[start...end])), as: UTF8.self)
    }

    /// Applies a stream, as zfs-fuse would: a full one only into a new dataset, an incremental
    /// only onto the newest snapshot... here: appended, each guid as sent.
    private func receive(_ stream: String, into target: String, incremental: Bool) -> RemoteStatus {
        var lines = stream.split(separator: "\n")
        if lines.first == "RESUME" {
            guard tokens.removeValue(forKey: target) != nil else { return RemoteStatus(exitStatus: 1, stderr: "cannot resume: no partial state on \(target)") }
            lines.removeFirst()
            datasets[target] =
                (datasets[target] ?? [])
                + lines.map { line in
                    let fields = line.split(separator: " ").map(String.init)
                    return Snap(name: fields[1], guid: fields[2], creation: Int64(fields[3]) ?? 0)
                }
            return RemoteStatus(exitStatus: 0, stderr: "")
        }
        guard !lines.isEmpty else { return RemoteStatus(exitStatus: 1, stderr: "cannot receive: invalid backup stream") }
        if !incremental && datasets[target] != nil {
            return RemoteStatus(exitStatus: 1, stderr: "destination '\(target)' exists\nmust specify -F to overwrite it")
        }
        if incremental && datasets[target] == nil {
            return RemoteStatus(exitStatus: 1, stderr: "cannot receive incremental stream: destination '\(target)' does not exist")
        }
        var snaps = datasets[target] ?? []
        for line in lines {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 4, fields[0] == "SNAP" else { return RemoteStatus(exitStatus: 1, stderr: "cannot receive: invalid backup stream") }
            snaps.append(Snap(name: fields[1], guid: fields[2], creation: Int64(fields[3]) ?? 0))
        }
        datasets[target] = snaps
        return RemoteStatus(exitStatus: 0, stderr: "")
    }
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    func add(_ chunk: [UInt8]) { lock.withLock { bytes += chunk } }
    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
}
