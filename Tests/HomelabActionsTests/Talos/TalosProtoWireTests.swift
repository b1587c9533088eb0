import Foundation
import HomelabActions
import SwiftProtobuf
import Testing

/// The generated messages put every field where upstream Talos does: each request is encoded and
/// compared with bytes written field by field from the upstream numbers (siderolabs/talos api/,
/// v1.13), and each reply is decoded from such bytes.
@Suite("Talos messages on the wire")
struct TalosProtoWireTests {
    /// A protobuf encoder small enough to check by eye: tags, varints, length-delimited fields.
    enum Wire {
        static func varint(_ value: UInt64) -> [UInt8] {
            var value = value
            var out: [UInt8] = []
            while value >= 0x80 {
                out.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            return out + [UInt8(value)]
        }
        /// Field `number` as a varint (wire type 0): ints, bools, enums.
        static func number(_ number: Int, _ value: UInt64) -> [UInt8] { varint(UInt64(number << 3)) + varint(value) }
        /// Field `number` length-delimited (wire type 2): strings, bytes, messages.
        static func bytes(_ number: Int, _ value: [UInt8]) -> [UInt8] { varint(UInt64(number << 3 | 2)) + varint(UInt64(value.count)) + value }
        static func text(_ number: Int, _ value: String) -> [UInt8] { bytes(number, Array(value.utf8)) }
    }

    func encoded(_ message: some Message) throws -> [UInt8] { [UInt8](try message.serializedData()) }

    // MARK: requests

    @Test func applyConfigurationRequest() throws {
        let request = Machine_ApplyConfigurationRequest.with {
            $0.data = Data("machine: {}".utf8)
            $0.mode = .noReboot
            $0.dryRun = true
            $0.tryModeTimeout = Google_Protobuf_Duration(seconds: 60)
        }
        // data = 1, mode = 4 (NO_REBOOT = 2), dry_run = 5, try_mode_timeout = 6 {seconds = 1}
        let expected = Wire.text(1, "machine: {}") + Wire.number(4, 2) + Wire.number(5, 1) + Wire.bytes(6, Wire.number(1, 60))
        #expect(try encoded(request) == expected)
        #expect(Machine_ApplyConfigurationRequest.Mode.allCases.map(\.rawValue) == [0, 1, 2, 3, 4]) // REBOOT AUTO NO_REBOOT STAGED TRY
    }

    @Test func bootstrapRequest() throws {
        // recover_etcd = 1, recover_skip_hash_check = 2
        #expect(try encoded(Machine_BootstrapRequest.with { $0.recoverEtcd = true }) == Wire.number(1, 1))
        #expect(try encoded(Machine_BootstrapRequest.with { $0.recoverSkipHashCheck = true }) == Wire.number(2, 1))
    }

    @Test func etcdRecoverChunksAndSnapshotAndKubeconfigStreams() throws {
        // common.Data: metadata = 1, bytes = 2; EtcdSnapshotRequest has no field.
        #expect(try encoded(Common_Data.with { $0.bytes = Data([0xDE, 0xAD]) }) == Wire.bytes(2, [0xDE, 0xAD]))
        #expect(try encoded(Machine_EtcdSnapshotRequest()).isEmpty)
        let chunk = try Common_Data(serializedBytes: Wire.bytes(1, Wire.text(1, "cp-1")) + Wire.bytes(2, [1, 2, 3]))
        #expect(chunk.metadata.hostname == "cp-1")
        #expect([UInt8](chunk.bytes) == [1, 2, 3])
    }

