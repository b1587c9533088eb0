import SwiftProtobuf

/// A Talos reply: `repeated Entry messages = 1`, one entry per node that answered.
protocol TalosReply: Message {
    associatedtype Entry: TalosEntry
    var messages: [Entry] { get }
}

/// One node's entry, or one streamed message: `common.Metadata metadata = 1` first. A node
/// answering for itself leaves it unset; a set `error` means the node failed even though the
/// call ended with grpc-status OK.
protocol TalosEntry: Message {
    var metadata: Common_Metadata { get }
    var hasMetadata: Bool { get }
}

extension TalosEntry {
    /// The envelope's error, when the node failed.
    var envelopeError: Common_Metadata? {
        guard hasMetadata, !metadata.error.isEmpty || (metadata.hasStatus && metadata.status.code != 0) else { return nil }
        return metadata
    }
}

extension Machine_ApplyConfigurationResponse: TalosReply {}
extension Machine_ApplyConfiguration: TalosEntry {}
extension Machine_BootstrapResponse: TalosReply {}
extension Machine_Bootstrap: TalosEntry {}
extension Machine_EtcdRecoverResponse: TalosReply {}
extension Machine_EtcdRecover: TalosEntry {}
extension Machine_EtcdMemberListResponse: TalosReply {}
extension Machine_EtcdMembers: TalosEntry {}
extension Machine_EtcdStatusResponse: TalosReply {}
extension Machine_EtcdStatus: TalosEntry {}
extension Machine_VersionResponse: TalosReply {}
extension Machine_Version: TalosEntry {}
extension Machine_ServiceListResponse: TalosReply {}
extension Machine_ServiceList: TalosEntry {}
extension Machine_ResetResponse: TalosReply {}
extension Machine_Reset: TalosEntry {}
extension Machine_RebootResponse: TalosReply {}
extension Machine_Reboot: TalosEntry {}
extension Common_Data: TalosEntry {}
extension Cluster_HealthCheckProgress: TalosEntry {}
