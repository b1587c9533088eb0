import Foundation
import Testing

@Suite("homelab talos config")
struct TalosConfigCommandTests {
    let bundle = "Tests/Fixtures/talos/secrets.yaml"

    /// The bundle's secret values as the file holds them (the config carries the same text).
    private func secretValues() throws -> [String] {
        let text = try String(contentsOfFile: CommandRunner.repository.appendingPathComponent(bundle).path, encoding: .utf8)
        let secretKeys = ["id", "secret", "bootstraptoken", "secretboxencryptionsecret", "token", "key"]
        return text.split(separator: "\n").compactMap { line in
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
            guard parts.count == 2, secretKeys.contains(String(parts[0])) else { return nil }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
    }

    @Test func printsTheConfigWithEverySecretMasked() throws {
        let result = try CommandRunner.run(["talos", "config", "cp-1", "--secrets", bundle])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("version: v1alpha1\n"))
        #expect(result.stdout.contains("type: controlplane"))
        #expect(result.stdout.contains("key: <secret:certs.os.key>"))
        let secrets = try secretValues()
        #expect(secrets.count == 10)
        for value in secrets { #expect(!result.stdout.contains(value) && !result.stderr.contains(value)) }
    }

    @Test func revealWritesTheSecretsToAPrivateFileOnly() throws {
        let refused = try CommandRunner.run(["talos", "config", "cp-1", "--secrets", bundle, "--reveal"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--reveal writes the secrets: give --output FILE"))
        #expect(refused.stdout.isEmpty)
        let toStdout = try CommandRunner.run(["talos", "config", "cp-1", "--secrets", bundle, "--reveal", "--output", "/dev/stdout"])
        #expect(toStdout.status == 1)
        #expect(toStdout.stderr.contains("cannot write /dev/stdout: it exists and is not a regular file"))
        #expect(toStdout.stdout.isEmpty)

        let file = NSTemporaryDirectory() + "homelab-talos-\(UUID().uuidString).yaml"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try CommandRunner.run(["talos", "config", "worker-1", "--secrets", bundle, "--reveal", "--output", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let written = try String(contentsOfFile: file, encoding: .utf8)
        #expect(written.contains("type: worker"))
        #expect(!written.contains("<secret:"))
        #expect(try secretValues().contains { written.contains($0) })
    }

    @Test func anUnknownNodeListsTheKnownOnes() throws {
        let result = try CommandRunner.run(["talos", "config", "cp-9", "--secrets", bundle])
        #expect(result.status == 2)
        #expect(result.stderr == "error: no Talos node 'cp-9' in inventory.yaml; its nodes are cp-1, worker-1, worker-2\n")
    }

    @Test func aMissingBundleIsNamed() throws {
        let result = try CommandRunner.run(["talos", "config", "cp-1", "--secrets", "/nonexistent/secrets.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: /nonexistent/secrets.yaml:1:1: not a secrets bundle: cannot read file: no such file\n")
    }

    @Test func helpShowsExamples() throws {
        let result = try CommandRunner.run(["talos", "config", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("homelab talos config cp-1 --reveal --output /tmp/cp-1.yaml"))
    }
}