    @Test func etcdMemberListRequestAndReply() throws {
        #expect(try encoded(Machine_EtcdMemberListRequest.with { $0.queryLocal = true }) == Wire.number(1, 1))
        // EtcdMember: id = 2 (1 unused), hostname = 3, peer_urls = 4, client_urls = 5, is_learner = 6;
        // EtcdMembers: metadata = 1, legacy_members = 2, members = 3.
        let member =
            Wire.number(2, 0xABCD_EF01_2345_6789) + Wire.text(3, "cp-1") + Wire.text(4, "https://10.0.0.11:2380")
            + Wire.text(5, "https://10.0.0.11:2379") + Wire.number(6, 1)
        let reply = try Machine_EtcdMemberListResponse(serializedBytes: Wire.bytes(1, Wire.text(2, "cp-1") + Wire.bytes(3, member)))
        let decoded = try #require(reply.messages.first?.members.first)
        #expect(decoded.id == 0xABCD_EF01_2345_6789)
        #expect(decoded.hostname == "cp-1")
        #expect(decoded.peerUrls == ["https://10.0.0.11:2380"])
        #expect(decoded.clientUrls == ["https://10.0.0.11:2379"])
        #expect(decoded.isLearner)
        #expect(reply.messages.first?.legacyMembers == ["cp-1"])
    }

    @Test func etcdStatusReply() throws {
        // EtcdStatus: member_status = 2; EtcdMemberStatus: protocol_version 1, db_size 2, leader 4,
        // raft_index 5, errors 8, member_id 10, storage_version 11.
        let status =
            Wire.text(1, "3.6.0") + Wire.number(2, 4096) + Wire.number(4, 7) + Wire.number(5, 42) + Wire.text(8, "NOSPACE")
            + Wire.number(10, 7) + Wire.text(11, "3.6.0")
        let reply = try Machine_EtcdStatusResponse(serializedBytes: Wire.bytes(1, Wire.bytes(2, status)))
        let decoded = try #require(reply.messages.first?.memberStatus)
        #expect(decoded.protocolVersion == "3.6.0")
        #expect(decoded.dbSize == 4096)
        #expect(decoded.leader == 7 && decoded.memberID == 7)
        #expect(decoded.raftIndex == 42)
        #expect(decoded.errors == ["NOSPACE"])
        #expect(decoded.storageVersion == "3.6.0")
    }

    @Test func versionReply() throws {
        // Version: metadata 1, version 2 {tag 1, sha 2, arch 6}, platform 3 {name 1, mode 2}, features 4 {rbac 1}.
        let entry =
            Wire.bytes(2, Wire.text(1, "v1.13.9") + Wire.text(2, "3ebd10a7") + Wire.text(6, "amd64"))
            + Wire.bytes(3, Wire.text(1, "metal") + Wire.text(2, "metal")) + Wire.bytes(4, Wire.number(1, 1))
        let reply = try Machine_VersionResponse(serializedBytes: Wire.bytes(1, entry))
        let version = try #require(reply.messages.first)
        #expect(version.version.tag == "v1.13.9")
        #expect(version.version.sha == "3ebd10a7")
        #expect(version.version.arch == "amd64")
        #expect(version.platform.name == "metal" && version.platform.mode == "metal")
        #expect(version.features.rbac)
        #expect(!version.hasMetadata)
    }

    @Test func serviceListReply() throws {
        // ServiceList: services 2; ServiceInfo: id 1, state 2, events 3, health 4 {unknown 1, healthy 2, last_message 3}.
        let service = Wire.text(1, "etcd") + Wire.text(2, "Running") + Wire.bytes(4, Wire.number(2, 1) + Wire.text(3, "ok"))
        let reply = try Machine_ServiceListResponse(serializedBytes: Wire.bytes(1, Wire.bytes(2, service)))
        let etcd = try #require(reply.messages.first?.services.first)
        #expect(etcd.id == "etcd" && etcd.state == "Running")
        #expect(etcd.health.healthy && !etcd.health.unknown && etcd.health.lastMessage == "ok")
    }

    @Test func applyConfigurationReply() throws {
        // ApplyConfiguration: warnings 2, mode 3, mode_details 4.
        let entry = Wire.text(2, "deprecated field") + Wire.number(3, 2) + Wire.text(4, "Applied configuration without a reboot")
        let reply = try Machine_ApplyConfigurationResponse(serializedBytes: Wire.bytes(1, entry))
        let applied = try #require(reply.messages.first)
        #expect(applied.warnings == ["deprecated field"])
        #expect(applied.mode == .noReboot)
        #expect(applied.modeDetails == "Applied configuration without a reboot")
    }

