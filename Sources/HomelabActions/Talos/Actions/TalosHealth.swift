import Foundation
import HomelabCore
import HomelabTransport
import SwiftProtobuf

/// `talos.health`: runs the cluster's health checks on a control plane (Talos' HealthCheck
/// stream: etcd healthy and its members consistent, apid ready, every node's boot sequence done,
/// kubelet healthy) over the nodes the step lists, within a deadline the node enforces.
public struct TalosHealth: Action {
    private let sessions: TalosSessions

    public init(talos: any TalosConnecting) {
        sessions = TalosSessions(connector: talos)
    }

    /// How long the probe lets the node check: it only asks whether the cluster is healthy now (generous: a loaded node is slow to check).
    static let probeWait: Duration = .seconds(10)

    public var schema: ActionSchema {
        ActionSchema(
            name: "talos.health",
            summary: "Wait until the cluster's health checks pass (etcd, its members, apid, boot sequences, kubelet), run by a control plane.",
            inputs: [
                InputSpec(
                    "node", .any, required: true, resource: .talosNode,
                    "The control plane that runs the checks: its inventory entry (its 'talos-api', else 'ip') or an address."),
                TalosInputs.talosconfig,
                InputSpec(
                    "control-planes", .list, resource: .talosNode, "The control-plane nodes to check: inventory entries (their 'ip') or addresses."),
                InputSpec("workers", .list, resource: .talosNode, "The worker nodes to check: inventory entries (their 'ip') or addresses."),
                InputSpec("timeout", .duration, default: .string("10m"), "How long the checks may take to pass."),
            ],
            outputs: [OutputSpec("checks", "The checks that passed, in the node's words.")],
            idempotent: true
        )
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let node = try TalosNode(call)
        guard let identity = try? TalosInputs.talosconfig(call).identity else { return .wouldChange("wait for the cluster's health (no talosconfig yet)") }
        let progress = Progress()
        do {
            try await check(call, node: node, identity: identity, wait: Self.probeWait, progress: progress, context: context, reports: false)
            return .satisfied("the cluster is healthy (\(progress.passed.count) checks passed on \(node))")
        } catch let error as TalosError {
            return .wouldChange("wait for the cluster's health (now: \(progress.last ?? error.message))")
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let node = try TalosNode(call)
        let identity = try TalosInputs.talosconfig(call).identity
        let timeout = try call.duration(defaulted: "timeout")
        let progress = Progress()
        do {
            try await check(call, node: node, identity: identity, wait: timeout, progress: progress, context: context, reports: true)
        } catch let error as TalosError where error.code == .deadlineExceeded {
            throw ActionError(
                "the cluster was not healthy within \(DurationText.format(timeout)): \(progress.last ?? error.message)", retryable: true)
        } catch {
            throw TalosSessions.mapped(error)
        }
        context.report("the cluster is healthy: \(progress.passed.count) checks passed")
        return ["checks": .list(progress.passed.map { .string($0) })]
    }

    private func check(
        _ call: ActionCall, node: TalosNode, identity: TalosIdentity, wait: Duration, progress: Progress, context: any ActionContext, reports: Bool
    ) async throws {
        let info = Cluster_ClusterInfo.with {
            $0.controlPlaneNodes = (try? Self.addresses(call, "control-planes")) ?? []
            $0.workerNodes = (try? Self.addresses(call, "workers")) ?? []
        }
        let client = try await sessions.open(node.target(.configured(identity)), context: context)
        try await client.healthCheck(waitTimeout: wait, clusterInfo: info) { line in
            if progress.record(line), reports { context.report(line) }
        }
    }

    /// The nodes' own addresses (what the checks compare with etcd members and node lists).
    static func addresses(_ call: ActionCall, _ name: String) throws -> [String] {
        guard case .list(let items)? = call.inputs[name] else { return [] }
        return try items.map { try TalosNode(value: $0).ip }
    }

    /// The progress lines: the last one, and the checks that ended OK.
    final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []

        /// Keeps the line; true when it is news (a check's status changed).
        func record(_ line: String) -> Bool {
            lock.withLock {
                guard lines.last != line else { return false }
                lines.append(line)
                return true
            }
        }

        var last: String? { lock.withLock { lines.last } }

        var passed: [String] {
            lock.withLock {
                var seen: [String] = []
                for line in lines where line.hasSuffix(": OK") && !seen.contains(line) { seen.append(line) }
                return seen
            }
        }
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        var problems = TalosInputs.nodeProblems(inputs)
        for name in ["control-planes", "workers"] {
            guard case .list(let items)? = inputs[name] else { continue }
            for (index, item) in items.enumerated() where (try? TalosNode(value: item)) == nil {
                problems.append(InputProblem(input: name, path: [.index(index)], "must be an address or a node's inventory entry"))
            }
        }
        return problems
    }

    public func describe(_ inputs: [String: Value]) -> String {
        "run the cluster's health checks on the control plane until they pass (within \(inputs["timeout"]?.text ?? "10m"))"
    }
}
