import Foundation
import HomelabActions
import Testing

@Suite("Talos talosconfig and admin certificate")
struct TalosConfigFileTests {
    @Test func theAdminCertificateIsWhatApidAccepts() async throws {
        let directory = try TalosTestFiles.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bundle = try SecretsBundleGenerator.generate()
        let admin = try AdminCertificate.issue(by: bundle.os)
        let text = try OpenSSL.text(certificate: admin.crt, in: directory)
        #expect(text.status == 0, "\(text.output)")
        #expect(text.output.contains("Subject: O = os:admin\n"))
        #expect(text.output.contains("Issuer: O = talos\n"))
        #expect(text.output.contains("Public Key Algorithm: ED25519"))
        #expect(text.output.contains("X509v3 Key Usage: critical\n                Digital Signature\n"))
        // Exactly clientAuth: apid refuses serverAuth+clientAuth client certificates.
        #expect(text.output.contains("X509v3 Extended Key Usage: \n                TLS Web Client Authentication\n"))
        #expect(!text.output.contains("Server Authentication"))
        #expect(!text.output.contains("CA:TRUE"))
        #expect(admin.key?.hasPrefix("-----BEGIN ED25519 PRIVATE KEY-----\n") == true)

        let ca = directory + "/ca.pem"
        let crt = directory + "/admin.pem"
        try TalosTestFiles.write(bundle.os.crt, to: ca)
        try TalosTestFiles.write(admin.crt, to: crt)
        // The Ed25519 signature checked by OpenSSL, for a TLS client.
        let verified = try OpenSSL.run(["verify", "-CAfile", ca, "-purpose", "sslclient", crt])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.contains("admin.pem: OK"))
        let other = directory + "/other.pem"
        try TalosTestFiles.write(try SecretsBundleGenerator.generate().os.crt, to: other)
        #expect(try OpenSSL.run(["verify", "-CAfile", other, crt]).status != 0)
    }

    @Test func theAdminCertificateLastsAYearFromNow() throws {
        // Made late in a second: valid from that second on, not from the next (rounded up,
        // a node would refuse it for a moment).
        let now = Date(timeIntervalSince1970: 1_800_000_000.9)
        let admin = try AdminCertificate.issue(by: try SecretsBundleGenerator.generate(now: now).os, now: now)
        let directory = try TalosTestFiles.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = try OpenSSL.text(certificate: admin.crt, in: directory).output
        #expect(text.contains("Not Before: Jan 15 08:00:00 2027 GMT"))
        #expect(text.contains("Not After : Jan 15 08:00:00 2028 GMT"))
    }

    @Test func aTalosconfigRoundTripsWithMode0600() throws {
        let directory = try TalosTestFiles.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bundle = try SecretsBundleGenerator.generate()
        let identity = try TalosConfigFile.generate(bundle: bundle, endpoints: ["192.168.10.21"], nodes: ["192.168.10.21", "192.168.10.31"])
        let path = directory + "/talosconfig"
        try TalosConfigFile.write(identity, context: "homelab", to: path)
        #expect(try TalosTestFiles.mode(path) == 0o600)
        #expect(try TalosConfigFile.load(path: path) == identity)
        #expect(try TalosConfigFile.load(path: path, context: "homelab") == identity)
        #expect(identity.ca == bundle.os.crt)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("context: homelab\ncontexts:\n    homelab:\n        endpoints:\n            - 192.168.10.21\n        nodes:\n"))
    }

    @Test func aTalosconfigAsTalosctlWritesItLoads() throws {
        let bundle = try SecretsBundleGenerator.generate()
        let admin = try AdminCertificate.issue(by: bundle.os)
        func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        // talosctl gen config: endpoints empty; a legacy `target` is appended to them.
        let text = """
            context: homelab
            contexts:
                homelab:
                    endpoints: []
                    target: 10.0.0.5
                    ca: \(b64(bundle.os.crt))
                    crt: \(b64(admin.crt))
                    key: \(b64(admin.key ?? ""))
            """
        let identity = try TalosConfigFile.load(text: text, file: "talosconfig")
        #expect(identity.endpoints == ["10.0.0.5"])
        #expect(identity.nodes == [])
        #expect(identity.key == admin.key)
    }

    @Test func anUnknownContextOrAForeignKeyIsRefused() throws {
        let bundle = try SecretsBundleGenerator.generate()
        let identity = try TalosConfigFile.generate(bundle: bundle, endpoints: [])
        let text = TalosConfigFile.text(identity, context: "homelab")
        let unknown = #expect(throws: TalosFileError.self) { try TalosConfigFile.load(text: text, file: "tc", context: "prod") }
        #expect(unknown?.description == "tc:3:5: no context 'prod' in contexts (it has: homelab)")

        var foreign = identity
        foreign.key = try AdminCertificate.issue(by: bundle.os).key ?? ""
        let error = #expect(throws: TalosFileError.self) {
            try TalosConfigFile.load(text: TalosConfigFile.text(foreign, context: "homelab"), file: "tc")
        }
        #expect(error?.message == "contexts.homelab: key does not belong to the certificate crt (their public keys differ)")
        #expect(error?.description.contains(Data(foreign.key.utf8).base64EncodedString()) == false)
    }
}
