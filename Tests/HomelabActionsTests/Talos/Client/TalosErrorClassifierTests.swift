import HomelabTransport
import SwiftProtobuf
import Testing

@testable import HomelabActions

/// The reference's error table (talos-api.md section 6), row by row: what a node or the transport
/// says, and whether a step should wait and ask again or stop.
@Suite("Talos error classes")
struct TalosErrorClassifierTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var call: String
        var code: GRPCStatusCode
        var message: String
        var kind: TalosError.Kind
        var testDescription: String { "\(call) \(code.name) \"\(message)\"" }
    }

    static let table: [Row] = [
        Row(call: "Version", code: .unavailable, message: "connection closed", kind: .notReady),
        Row(call: "ApplyConfiguration", code: .cancelled, message: "context canceled", kind: .notReady),
        Row(call: "Bootstrap", code: .failedPrecondition, message: "bootstrap is not available yet", kind: .notReady),
        Row(call: "Bootstrap", code: .failedPrecondition, message: "time is not in sync yet", kind: .notReady),
        Row(call: "Bootstrap", code: .unimplemented, message: "machine type is not set, cannot use bootstrap API", kind: .notConfigured),
        Row(call: "Bootstrap", code: .unimplemented, message: "bootstrap is only available on control plane nodes", kind: .notServed),
        Row(call: "Bootstrap", code: .alreadyExists, message: "etcd data directory is not empty", kind: .alreadyBootstrapped),
        Row(call: "EtcdRecover", code: .failedPrecondition, message: "etcd service is not ready for recovery yet", kind: .notReady),
        Row(call: "ApplyConfiguration", code: .failedPrecondition, message: "another apply configuration is already in progress", kind: .notReady),
        Row(call: "ApplyConfiguration", code: .failedPrecondition, message: "configuration was already applied and node is rebooting", kind: .notReady),
        Row(call: "ApplyConfiguration", code: .invalidArgument, message: "1 error occurred: machine.install.disk is required", kind: .invalid),
        Row(call: "Kubeconfig", code: .permissionDenied, message: "not authorized", kind: .denied),
        Row(call: "Version", code: .permissionDenied, message: "no request forwarding", kind: .denied),
        Row(call: "Version", code: .unimplemented, message: "API is not implemented in maintenance mode", kind: .notServed),
        Row(call: "Upgrade", code: .failedPrecondition, message: "Talos is not installed", kind: .fatal),
        Row(call: "EtcdMemberList", code: .unknown, message: "etcdserver: no leader", kind: .notReady),
        Row(call: "Version", code: .internal, message: "panic", kind: .fatal),
        Row(call: "Reset", code: .alreadyExists, message: "exists", kind: .fatal),
    ]

    let target = TalosTarget(endpoint: "10.0.0.11", mode: .configured(TalosIdentity(ca: "", certificate: "", key: "")))
    let maintenance = TalosTarget(endpoint: "10.0.0.11", mode: .maintenance(pin: nil))

    func serverError(_ row: Row) -> GRPCError {
        GRPCError(code: row.code, message: row.message, method: "/machine.MachineService/\(row.call)", endpoint: "https://10.0.0.11:50000", origin: .server)
    }

    @Test(arguments: table)
    func aServersStatus(row: Row) async throws {
        let transport = ScriptedTalosTransport()
        transport.answer(row.call, with: .failing(serverError(row)))
        // Every row goes through a real call, so the classification is what a caller sees.
        let client = TalosClient(target: target, transport: transport)
        let error = try await #require(throws: TalosError.self) { _ = try await client.unary(row.call, row) }
        #expect(error.kind == row.kind, "\(error)")
        #expect(error.isRetryable == (row.kind == .notReady || row.kind == .notConfigured))
    }

    @Test(arguments: table)
    func theSameStatusInsideTheEnvelope(row: Row) async throws {
        let metadata = Common_Metadata.with {
            $0.hostname = "10.0.0.12"
            $0.error = row.message
            $0.status = .with { $0.code = Int32(row.code.rawValue) }
        }
        let transport = ScriptedTalosTransport([row.call: .reply(Machine_VersionResponse.with { $0.messages = [.with { $0.metadata = metadata }] })])
        let client = TalosClient(target: target, transport: transport)
        let error = try await #require(throws: TalosError.self) { _ = try await client.unary(row.call, row) }
        #expect(error.kind == row.kind, "\(error)")
    }

    /// The transport's failures: no gRPC status from the node at all.
    @Test(arguments: [
        (HTTPError.Kind.connectionRefused, GRPCStatusCode.unavailable, TalosError.Kind.notReady),
        (.connectionDropped("reset by peer"), .unavailable, .notReady),
        (.timedOut(.connect), .deadlineExceeded, .notReady),
        // grpc-go answers from the headers and resets the stream early: curl 92 (HTTP/2 stream), 16.
        (.transport(code: 92, "Stream error in the HTTP/2 framing layer"), .internal, .notReady),
        (.transport(code: 16, "Error in the HTTP2 framing layer"), .internal, .notReady),
        (.tlsHandshakeFailed("alert certificate required"), .unavailable, .certificate),
        (.tlsVerificationFailed("unable to get local issuer certificate"), .unavailable, .certificate),
        (.pinMismatch(expected: "sha256//AAAA", actual: "sha256//BBBB"), .unavailable, .certificate),
        (.invalidRequest("bad URL"), .internal, .fatal),
    ])
    func aTransportFailure(failure: HTTPError.Kind, code: GRPCStatusCode, kind: TalosError.Kind) async throws {
        let http = HTTPError(failure, method: "POST", url: "https://10.0.0.11:50000/machine.MachineService/Version")
        let error = GRPCError(code: code, message: "\(http)", method: "/machine.MachineService/Version", endpoint: "https://10.0.0.11:50000", underlying: http)
        let transport = ScriptedTalosTransport(["Version": .failing(error)])
        let classified = try await #require(throws: TalosError.self) { _ = try await TalosClient(target: maintenance, transport: transport).version() }
        #expect(classified.kind == kind, "\(classified)")
    }

    @Test func hintsNameWhatToDo() {
        let denied = TalosErrorClassifier.hint(.denied, message: "not authorized", target: maintenance)
        #expect(denied?.contains("os:reader") == true)
        let forwarding = TalosErrorClassifier.hint(.denied, message: "no request forwarding", target: target)
        #expect(forwarding?.contains("control-plane endpoint") == true)
        #expect(TalosErrorClassifier.hint(.notConfigured, message: "", target: target)?.contains("talos.apply-config") == true)
    }
}

extension TalosClient {
    /// Any unary MachineService call by name (Version's reply shape), for the table.
    fileprivate func unary(_ call: String, _ row: TalosErrorClassifierTests.Row) async throws -> Machine_Version {
        try await unary(call, Google_Protobuf_Empty(), Machine_VersionResponse.self)
    }
}