    @Test func resetAndRebootRequestsAndReplies() throws {
        // ResetRequest: graceful 1, reboot 2, system_partitions_to_wipe 3 {label 1, wipe 2}, user_disks_to_wipe 4, mode 5.
        let reset = Machine_ResetRequest.with {
            $0.reboot = true
            $0.systemPartitionsToWipe = [
                .with {
                    $0.label = "EPHEMERAL"
                    $0.wipe = true
                }
            ]
            $0.userDisksToWipe = ["/dev/sdb"]
            $0.mode = .userDisks
        }
        #expect(
            try encoded(reset) == Wire.number(2, 1) + Wire.bytes(3, Wire.text(1, "EPHEMERAL") + Wire.number(2, 1)) + Wire.text(4, "/dev/sdb")
                + Wire.number(5, 2))
        // RebootRequest: mode 1 (DEFAULT 0, POWERCYCLE 1, FORCE 2); replies: actor_id 2.
        #expect(try encoded(Machine_RebootRequest.with { $0.mode = .force }) == Wire.number(1, 2))
        #expect(try Machine_ResetResponse(serializedBytes: Wire.bytes(1, Wire.text(2, "actor-1"))).messages.first?.actorID == "actor-1")
        #expect(try Machine_RebootResponse(serializedBytes: Wire.bytes(1, Wire.text(2, "actor-2"))).messages.first?.actorID == "actor-2")
    }

    @Test func healthCheckRequestAndProgress() throws {
        // HealthCheckRequest: wait_timeout 1, cluster_info 2 {control_plane_nodes 1, worker_nodes 2, force_endpoint 3}.
        let request = Cluster_HealthCheckRequest.with {
            $0.waitTimeout = Google_Protobuf_Duration(seconds: 300)
            $0.clusterInfo = .with {
                $0.controlPlaneNodes = ["10.0.0.11"]
                $0.workerNodes = ["10.0.0.21"]
                $0.forceEndpoint = "10.0.0.5"
            }
        }
        let info = Wire.text(1, "10.0.0.11") + Wire.text(2, "10.0.0.21") + Wire.text(3, "10.0.0.5")
        #expect(try encoded(request) == Wire.bytes(1, Wire.number(1, 300)) + Wire.bytes(2, info))
        // HealthCheckProgress: metadata 1, message 2.
        #expect(
            try Cluster_HealthCheckProgress(serializedBytes: Wire.text(2, "waiting for etcd to be healthy: OK")).message == "waiting for etcd to be healthy: OK"
        )
    }

    @Test func theEnvelopeCarriesANodesError() throws {
        // Metadata: hostname 1, error 2, status 3 (google.rpc.Status: code 1, message 2).
        let metadata = Wire.text(1, "10.0.0.12") + Wire.text(2, "connection refused") + Wire.bytes(3, Wire.number(1, 14) + Wire.text(2, "connection refused"))
        let reply = try Machine_BootstrapResponse(serializedBytes: Wire.bytes(1, Wire.bytes(1, metadata)))
        let entry = try #require(reply.messages.first)
        #expect(entry.metadata.hostname == "10.0.0.12")
        #expect(entry.metadata.error == "connection refused")
        #expect(entry.metadata.status.code == 14)
        #expect(
            try Machine_EtcdRecoverResponse(serializedBytes: Wire.bytes(1, Wire.bytes(1, metadata))).messages.first?.metadata.status.message
                == "connection refused")
    }

    @Test func unknownFieldsFromANewerTalosStillParse() throws {
        // A field this subset does not declare (number 15, varint and bytes) is skipped, not an error.
        let entry = Wire.bytes(2, Wire.text(1, "v1.14.0")) + Wire.number(15, 1) + Wire.text(16, "future")
        #expect(try Machine_VersionResponse(serializedBytes: Wire.bytes(1, entry)).messages.first?.version.tag == "v1.14.0")
    }
}
