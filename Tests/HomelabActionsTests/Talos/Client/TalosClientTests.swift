import Foundation
import HomelabActions
import HomelabTransport
import SwiftProtobuf
import Synchronization
import Testing

/// The Talos client over a scripted transport: one node per call, the per-node envelope, typed
/// replies and the streams in both directions.
@Suite("Talos client")
struct TalosClientTests {
    let configured = TalosTarget.Mode.configured(TalosIdentity(ca: "CA PEM", certificate: "CERT PEM", key: "KEY PEM"))

    func client(_ transport: ScriptedTalosTransport, node: String? = "10.0.0.12") -> TalosClient {
        TalosClient(target: TalosTarget(endpoint: "10.0.0.11", node: node, mode: configured), transport: transport)
    }

    static func version(_ tag: String) -> Machine_VersionResponse {
        .with { $0.messages = [.with { $0.version = .with { $0.tag = tag } }] }
    }

    static func nodeFailure(_ text: String, code: Int32) -> Common_Metadata {
        .with {
            $0.hostname = "10.0.0.12"
            $0.error = text
            $0.status = .with {
                $0.code = code
                $0.message = text
            }
        }
    }

    @Test func aCallThroughAnEndpointNamesItsNodeOnce() async throws {
        let transport = ScriptedTalosTransport(["Version": .reply(Self.version("v1.13.9"))])
        let version = try await client(transport).version()
        #expect(version.version.tag == "v1.13.9")
        let call = try #require(transport.calls.first)
        #expect(call.path == "/machine.MachineService/Version")
        #expect(call.values("node") == ["10.0.0.12"])
        #expect(call.values("nodes").isEmpty)
        #expect(call.timeout == .seconds(30))
        #expect(call.requests == [[]]) // google.protobuf.Empty
    }

    @Test func aDirectCallSendsNoRoutingKey() async throws {
        let transport = ScriptedTalosTransport(["Version": .reply(Self.version("v1.13.9"))])
        _ = try await client(transport, node: nil).version()
        #expect(transport.calls.first?.metadata.isEmpty == true)
    }

    @Test func anEnvelopeErrorFailsTheCallDespiteStatusOK() async throws {
        let reply = Machine_VersionResponse.with { $0.messages = [.with { $0.metadata = Self.nodeFailure("connection refused", code: 14) }] }
        let transport = ScriptedTalosTransport(["Version": .reply(reply)])
        let error = try await #require(throws: TalosError.self) { try await client(transport).version() }
        #expect(error.kind == .notReady)
        #expect(error.code == .unavailable)
        #expect(error.message == "connection refused")
        #expect(error.node.hasPrefix("10.0.0.12"))
        #expect(error.isRetryable)
    }

    @Test func aReplyWithoutAnEntryIsAProtocolError() async throws {
        let transport = ScriptedTalosTransport(["ServiceList": .reply(Machine_ServiceListResponse())])
        let error = try await #require(throws: TalosError.self) { try await client(transport).serviceList() }
        #expect(error.kind == .fatal)
    }

    @Test func bootstrapOnABootstrappedNodeIsDoneNotFailed() async throws {
        let method = GRPCMethod(service: "machine.MachineService", method: "Bootstrap")
        let transport = ScriptedTalosTransport([
            "Bootstrap": .failing(ScriptedTalosTransport.error(.alreadyExists, "etcd data directory is not empty", method))
        ])
        let outcome = try await client(transport).bootstrap(recoverEtcd: true, skipHashCheck: false)
        #expect(outcome == .alreadyBootstrapped(message: "etcd data directory is not empty"))
        // recover_etcd = 1 on the wire.
        #expect(transport.calls.first?.requests == [[0x08, 0x01]])
    }

    @Test func bootstrapStarts() async throws {
        let transport = ScriptedTalosTransport(["Bootstrap": .reply(Machine_BootstrapResponse.with { $0.messages = [Machine_Bootstrap()] })])
        #expect(try await client(transport).bootstrap() == .started)
    }

