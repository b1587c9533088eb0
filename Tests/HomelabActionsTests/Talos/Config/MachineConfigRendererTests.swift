import Foundation
import HomelabActions
import HomelabCore
import Testing

/// The repository's talos/ and inventory.yaml rendered with the committed fixture bundle. Set
/// UPDATE_GOLDEN=1 to rewrite the goldens (Tests/Fixtures/talos/golden), then review the diff
/// (a new talos.version changes the installer image and the hostname's form). UPDATE_GOLDEN=bundle
/// also generates a new fixture bundle: run it with --filter everyNodeOfTheInventoryRendersAsItsGolden
/// only, since every test makes its own suite instance.
@Suite("Talos machine configs")
struct MachineConfigRendererTests {
    let cluster: TalosClusterSpec
    let bundle: TalosSecretsBundle
    var renderer: MachineConfigRenderer { MachineConfigRenderer(talosDirectory: TalosTestFiles.repositoryPath("talos"), cluster: cluster, bundle: bundle) }

    init() throws {
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "bundle" {
            try SecretsBundleWriter.write(try SecretsBundleGenerator.generate(), to: TalosTestFiles.fixtureBundlePath)
        }
        cluster = try TalosClusterSpec.load(inventoryPath: TalosTestFiles.repositoryPath("inventory.yaml"))
        bundle = try SecretsBundleLoader.load(path: TalosTestFiles.fixtureBundlePath)
    }

    @Test func everyNodeOfTheInventoryRendersAsItsGolden() async throws {
        #expect(cluster.nodes.map(\.name) == ["cp-1", "worker-1", "worker-2"])
        for node in cluster.nodes {
            let rendered = try renderer.render(node: node.name)
            let golden = TalosTestFiles.repositoryPath("Tests/Fixtures/talos/golden/\(node.name).yaml")
            if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil { try TalosTestFiles.write(rendered.text, to: golden) }
            #expect(rendered.text == (try String(contentsOfFile: golden, encoding: .utf8)), "\(node.name) differs from \(golden)")
            // Stable: the same inputs give the same bytes.
            #expect(try renderer.render(node: node.name).text == rendered.text)
            await Task.yield()
        }
    }

    @Test func aControlPlaneGetsEverySecretAndItsValues() throws {
        let config = try renderer.render(node: "cp-1")
        let v1alpha1 = try #require(config.documents.first)
        func at(_ path: String...) -> Value? { path.reduce(Optional(v1alpha1)) { $0?[$1] } }
        #expect(at("machine", "type") == .string("controlplane"))
        #expect(at("machine", "ca", "key") == .string(Data((bundle.os.key ?? "").utf8).base64EncodedString()))
        #expect(at("cluster", "etcd", "ca", "key") != nil)
        #expect(at("cluster", "serviceAccount", "key") != nil)
        #expect(at("cluster", "secretboxEncryptionSecret") == .string(bundle.secretboxEncryptionSecret ?? ""))
        #expect(at("cluster", "network", "cni", "name") == .string("none"))
        #expect(at("cluster", "proxy", "disabled") == .bool(true))
        #expect(at("machine", "install", "image") == .string("factory.talos.dev/installer/\(cluster.schematic):\(cluster.version)"))
        #expect(at("machine", "install", "disk") == .string("/dev/sda"))
        #expect(at("machine", "certSANs") == .list([.string("192.168.10.21"), .string("192.168.10.20"), .string("talos.lab.home.arpa")]))
        let minor = Int(cluster.version.split(separator: ".")[1]) ?? 0
        if minor >= 12 {
            #expect(config.documents.contains { $0["kind"] == .string("HostnameConfig") && $0["hostname"] == .string("cp-1") })
        } else {
            #expect(at("machine", "network", "hostname") == .string("cp-1"))
        }
    }

    @Test func workersCarryNoCAKeysAndNoControlPlaneSecrets() throws {
        for name in ["worker-1", "worker-2"] {
            let config = try renderer.render(node: name)
            let v1alpha1 = try #require(config.documents.first)
            #expect(v1alpha1["machine"]?["ca"] == .map([("crt", .string(Data(bundle.os.crt.utf8).base64EncodedString()))]))
            #expect(v1alpha1["cluster"]?["ca"] == .map([("crt", .string(Data(bundle.kubernetes.crt.utf8).base64EncodedString()))]))
            for key in ["aggregatorCA", "serviceAccount", "etcd", "secretboxEncryptionSecret", "aescbcEncryptionSecret"] {
                #expect(v1alpha1["cluster"]?[key] == nil, "\(name) has cluster.\(key)")
            }
            for pem in [bundle.os.key, bundle.kubernetes.key, bundle.aggregator.key, bundle.etcd.key, bundle.serviceAccountKey] {
                #expect(!config.text.contains(Data((pem ?? "").utf8).base64EncodedString()))
            }
        }
    }

