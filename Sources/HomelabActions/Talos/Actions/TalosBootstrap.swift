import Foundation
import HomelabCore

/// `talos.bootstrap`: starts etcd on the first control plane, fresh or from an etcd snapshot
/// (`recover-from`), as talosctl does, then waits until etcd really runs: Bootstrap answers
/// before etcd starts, and a recovery that fails shows only in the etcd service's state.
///
/// Bootstrap itself cannot run twice (the node answers AlreadyExists, which counts as done), but
/// a step killed between the upload and the Bootstrap must be decided by the probe on resume,
/// so the action is marked not safe to repeat blindly: the probe asks etcd (its members) and
/// only a node whose etcd has none gets the snapshot and the Bootstrap again.
public struct TalosBootstrap: Action {
    private let sessions: TalosSessions

    public init(talos: any TalosConnecting) {
        sessions = TalosSessions(connector: talos)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "talos.bootstrap",
            summary: "Bootstrap etcd on a control-plane node (or recover it from a snapshot) and wait until etcd runs.",
            inputs: [
                TalosInputs.node,
                TalosInputs.talosconfig,
                InputSpec(
                    "recover-from", .string,
                    "An etcd snapshot file (talos.etcd-snapshot's): checked here first (size and SHA-256), uploaded, and etcd started from it."),
                InputSpec(
                    "skip-hash-check", .boolean, default: .bool(false),
                    "Restore a snapshot without its SHA-256 trailer (a database copied from etcd's data directory): only its size is checked here, and the node skips the hash."
                ),
            ] + TalosInputs.waits("10m", "How long the node may take to accept the bootstrap and run etcd."),
            outputs: [
                OutputSpec("bootstrapped", "true when this step started etcd (false: it ran already)."),
                OutputSpec("recovered", "true when etcd was started from the snapshot."),
                OutputSpec("members", "etcd's members (their hostnames) once it runs."),
            ],
            idempotent: false
        )
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let node = try TalosNode(call)
        let what = call.string("recover-from").map { "recover etcd on \(node) from \($0)" } ?? "bootstrap etcd on \(node)"
        guard let identity = try? TalosInputs.talosconfig(call).identity else { return .wouldChange("\(what) (no talosconfig yet)") }
        let access = TalosNodeAccess(sessions: sessions, node: node, context: context)
        do {
            let client = try await access.client(.configured(identity))
            let members = try await client.etcdMemberList().members
            if !members.isEmpty { return .satisfied("etcd runs on \(node) with \(Self.names(members))") }
            return .wouldChange(what)
        } catch let error as TalosError {
            return .wouldChange("\(what) (etcd does not answer now: \(error.message))")
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let node = try TalosNode(call)
        let skipHash = call.inputs["skip-hash-check"] == .bool(true)
        // The snapshot is checked before anything is sent: a truncated or corrupted file must
        // never replace a node's (empty) etcd.
        var snapshot: (path: String, size: Int)?
        if call.string("recover-from") != nil {
            let path = try TalosInputs.path(call, "recover-from")
            snapshot = (path, try TalosSessions.mapping { try EtcdSnapshotFile.verify(path: path, checkHash: !skipHash) })
        }
        let identity = try TalosInputs.talosconfig(call).identity
        let timeout = try call.duration(defaulted: "timeout")
        var budget = PollBudget(timeout, every: try call.duration(defaulted: "interval"), clock: context.clock)
        let access = TalosNodeAccess(sessions: sessions, node: node, context: context)
        return try await sessions.within(node.target(.configured(identity)), context: context) { client in
            if let members = try? await client.etcdMemberList().members, !members.isEmpty {
                context.report("etcd runs on \(node) already (\(Self.names(members)))")
                return ["bootstrapped": .bool(false), "recovered": .bool(false), "members": Self.list(members)]
            }
            var uploaded = false
            var last = "it never answered"
            while true {
                do {
                    if let snapshot, !uploaded {
                        let sent = try await client.etcdRecover(from: TalosFileChunks(path: snapshot.path))
                        uploaded = true
                        context.report("uploaded the etcd snapshot to \(node) (\(sent) bytes)")
                    }
                    switch try await client.bootstrap(recoverEtcd: snapshot != nil, skipHashCheck: skipHash) {
                    case .started:
                        context.report(snapshot == nil ? "bootstrap accepted by \(node); waiting for etcd" : "recovery accepted by \(node); waiting for etcd")
                        let members = try await waitForEtcd(client, access: access, budget: &budget, recovering: snapshot != nil)
                        return ["bootstrapped": .bool(true), "recovered": .bool(snapshot != nil), "members": Self.list(members)]
                    case .alreadyBootstrapped:
                        // A bootstrap under way (or done by a run that died): etcd will answer.
                        context.report("\(node) was bootstrapped already; waiting for etcd")
                        let members = try await waitForEtcd(client, access: access, budget: &budget, recovering: false)
                        return ["bootstrapped": .bool(false), "recovered": .bool(false), "members": Self.list(members)]
                    }
                } catch let error as TalosError where error.isRetryable {
                    // talosctl's bootstrapper retries FailedPrecondition ("not available yet"),
                    // deadlines, cancellations and refused connections (section 5.5).
                    last = error.description
                }
                guard try await budget.pauseUntilLimit(context: context) else {
                    throw ActionError("\(node) did not accept the bootstrap within \(DurationText.format(timeout)); last: \(last)", retryable: true)
                }
            }
        }
    }

    /// Polls the etcd service and the member list until etcd is up; a Failed etcd service (a
    /// restore that went wrong) ends the wait with its reason.
    private func waitForEtcd(
        _ client: TalosClient, access: TalosNodeAccess, budget: inout PollBudget, recovering: Bool
    ) async throws -> [Machine_EtcdMember] {
        var last = "etcd never answered"
        while true {
            do {
                let service = try await access.etcdService(client)
                if let service, service.state == "Failed" {
                    throw ActionError(
                        "etcd failed to start on \(access.node)" + (recovering ? " from the snapshot" : "") + ": \(service.summary)"
                            + (recovering ? ". Reset the node's EPHEMERAL partition (talos.reset) before trying again." : ""))
                }
                if let service, service.isHealthy {
                    let members = try await client.etcdMemberList().members
                    if !members.isEmpty {
                        access.context.report("etcd runs on \(access.node) with \(Self.names(members))")
                        return members
                    }
                }
                last = service?.summary ?? "no etcd service"
            } catch let error as TalosError where error.isRetryable {
                last = error.message
            }
            guard try await budget.pauseUntilLimit(context: access.context) else {
                throw ActionError("etcd on \(access.node) was not running within \(DurationText.format(budget.limit)); last: \(last)", retryable: true)
            }
        }
    }

    static func names(_ members: [Machine_EtcdMember]) -> String {
        members.count == 1 ? "1 member (\(members[0].hostname))" : "\(members.count) members (\(members.map(\.hostname).joined(separator: ", ")))"
    }

    static func list(_ members: [Machine_EtcdMember]) -> Value {
        .list(members.map { .string($0.hostname) })
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        TalosInputs.nodeProblems(inputs)
    }

    public func describe(_ inputs: [String: Value]) -> String {
        if let snapshot = inputs["recover-from"], snapshot != .null {
            return "check the snapshot \(snapshot.text), upload it and start etcd from it, unless etcd runs already; then wait until it runs"
        }
        return "bootstrap etcd unless it runs already, then wait until it runs"
    }
}