    @Test func applyConfigurationSendsTheConfigInAutoMode() async throws {
        let applied = Machine_ApplyConfigurationResponse.with {
            $0.messages = [
                .with {
                    $0.mode = .noReboot
                    $0.modeDetails = "Applied configuration without a reboot"
                }
            ]
        }
        let transport = ScriptedTalosTransport(["ApplyConfiguration": .reply(applied)])
        let result = try await client(transport, node: nil).applyConfiguration(Array("version: v1alpha1\n".utf8))
        #expect(result.mode == .noReboot)
        let sent = try Machine_ApplyConfigurationRequest(serializedBytes: try #require(transport.calls.first?.requests.first))
        #expect(String(decoding: sent.data, as: UTF8.self) == "version: v1alpha1\n")
        #expect(sent.mode == .auto)
        #expect(!sent.dryRun)
    }

    @Test func unaryRepliesAreTyped() async throws {
        let transport = ScriptedTalosTransport([
            "EtcdMemberList": .reply(Machine_EtcdMemberListResponse.with { $0.messages = [.with { $0.members = [.with { $0.hostname = "cp-1" }] }] }),
            "EtcdStatus": .reply(Machine_EtcdStatusResponse.with { $0.messages = [.with { $0.memberStatus = .with { $0.raftIndex = 9 } }] }),
            "ServiceList": .reply(
                Machine_ServiceListResponse.with {
                    $0.messages = [
                        .with {
                            $0.services = [
                                .with {
                                    $0.id = "etcd"
                                    $0.state = "Preparing"
                                }
                            ]
                        }
                    ]
                }),
            "Reset": .reply(Machine_ResetResponse.with { $0.messages = [.with { $0.actorID = "reset-1" }] }),
            "Reboot": .reply(Machine_RebootResponse.with { $0.messages = [.with { $0.actorID = "reboot-1" }] }),
        ])
        let talos = client(transport)
        #expect(try await talos.etcdMemberList().members.map(\.hostname) == ["cp-1"])
        #expect(try await talos.etcdStatus().raftIndex == 9)
        #expect(try await talos.serviceList().map(\.state) == ["Preparing"])
        #expect(try await talos.reset(.with { $0.graceful = false }).actorID == "reset-1")
        #expect(try await talos.reboot().actorID == "reboot-1")
        // query_local = 1 for the member list, as talosctl etcd members sends it.
        #expect(transport.calls.first?.requests == [[0x08, 0x01]])
        #expect(transport.calls.allSatisfy { $0.values("node") == ["10.0.0.12"] })
    }

    @Test func aSnapshotGoesToTheSinkChunkByChunk() async throws {
        let chunks: [any Message] = [
            Common_Data.with { $0.bytes = Data([1, 2, 3]) }, Common_Data(), Common_Data.with { $0.bytes = Data([4, 5]) },
        ]
        let transport = ScriptedTalosTransport([
            "EtcdSnapshot": ScriptedTalosTransport.Answer(replies: chunks.map { [UInt8](try! $0.serializedData()) }, end: nil)
        ])
        let received = Mutex<[[UInt8]]>([])
        let total = try await client(transport).etcdSnapshot { chunk in received.withLock { $0.append(chunk) } }
        #expect(total == 5)
        #expect(received.withLock { $0 } == [[1, 2, 3], [4, 5]]) // the empty chunk is not handed on
        #expect(transport.calls.first?.path == "/machine.MachineService/EtcdSnapshot")
        #expect(transport.calls.first?.timeout == nil) // a stream has no deadline, only a stall limit
    }

    @Test func anEnvelopeErrorMidStreamStopsTheStream() async throws {
        let transport = ScriptedTalosTransport([
            "Kubeconfig": .reply(
                Common_Data.with { $0.bytes = Data([0x1F, 0x8B]) }, Common_Data.with { $0.metadata = Self.nodeFailure("not authorized", code: 7) },
                Common_Data.with { $0.bytes = Data([9]) })
        ])
        let received = Mutex(0)
        let error = try await #require(throws: TalosError.self) {
            _ = try await client(transport).kubeconfig { chunk in received.withLock { $0 += chunk.count } }
        }
        #expect(error.kind == .denied)
        #expect(error.call == "Kubeconfig")
        #expect(received.withLock { $0 } == 2)
    }

