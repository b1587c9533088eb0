import Foundation
import HomelabActions
import Testing

@Suite("Talos secrets bundle")
struct SecretsBundleTests {
    @Test func aGeneratedBundleRoundTripsThroughTheFileWithMode0600() async throws {
        let directory = try TalosTestFiles.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bundle = try SecretsBundleGenerator.generate()
        let path = directory + "/secrets.yaml"
        try SecretsBundleWriter.write(bundle, to: path)
        #expect(try TalosTestFiles.mode(path) == 0o600)
        #expect(try SecretsBundleLoader.load(path: path) == bundle)
    }

    @Test func generatedValuesHaveTalosShapes() throws {
        let bundle = try SecretsBundleGenerator.generate()
        let token = #/^[a-z0-9]{6}\.[a-z0-9]{16}$/#
        #expect(bundle.bootstrapToken.wholeMatch(of: token) != nil)
        #expect(bundle.trustdToken.wholeMatch(of: token) != nil)
        #expect(Data(base64Encoded: bundle.clusterSecret)?.count == 32)
        #expect(Data(base64Encoded: bundle.secretboxEncryptionSecret ?? "")?.count == 32)
        let id = bundle.clusterID.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        #expect(Data(base64Encoded: id)?.count == 32)
        #expect(bundle.os.key?.hasPrefix("-----BEGIN ED25519 PRIVATE KEY-----\n") == true)
        for key in [bundle.etcd.key, bundle.kubernetes.key, bundle.aggregator.key, bundle.serviceAccountKey] {
            #expect(key?.hasPrefix("-----BEGIN EC PRIVATE KEY-----\n") == true)
        }
    }

    @Test func opensslReadsTheCertificateAuthoritiesAsTalosMakesThem() async throws {
        let directory = try TalosTestFiles.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bundle = try SecretsBundleGenerator.generate()
        let cases: [(PEMCertificateAndKey, subject: String, algorithm: String)] = [
            (bundle.os, "O = talos", "ED25519"), (bundle.kubernetes, "O = kubernetes", "ecdsa-with-SHA256"),
            (bundle.aggregator, "CN = front-proxy", "ecdsa-with-SHA256"), (bundle.etcd, "O = etcd", "ecdsa-with-SHA256"),
        ]
        for (pair, subject, algorithm) in cases {
            let text = try OpenSSL.text(certificate: pair.crt, in: directory)
            #expect(text.status == 0, "\(text.output)")
            #expect(text.output.contains("Subject: \(subject)\n"))
            #expect(text.output.contains("Issuer: \(subject)\n"))
            #expect(text.output.contains("Signature Algorithm: \(algorithm)"))
            #expect(text.output.contains("X509v3 Basic Constraints: critical\n                CA:TRUE"))
            #expect(text.output.contains("X509v3 Key Usage: critical\n                Digital Signature, Certificate Sign"))
            #expect(text.output.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
            #expect(text.output.contains("X509v3 Subject Key Identifier"))
            // 87600 hours: ten years of 365 days, as Talos counts them.
            let years = try validityYears(text.output)
            #expect(years.after - years.before == 10 || years.after - years.before == 9)
            // A self-signed CA verifies against itself.
            let crt = directory + "/ca-\(UUID().uuidString).pem"
            try TalosTestFiles.write(pair.crt, to: crt)
            let verified = try OpenSSL.run(["verify", "-CAfile", crt, crt])
            #expect(verified.output.contains(": OK"), "\(verified.output)\n\(text.output)")
            await Task.yield()
        }
    }

    @Test func opensslReadsTheKeysAndEachIsItsCertificates() async throws {
        let directory = try TalosTestFiles.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bundle = try SecretsBundleGenerator.generate()
        for pair in [bundle.os, bundle.kubernetes, bundle.aggregator, bundle.etcd] {
            let key = directory + "/key-\(UUID().uuidString).pem"
            let crt = directory + "/crt-\(UUID().uuidString).pem"
            // OpenSSL knows PKCS#8 as `PRIVATE KEY`; Talos' label differs, the body is the same.
            try TalosTestFiles.write((pair.key ?? "").replacingOccurrences(of: "ED25519 PRIVATE KEY", with: "PRIVATE KEY"), to: key)
            try TalosTestFiles.write(pair.crt, to: crt)
            let fromKey = try OpenSSL.run(["pkey", "-in", key, "-pubout"])
            let fromCertificate = try OpenSSL.run(["x509", "-in", crt, "-noout", "-pubkey"])
            #expect(fromKey.status == 0, "\(fromKey.output)")
            #expect(fromKey.output == fromCertificate.output)
            await Task.yield()
        }
        let serviceAccount = directory + "/sa.pem"
        try TalosTestFiles.write(bundle.serviceAccountKey, to: serviceAccount)
        let check = try OpenSSL.run(["ec", "-in", serviceAccount, "-noout", "-check"])
        #expect(check.status == 0)
        #expect(check.output.contains("EC Key valid"))
    }

