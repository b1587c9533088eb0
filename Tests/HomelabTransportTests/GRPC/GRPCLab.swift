import Foundation
import HomelabTransport
import LabSupport
import Testing

/// The gRPC test servers (lab/fixtures/grpc_fixture.py), started once per test run and shared.
/// grpcio serves ECDSA/RSA; Ed25519, what Talos uses, needs grpclib (BoringSSL lacks it).
enum GRPCLab {
    enum Peer: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// grpcio, ECDSA certificates, mutual TLS.
        case grpcioECDSA
        /// grpclib, Ed25519 certificates, mutual TLS, the client key under Talos' PEM label.
        case grpclibEd25519

        var testDescription: String { rawValue }

        var fixture: LabFixture {
            get async throws {
                switch self {
                case .grpcioECDSA: try await GRPCLab.grpcioECDSA.get()
                case .grpclibEd25519: try await GRPCLab.grpclibEd25519.get()
                }
            }
        }
    }

    static let grpcioECDSA = SharedFixture("grpc_fixture.py", ["--server", "grpcio", "--tls", "mutual", "--algorithm", "ecdsa"])
    static let grpclibEd25519 = SharedFixture("grpc_fixture.py", ["--server", "grpclib", "--tls", "mutual", "--algorithm", "ed25519"])
    /// Server-only TLS (Talos maintenance mode asks for no client certificate), RSA.
    static let grpcioServerTLS = SharedFixture("grpc_fixture.py", ["--server", "grpcio", "--tls", "server", "--algorithm", "rsa"])

    /// A client trusting the fixture's CA; with the fixture's client certificate unless told not to.
    /// For Ed25519 the key is read from the file with Talos' `ED25519 PRIVATE KEY` label.
    static func client(_ fixture: LabFixture, presentCertificate: Bool = true) throws -> GRPCClient {
        var identity: HTTPClientIdentity?
        if presentCertificate {
            let talosKey = fixture.string("client_key_talos")
            let keyPath = talosKey.isEmpty ? fixture.string("client_key") : talosKey
            identity = HTTPClientIdentity(
                certificatePEM: try String(contentsOfFile: fixture.string("client_cert"), encoding: .utf8),
                privateKeyPEM: try String(contentsOfFile: keyPath, encoding: .utf8))
        }
        let http = try HTTPClient(
            configuration: HTTPClientConfiguration(
                trust: .certificateAuthorityFile(path: fixture.string("ca")), identity: identity))
        return GRPCClient(endpoint: fixture.string("endpoint"), transport: http)
    }

    static func method(_ name: String) -> GRPCMethod { GRPCMethod(service: "homelab.test.Echo", method: name) }
}
