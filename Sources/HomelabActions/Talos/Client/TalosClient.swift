import Foundation
import HomelabTransport
import SwiftProtobuf

/// Typed calls to one Talos node (one node per call: a direct endpoint, or an endpoint that
/// forwards to `target.node`). Every reply's per-node envelope is checked; every failure is a
/// classified TalosError (or CancellationError when the calling task was cancelled).
public struct TalosClient: Sendable {
    public let target: TalosTarget
    let transport: any TalosTransport
    let timeouts: TalosTimeouts

    public init(target: TalosTarget, transport: any TalosTransport, timeouts: TalosTimeouts = TalosTimeouts()) {
        self.target = target
        self.transport = transport
        self.timeouts = timeouts
    }

    static let machine = "machine.MachineService"

    /// Applies a machine config (YAML bytes). talosctl's default mode is AUTO; in maintenance mode
    /// the node takes it without a reboot and restarts its API in mutual TLS.
    public func applyConfiguration(
        _ config: [UInt8], mode: Machine_ApplyConfigurationRequest.Mode = .auto, dryRun: Bool = false
    ) async throws -> Machine_ApplyConfiguration {
        let request = Machine_ApplyConfigurationRequest.with {
            $0.data = Data(config)
            $0.mode = mode
            $0.dryRun = dryRun
            // talosctl always sends it (1 minute); the node reads it only for TRY.
            $0.tryModeTimeout = Google_Protobuf_Duration(seconds: 60)
        }
        return try await unary("ApplyConfiguration", request, Machine_ApplyConfigurationResponse.self)
    }

    /// Starts etcd on a control-plane node, fresh or from the snapshot uploaded with
    /// `etcdRecover`. The node answers before etcd is up (a failed restore shows only in etcd's
    /// service state). An etcd that already has data is `.alreadyBootstrapped`, not an error.
    public func bootstrap(recoverEtcd: Bool = false, skipHashCheck: Bool = false) async throws -> TalosBootstrapOutcome {
        let request = Machine_BootstrapRequest.with {
            $0.recoverEtcd = recoverEtcd
            $0.recoverSkipHashCheck = skipHashCheck
        }
        do {
            _ = try await unary("Bootstrap", request, Machine_BootstrapResponse.self)
            return .started
        } catch let error as TalosError where error.kind == .alreadyBootstrapped {
            return .alreadyBootstrapped(message: error.message)
        }
    }

    /// The etcd members as the node's local etcd member sees them (talosctl etcd members).
    public func etcdMemberList(queryLocal: Bool = true) async throws -> Machine_EtcdMembers {
        try await unary("EtcdMemberList", Machine_EtcdMemberListRequest.with { $0.queryLocal = queryLocal }, Machine_EtcdMemberListResponse.self)
    }

    /// The node's etcd member: leader, raft index, database size, errors.
    public func etcdStatus() async throws -> Machine_EtcdMemberStatus {
        try await unary("EtcdStatus", Google_Protobuf_Empty(), Machine_EtcdStatusResponse.self).memberStatus
    }

    /// Talos' version on the node (served in maintenance mode too, since v1.13).
    public func version() async throws -> Machine_Version {
        try await unary("Version", Google_Protobuf_Empty(), Machine_VersionResponse.self)
    }

    /// The node's services (etcd, kubelet, apid, ...) with state and health.
    public func serviceList() async throws -> [Machine_ServiceInfo] {
        try await unary("ServiceList", Google_Protobuf_Empty(), Machine_ServiceListResponse.self).services
    }

    /// Wipes the node (asynchronously, after answering): destructive, for drill cleanup.
    public func reset(_ request: Machine_ResetRequest) async throws -> Machine_Reset {
        try await unary("Reset", request, Machine_ResetResponse.self)
    }

    public func reboot(mode: Machine_RebootRequest.Mode = .default) async throws -> Machine_Reboot {
        try await unary("Reboot", Machine_RebootRequest.with { $0.mode = mode }, Machine_RebootResponse.self)
    }

    /// A unary MachineService call, its envelope checked: the node's one entry.
    func unary<Request: Message, Reply: TalosReply>(_ call: String, _ request: Request, _ reply: Reply.Type) async throws -> Reply.Entry {
        let options = try callOptions(call, timeout: timeouts.call)
        let response: Reply
        do {
            response = try await transport.unary(GRPCMethod(service: Self.machine, method: call), request, returning: Reply.self, options: options)
        } catch {
            throw failure(error, call: call)
        }
        return try entry(of: response.messages, call: call)
    }

    /// The node's entry: an entry carrying an error fails the call; no entry at all is a
    /// protocol violation.
    func entry<Entry: TalosEntry>(of entries: [Entry], call: String) throws(TalosError) -> Entry {
        for entry in entries {
            if let metadata = entry.envelopeError { throw TalosErrorClassifier.from(envelope: metadata, call: call, target: target) }
        }
        guard let first = entries.first else {
            throw TalosError(.fatal, call: call, node: target.description, message: "the node's answer had no entry (an empty messages list)")
        }
        return first
    }

    /// The call's deadline and the `node` routing key.
    func callOptions(_ call: String, timeout: Duration?) throws(TalosError) -> GRPCCallOptions {
        var metadata = GRPCMetadata()
        if let node = target.node {
            do {
                try metadata.add("node", node)
            } catch {
                throw TalosError(.invalid, call: call, node: target.description, message: "the node name cannot be sent: \(error)")
            }
        }
        return GRPCCallOptions(timeout: timeout, metadata: metadata)
    }

    /// The TalosError for a failed exchange; the caller's own cancellation stays a cancellation.
    func failure(_ error: any Error, call: String) -> any Error {
        if Task.isCancelled { return CancellationError() }
        switch error {
        case let error as GRPCError: return TalosErrorClassifier.from(error, call: call, target: target)
        default: return error
        }
    }
}

/// What Bootstrap did.
public enum TalosBootstrapOutcome: Sendable, Equatable {
    /// The node accepted: etcd is starting (or restoring), not yet up.
    case started
    /// etcd's data directory was not empty: bootstrapped before (the node's words kept).
    case alreadyBootstrapped(message: String)
}