    @Test func aSinkThatFailsEndsTheStreamWithItsOwnError() async throws {
        struct DiskFull: Error {}
        let transport = ScriptedTalosTransport(["EtcdSnapshot": .reply(Common_Data.with { $0.bytes = Data([1]) })])
        await #expect(throws: DiskFull.self) { _ = try await client(transport).etcdSnapshot { _ in throw DiskFull() } }
    }

    @Test func aSnapshotIsUploadedInTalosctlsChunks() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("talos-recover-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("db.snapshot")
        let content = (0..<10_000).map { UInt8($0 % 251) }
        try Data(content).write(to: file)

        let transport = ScriptedTalosTransport(["EtcdRecover": .reply(Machine_EtcdRecoverResponse.with { $0.messages = [Machine_EtcdRecover()] })])
        let sent = try await client(transport).etcdRecover(from: TalosFileChunks(path: file.path))
        #expect(sent == 10_000)
        let call = try #require(transport.calls.first)
        #expect(call.path == "/machine.MachineService/EtcdRecover")
        let pieces = try call.requests.map { try Common_Data(serializedBytes: $0) }
        #expect(pieces.map(\.bytes.count) == [4096, 4096, 1808])
        #expect(pieces.flatMap { [UInt8]($0.bytes) } == content)
        #expect(call.values("node") == ["10.0.0.12"])
    }

    @Test func anUploadTheNodeRefusesInItsEnvelopeFails() async throws {
        let reply = Machine_EtcdRecoverResponse.with {
            $0.messages = [.with { $0.metadata = Self.nodeFailure("etcd service is not ready for recovery yet", code: 9) }]
        }
        let transport = ScriptedTalosTransport(["EtcdRecover": .reply(reply)])
        let error = try await #require(throws: TalosError.self) {
            _ = try await client(transport).etcdRecover(from: TalosFileChunks(path: "/dev/null"))
        }
        #expect(error.kind == .notReady)
    }

    @Test func theHealthCheckSendsItsWaitAndHandsOnProgress() async throws {
        let transport = ScriptedTalosTransport([
            "HealthCheck": .reply(
                Cluster_HealthCheckProgress.with { $0.message = "discovered nodes: [10.0.0.11]" },
                Cluster_HealthCheckProgress.with { $0.message = "waiting for etcd to be healthy: OK" })
        ])
        let lines = Mutex<[String]>([])
        try await client(transport).healthCheck(waitTimeout: .seconds(300)) { line in lines.withLock { $0.append(line) } }
        #expect(lines.withLock { $0 } == ["discovered nodes: [10.0.0.11]", "waiting for etcd to be healthy: OK"])
        let call = try #require(transport.calls.first)
        #expect(call.path == "/cluster.ClusterService/HealthCheck")
        #expect(try Cluster_HealthCheckRequest(serializedBytes: call.requests[0]).waitTimeout.seconds == 300)
    }

    @Test func aHealthCheckThatRunsOutOfTimeIsNotReady() async throws {
        let method = GRPCMethod(service: "cluster.ClusterService", method: "HealthCheck")
        let transport = ScriptedTalosTransport([
            "HealthCheck": .reply(
                Cluster_HealthCheckProgress.with { $0.message = "waiting for etcd to be healthy: ..." },
                end: ScriptedTalosTransport.error(.deadlineExceeded, "context deadline exceeded", method))
        ])
        let error = try await #require(throws: TalosError.self) { try await client(transport).healthCheck(waitTimeout: .seconds(1)) { _ in } }
        #expect(error.kind == .notReady)
    }

    @Test func noMessageShowsTheClientKey() async throws {
        let identity = TalosIdentity(
            ca: "CA", certificate: "CERT", key: "-----BEGIN ED25519 PRIVATE KEY-----\nSECRETKEYBYTES\n-----END ED25519 PRIVATE KEY-----")
        #expect(!"\(identity)".contains("SECRETKEYBYTES"))
        let target = TalosTarget(endpoint: "10.0.0.11", mode: .configured(identity))
        let transport = ScriptedTalosTransport()
        let error = try await #require(throws: TalosError.self) {
            _ = try await TalosClient(target: target, transport: transport).version()
        }
        #expect(!"\(error)".contains("SECRETKEYBYTES"))
    }
}
