import Foundation
import HomelabActions
import HomelabTransport
import LabSupport
import Synchronization
import Testing

/// The live client (libcurl, HTTP/2, TLS) against lab/fixtures/talos_peer.py, a grpclib peer
/// with Ed25519 certificates as Talos has them: maintenance mode without and with a pinned
/// fingerprint, configured mode in mutual TLS with the client key under Talos' PEM label.
@Suite("Talos client against a live peer", .serialized)
struct TalosLiveTests {
    static let peer = SharedFixture("talos_peer.py", ["--tag", "v1.13.9"])

    func identity(_ peer: LabFixture, prefix: String = "", ca: String = "ca") throws -> TalosIdentity {
        TalosIdentity(
            ca: try String(contentsOfFile: peer.string(ca), encoding: .utf8),
            certificate: try String(contentsOfFile: peer.string(prefix + "client_cert"), encoding: .utf8),
            key: try String(contentsOfFile: peer.string(prefix + "client_key_talos"), encoding: .utf8))
    }

    func maintenance(_ peer: LabFixture, pin: String?, node: String? = nil) -> TalosTarget {
        TalosTarget(endpoint: peer.string("maintenance_endpoint"), node: node, mode: .maintenance(pin: pin))
    }

    func configured(_ peer: LabFixture, _ identity: TalosIdentity, node: String? = nil) -> TalosTarget {
        TalosTarget(endpoint: peer.string("configured_endpoint"), node: node, mode: .configured(identity))
    }

    @Test func maintenanceModeAcceptsTheNodesCertificateAsTalosctlDoes() async throws {
        let peer = try await Self.peer.get()
        let client = try await LiveTalosConnector(trust: FingerprintTrust()).connect(maintenance(peer, pin: nil), context: RecordingContext())
        let version = try await client.version()
        #expect(version.version.tag == "v1.13.9")
        #expect(!version.features.rbac)
    }

    @Test func maintenanceModePinnedToTheFingerprintOnTheConsole() async throws {
        let peer = try await Self.peer.get()
        let target = maintenance(peer, pin: peer.string("maintenance_fingerprint"))
        let client = try await LiveTalosConnector(trust: FingerprintTrust()).connect(target, context: RecordingContext())
        #expect(try await client.version().version.tag == "v1.13.9")
    }

    @Test func aChangedMaintenanceCertificateIsPutToTheOperator() async throws {
        let peer = try await Self.peer.get()
        let stale = Data(repeating: 7, count: 32).base64EncodedString() // the fingerprint of a previous boot
        let asked = Mutex<[FingerprintTrust.Question]>([])
        let refusing = FingerprintTrust { question in
            asked.withLock { $0.append(question) }
            return false
        }
        let error = try await #require(throws: TalosError.self) {
            _ = try await LiveTalosConnector(trust: refusing).connect(maintenance(peer, pin: stale), context: RecordingContext())
        }
        #expect(error.kind == .certificate)
        #expect(!error.isRetryable)
        let question = try #require(asked.withLock { $0.first })
        #expect(question.service.name == "Talos maintenance API")
        #expect(question.presented == peer.string("maintenance_fingerprint"))
        #expect(question.expected == stale)
        #expect(question.text.contains("server certificate issued"))

        // Answering yes trusts the presented key for this run, and the call goes through.
        let context = RecordingContext()
        let trusting = FingerprintTrust { _ in true }
        let client = try await LiveTalosConnector(trust: trusting).connect(maintenance(peer, pin: stale), context: context)
        #expect(try await client.version().version.tag == "v1.13.9")
        #expect(context.messages.contains { $0.contains(peer.string("maintenance_fingerprint")) })
    }

    @Test func maintenanceModeRefusesWhatNeedsTheAdminRole() async throws {
        let peer = try await Self.peer.get()
        let client = try await LiveTalosConnector(trust: FingerprintTrust()).connect(maintenance(peer, pin: nil), context: RecordingContext())
        let error = try await #require(throws: TalosError.self) { _ = try await client.kubeconfig { _ in } }
        #expect(error.kind == .denied)
        #expect(error.hint?.contains("os:reader") == true)
    }

    @Test func configuredModeIsEd25519MutualTLS() async throws {
        let peer = try await Self.peer.get()
        let client = try await LiveTalosConnector(trust: FingerprintTrust()).connect(configured(peer, try identity(peer)), context: RecordingContext())
        let version = try await client.version()
        #expect(version.version.tag == "v1.13.9")
        #expect(version.features.rbac)
    }

    @Test func aSnapshotStreamsThroughTheSink() async throws {
        let peer = try await Self.peer.get()
        let client = try await LiveTalosConnector(trust: FingerprintTrust()).connect(configured(peer, try identity(peer)), context: RecordingContext())
        let received = Mutex<(chunks: Int, bytes: [UInt8])>((0, []))
        let total = try await client.etcdSnapshot { chunk in
            #expect(chunk.count <= 1024)
            received.withLock {
                $0.chunks += 1
                $0.bytes += chunk
            }
        }
        let (chunks, bytes) = received.withLock { $0 }
        #expect(total == peer.int("snapshot_size"))
        #expect(chunks == 5)
        #expect(Digest.sha256(bytes).map { String(format: "%02x", $0) }.joined() == peer.string("snapshot_sha256"))
    }

    @Test func theNodeKeyReachesTheEndpointAndItsEnvelopeIsRead() async throws {
        let peer = try await Self.peer.get()
        let connector = LiveTalosConnector(trust: FingerprintTrust())
        let routed = try await connector.connect(configured(peer, try identity(peer), node: "10.0.0.12"), context: RecordingContext())
        #expect(try await routed.version().metadata.hostname == "10.0.0.12")

        let unreachable = try await connector.connect(configured(peer, try identity(peer), node: "unreachable"), context: RecordingContext())
        let error = try await #require(throws: TalosError.self) { _ = try await unreachable.version() }
        #expect(error.kind == .notReady)
        #expect(error.code == .unavailable)
        #expect(error.message == "connection refused")
    }

    @Test func aClientCertificateFromAnotherCAIsRefused() async throws {
        let peer = try await Self.peer.get()
        let stranger = try identity(peer, prefix: "other_")
        let client = try await LiveTalosConnector(trust: FingerprintTrust()).connect(configured(peer, stranger), context: RecordingContext())
        let error = try await #require(throws: TalosError.self) { _ = try await client.version() }
        #expect(error.kind == .certificate, "\(error)")
        #expect(!error.isRetryable)
    }

    @Test func aNodeWhoseCertificateIsNotFromTheTalosconfigsCAIsNotTrusted() async throws {
        let peer = try await Self.peer.get()
        let wrongCA = try identity(peer, ca: "other_ca")
        let client = try await LiveTalosConnector(trust: FingerprintTrust()).connect(configured(peer, wrongCA), context: RecordingContext())
        let error = try await #require(throws: TalosError.self) { _ = try await client.version() }
        #expect(error.kind == .certificate, "\(error)")
    }
}