    @Test func aKeyThatIsNotItsCertificatesIsRefused() throws {
        let bundle = try SecretsBundleGenerator.generate()
        var swapped = bundle
        swapped.os.key = try SecretsBundleGenerator.generate().os.key
        let text = SecretsBundleWriter.text(swapped)
        let error = #expect(throws: TalosFileError.self) { try SecretsBundleLoader.load(text: text, file: "secrets.yaml") }
        #expect(error?.message == "certs.os: key does not belong to the certificate crt (their public keys differ)")
        #expect(error?.location.line == 22)
        try expectNoSecret(in: error?.description ?? "", of: swapped)
    }

    @Test func aMalformedFileIsToldWithFileLineAndColumn() throws {
        let text = SecretsBundleWriter.text(try SecretsBundleGenerator.generate())
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The secret on the broken line must not be quoted back in the error.
        lines[5] = lines[5].replacingOccurrences(of: "secretboxencryptionsecret: ", with: "secretboxencryptionsecret: [")
        let error = #expect(throws: TalosFileError.self) {
            try SecretsBundleLoader.load(text: lines.joined(separator: "\n"), file: "backup/secrets.yaml")
        }
        #expect(error?.description.hasPrefix("backup/secrets.yaml:") == true)
        #expect(error?.location.line ?? 0 >= 5)
        #expect(error?.location.column ?? 0 > 1)
        try expectNoSecret(in: error?.description ?? "", of: try SecretsBundleLoader.load(text: text, file: "s.yaml"))
    }

    @Test func missingAndWrongValuesAreLocatedAndNeverShown() throws {
        let bundle = try SecretsBundleGenerator.generate()
        let text = SecretsBundleWriter.text(bundle)
        let withoutToken = text.replacingOccurrences(of: "trustdinfo:\n    token: \(bundle.trustdToken)\n", with: "trustdinfo: {}\n")
        let missing = #expect(throws: TalosFileError.self) { try SecretsBundleLoader.load(text: withoutToken, file: "s.yaml") }
        #expect(missing?.description == "s.yaml:7:13: trustdinfo.token is missing")

        let badToken = text.replacingOccurrences(of: bundle.trustdToken, with: bundle.trustdToken.uppercased())
        let wrong = #expect(throws: TalosFileError.self) { try SecretsBundleLoader.load(text: badToken, file: "s.yaml") }
        #expect(wrong?.description == "s.yaml:8:12: trustdinfo.token is not a token of the form [a-z0-9]{6}.[a-z0-9]{16}")

        let notBase64 = text.replacingOccurrences(of: "        crt: ", with: "        crt: ~")
        let pem = #expect(throws: TalosFileError.self) { try SecretsBundleLoader.load(text: notBase64, file: "s.yaml") }
        #expect(pem?.description == "s.yaml:11:14: certs.etcd.crt must be base64-encoded PEM")
        for error in [missing, wrong, pem] { try expectNoSecret(in: error?.description ?? "", of: bundle) }
    }

    @Test func aBundleFromTalosctlOfAnOlderContractLoads() throws {
        // Bundles of Talos <= 1.2 hold an AES-CBC key instead of the secretbox one.
        var bundle = try SecretsBundleGenerator.generate()
        bundle.aescbcEncryptionSecret = bundle.secretboxEncryptionSecret
        bundle.secretboxEncryptionSecret = nil
        #expect(try SecretsBundleLoader.load(text: SecretsBundleWriter.text(bundle), file: "old.yaml") == bundle)
    }

    private func validityYears(_ text: String) throws -> (before: Int, after: Int) {
        func year(_ label: String) throws -> Int {
            let line = try #require(text.split(separator: "\n").first { $0.contains(label) })
            return try #require(Int(line.split(separator: " ").dropLast().last ?? ""))
        }
        return (try year("Not Before"), try year("Not After"))
    }
}

/// No value of the bundle's secrets may appear in what is shown.
func expectNoSecret(in text: String, of bundle: TalosSecretsBundle, sourceLocation: SourceLocation = #_sourceLocation) throws {
    for (name, value) in bundle.secretValues where value.count >= 8 {
        #expect(!text.contains(value), "\(name) is shown", sourceLocation: sourceLocation)
    }
}
