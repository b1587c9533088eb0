import Foundation
import HomelabCore
import LabSupport

@testable import HomelabActions

/// What the Ansible tests share: a context that runs real programs, a recorder of what
/// ansible-playbook was started with (and of every file homelab wrote for it), and homelab
/// inventories for the lab's hosts.
enum AnsibleLab {
    static let root = LabFixture.repositoryRoot.path
    static func playbook(_ name: String) -> String { root + "/ansible/playbooks/" + name }

    /// A homelab inventory whose `proxmox` entry is the fixture's sshd.
    static func inventory(_ host: LabFixture, key: String? = nil, pools: Value? = nil) -> Value {
        var entries: [(String, Value)] = [
            (
                "proxmox",
                .map([
                    ("host", .string("pve")), ("address", .string(host.string("host"))),
                    (
                        "ssh",
                        .map([
                            ("user", .string(host.string("user"))), ("port", .int(host.int("port"))),
                            ("key", .string(key ?? host.string("key"))), ("known-hosts", .string(host.string("known_hosts"))),
                        ])
                    ),
                ])
            )
        ]
        if let pools { entries.append(("zfs", .map([("pools", pools)]))) }
        return .map(entries)
    }

    /// A fresh disposable Debian host (the root is built once by debootstrap, a few minutes).
    static func debianHost() async throws -> LabFixture {
        try await LabFixture.start("debian_root_fixture.py", timeout: 1200)
    }
}

/// An ActionContext whose programs really run (spooled in a private folder).
final class ProgramContext: ActionContext, @unchecked Sendable {
    let processes: any LocalProcess
    let clock: any RunClock = VirtualClock()
    private let lock = NSLock()
    private var _messages: [String] = []
    var messages: [String] { lock.withLock { _messages } }

    init(_ processes: any LocalProcess) {
        self.processes = processes
    }

    func report(_ message: String) { lock.withLock { _messages.append(message) } }
    func approve(_ message: String) async throws -> String { throw ActionError("nobody to ask in tests") }
}

/// Runs programs for real and records, before each starts, its command and the contents of
/// every file in the folder of its `-i` inventory (the files homelab wrote for the run).
final class RecordingProcess: LocalProcess, @unchecked Sendable {
    private let live: SpawnedProcess
    private let lock = NSLock()
    private var _commands: [ProcessCommand] = []
    private var _files: [String: [UInt8]] = [:]

    init(spool: SpoolDirectory) {
        live = SpawnedProcess(spool: spool)
    }

    var commands: [ProcessCommand] { lock.withLock { _commands } }
    var files: [String: [UInt8]] { lock.withLock { _files } }

    func run(_ command: ProcessCommand) async throws -> ProcessResult {
        var found: [String: [UInt8]] = [:]
        if let index = command.arguments.firstIndex(of: "-i"), index + 1 < command.arguments.count {
            let folder = (command.arguments[index + 1] as NSString).deletingLastPathComponent
            let walker = FileManager.default.enumerator(atPath: folder)
            while let name = walker?.nextObject() as? String {
                let path = folder + "/" + name
                if let data = FileManager.default.contents(atPath: path) { found[path] = Array(data) }
            }
        }
        lock.withLock {
            _commands.append(command)
            _files.merge(found) { $1 }
        }
        return try await live.run(command)
    }
}

extension Array where Element == UInt8 {
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<($0 + needle.count)]) == needle }
    }
}
