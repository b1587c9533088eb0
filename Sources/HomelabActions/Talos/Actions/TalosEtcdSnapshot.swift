import Foundation
import HomelabCore

/// `talos.etcd-snapshot`: streams a snapshot of a control plane's etcd to a file, as talosctl
/// does: into `PATH.part`, synced, checked (a node whose read fails mid-way just ends the
/// stream, so the size rule and the trailing SHA-256 are checked), then renamed to PATH.
public struct TalosEtcdSnapshot: Action {
    private let sessions: TalosSessions

    public init(talos: any TalosConnecting) {
        sessions = TalosSessions(connector: talos)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "talos.etcd-snapshot",
            summary: "Save a snapshot of a control plane's etcd to a file (checked before it takes its name).",
            inputs: [
                TalosInputs.node,
                TalosInputs.talosconfig,
                InputSpec("path", .string, required: true, "Where to write the snapshot (mode 0600: it holds the cluster's Secrets)."),
            ],
            outputs: [
                OutputSpec("path", "The snapshot's path."),
                OutputSpec("size", "Its size in bytes."),
                OutputSpec("raft-index", "etcd's raft index when the snapshot was taken (from EtcdStatus; the store revision is inside the file)."),
            ],
            idempotent: true
        )
    }

    /// A snapshot is always taken afresh; the probe only says from where.
    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        return .wouldChange("save a snapshot of etcd on \(try TalosNode(call)) to \(call.string("path") ?? "?")")
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let node = try TalosNode(call)
        let identity = try TalosInputs.talosconfig(call).identity
        let path = try TalosInputs.path(call, "path")
        return try await sessions.within(node.target(.configured(identity)), context: context) { client in
            let status = try await client.etcdStatus()
            let file = try TalosSessions.mapping { try PartFile(path: path) }
            do {
                let received = try await client.etcdSnapshot { bytes in try file.append(bytes) }
                try file.finish { part in _ = try EtcdSnapshotFile.verify(path: part) }
                context.report("saved etcd's snapshot from \(node) to \(call.string("path") ?? path) (\(received) bytes)")
                return ["path": .string(path), "size": .int(received), "raft-index": .int(Int(status.raftIndex))]
            } catch {
                file.discard()
                if let failure = error as? EtcdSnapshotFile.Failure {
                    throw ActionError("the snapshot \(node) sent is not whole (the node's read failed mid-way?): \(failure.reason)", retryable: true)
                }
                throw error
            }
        }
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        TalosInputs.nodeProblems(inputs)
    }

    public func describe(_ inputs: [String: Value]) -> String {
        "stream etcd's snapshot to \(inputs["path"]?.text ?? "the file").part, check it, then rename it"
    }
}
