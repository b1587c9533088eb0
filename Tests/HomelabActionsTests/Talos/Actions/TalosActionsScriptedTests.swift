import Crypto
import Foundation
import HomelabCore
import HomelabTransport
import Testing

@testable import HomelabActions

/// Answers a lab cannot be made to give on cue, from a scripted node: a refused config, a
/// recovery that etcd reports as failed after Bootstrap said yes.
struct TalosActionsScriptedTests {
    /// Every connection goes to the one scripted node.
    struct ScriptedTalos: TalosConnecting {
        let transport: ScriptedTalosTransport
        func connect(_ target: TalosTarget, context: any ActionContext) async throws -> TalosClient {
            TalosClient(target: target, transport: transport)
        }
    }

    /// A bundle and talosconfig in a temporary folder, and a step's inputs around them.
    func files() async throws -> (directory: String, call: ([String: Value]) -> ActionCall) {
        let directory = try TalosTestFiles.directory()
        let common: [String: Value] = [
            "bundle": .string(directory + "/secrets.yaml"), "talosconfig": .string(directory + "/talosconfig"),
            "node": .string("10.0.0.1"), "templates": .string(TalosTestFiles.repositoryPath("talos")),
        ]
        let call = { (inputs: [String: Value]) in ActionCall(step: "s", inputs: common.merging(inputs) { $1 }) }
        _ = try await TalosSecrets().run(call(["create": .bool(true)]), context: RecordingContext())
        return (directory, call)
    }

    static let unavailable = GRPCError(code: .unavailable, message: "connection refused", method: "", endpoint: "https://scripted:50000", origin: .server)

    @Test func aConfigTheNodeRefusesFailsAtOnceAndIsNotRetried() async throws {
        let (_, call) = try await files()
        let (root, _) = YAMLLoader().load(path: TalosTestFiles.repositoryPath("inventory.yaml"))
        let cluster = try #require(root.map(Value.init)?["talos"])
        let transport = ScriptedTalosTransport([
            "Version": .failing(Self.unavailable),
            "ApplyConfiguration": .failing(GRPCError(code: .invalidArgument, message: "machine.type: unknown", method: "", endpoint: "", origin: .server)),
        ])
        let context = RecordingContext()
        let failure = await ActionFailure.of {
            _ = try await TalosApplyConfig(talos: ScriptedTalos(transport: transport)).run(
                call(["cluster": cluster, "name": .string("cp-1")]), context: context)
        }
        #expect(failure?.message.contains("INVALID_ARGUMENT") == true, "\(String(describing: failure))")
        #expect(failure?.retryable == false)
        #expect(transport.calls.filter { $0.path.hasSuffix("/ApplyConfiguration") }.count == 1)
        #expect(context.slept == .zero, "a refusal is not waited on")
    }

    @Test func aRecoveryThatEtcdReportsFailedFailsWithTheServicesWords() async throws {
        let (directory, call) = try await files()
        let database = Data(repeating: 7, count: 1024)
        try (database + Data(SHA256.hash(data: database))).write(to: URL(fileURLWithPath: directory + "/db.snapshot"))
        let failed = Machine_ServiceListResponse.with {
            $0.messages = [
                .with {
                    $0.services = [
                        .with {
                            $0.id = "etcd"
                            $0.state = "Failed"
                            $0.health.lastMessage = "error restoring snapshot: hash mismatch"
                        }
                    ]
                }
            ]
        }
        let transport = ScriptedTalosTransport([
            "EtcdMemberList": .failing(Self.unavailable),
            "EtcdRecover": .reply(Machine_EtcdRecoverResponse.with { $0.messages = [Machine_EtcdRecover()] }),
            "Bootstrap": .reply(Machine_BootstrapResponse.with { $0.messages = [Machine_Bootstrap()] }),
            "ServiceList": .reply(failed),
        ])
        let failure = await ActionFailure.of {
            _ = try await TalosBootstrap(talos: ScriptedTalos(transport: transport)).run(
                call(["recover-from": .string(directory + "/db.snapshot")]), context: RecordingContext())
        }
        #expect(failure?.message.contains("etcd failed to start") == true, "\(String(describing: failure))")
        #expect(failure?.message.contains("hash mismatch") == true)
        #expect(failure?.retryable == false)
        let paths = transport.calls.map { String($0.path.split(separator: "/").last ?? "") }
        #expect(paths.firstIndex(of: "EtcdRecover")! < paths.firstIndex(of: "Bootstrap")!, "\(paths)")
        let uploaded = transport.calls.first { $0.path.hasSuffix("/EtcdRecover") }?.requests.count
        #expect(uploaded == 1, "1056 bytes go in one 4 KiB piece")
    }
}