    @Test func aPatchThatGivesAWorkerACAKeyIsRefused() throws {
        let directory = try copyOfTalosDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try TalosTestFiles.write("cluster:\n    ca:\n        key: c2VjcmV0\n", to: directory + "/patches/worker.yaml")
        let renderer = MachineConfigRenderer(talosDirectory: directory, cluster: cluster, bundle: bundle)
        let error = #expect(throws: TalosFileError.self) { try renderer.render(node: "worker-1") }
        #expect(
            error?.description == "\(directory)/patches/worker.yaml:3:14: cluster.ca.key would go to worker 'worker-1': only control-plane nodes may carry it")
    }

    @Test func aTemplateAtOddsWithTheSecretsFailsWithoutShowingThem() throws {
        let directory = try copyOfTalosDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try TalosTestFiles.write("machine:\n    token:\n        - a list\n", to: directory + "/patches/common.yaml")
        let renderer = MachineConfigRenderer(talosDirectory: directory, cluster: cluster, bundle: bundle)
        let error = #expect(throws: TalosFileError.self) { try renderer.render(node: "cp-1") }
        #expect(
            error?.description
                == "<secrets bundle>:1:1: machine.token is a string here, but a list in the config this patches (at \(directory)/patches/common.yaml:3:9)")
        try expectNoSecret(in: error?.description ?? "", of: bundle)
    }

    @Test func theMaskedConfigShowsNoSecret() throws {
        for node in cluster.nodes {
            let config = try renderer.render(node: node.name)
            try expectNoSecret(in: config.masked, of: bundle)
            #expect(config.masked.contains("token: <secret:trustdinfo.token>"))
            #expect(config.masked.contains("crt: LS0t"))
        }
        #expect(try renderer.render(node: "cp-1").masked.contains("key: <secret:certs.os.key>"))
    }

    @Test func anUnknownNodeIsToldWithTheNodesThereAre() throws {
        let error = #expect(throws: TalosFileError.self) { try renderer.render(node: "cp-9") }
        #expect(error?.message == "no Talos node 'cp-9' in the inventory; its nodes are cp-1, worker-1, worker-2")
        #expect(error?.location.file.hasSuffix("inventory.yaml") == true)
    }

    @Test func inventoryMistakesAreLocatedInTheInventory() throws {
        let text = try String(contentsOfFile: TalosTestFiles.repositoryPath("inventory.yaml"), encoding: .utf8)
        let broken = text.replacingOccurrences(of: "endpoint: https://192.168.10.20:6443", with: "endpoint: 192.168.10.20")
        let (root, _) = YAMLLoader().load(text: broken, file: "inventory.yaml")
        let error = #expect(throws: TalosFileError.self) { try TalosClusterSpec(inventory: Inventory(file: "inventory.yaml", root: try #require(root))) }
        #expect(error?.message == "talos.endpoint must be an https URL with a port, such as https://192.168.10.20:6443")
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("endpoint: https://") }.map { $0 + 1 }
        #expect(error?.location.line == line)
    }

    @Test func fromTalos112TheHostnameIsAHostnameConfigDocument() throws {
        let rendered = try renderer(version: "v1.13.0").render(node: "worker-2")
        #expect(rendered.text.hasSuffix("---\napiVersion: v1alpha1\nkind: HostnameConfig\nauto: \"off\"\nhostname: worker-2\n"))
        #expect(rendered.documents.first?["machine"]?["network"]?["hostname"] == nil)
        #expect(rendered.documents.first?["machine"]?["install"]?["image"] == .string("factory.talos.dev/installer/\(cluster.schematic):v1.13.0"))

        let legacy = try renderer(version: "v1.11.5").render(node: "worker-2")
        #expect(legacy.documents.count == 1)
        #expect(legacy.documents.first?["machine"]?["network"]?["hostname"] == .string("worker-2"))
    }

    /// The repository's inventory with another talos.version.
    private func renderer(version: String) throws -> MachineConfigRenderer {
        let text = try String(contentsOfFile: TalosTestFiles.repositoryPath("inventory.yaml"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("  version: ") ? "  version: \(version)" : String(line)
        }
        let (root, _) = YAMLLoader().load(text: lines.joined(separator: "\n"), file: "inventory.yaml")
        let cluster = try TalosClusterSpec(inventory: Inventory(file: "inventory.yaml", root: try #require(root)))
        #expect(cluster.version == version)
        return MachineConfigRenderer(talosDirectory: TalosTestFiles.repositoryPath("talos"), cluster: cluster, bundle: bundle)
    }

    private func copyOfTalosDirectory() throws -> String {
        let directory = try TalosTestFiles.directory() + "/talos"
        try FileManager.default.copyItem(atPath: TalosTestFiles.repositoryPath("talos"), toPath: directory)
        return directory
    }
}
