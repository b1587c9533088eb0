import Foundation
import LabSupport

/// A lab for one command-line test (`lab.py serve` on free ports, in its own directory), and
/// the talos-cluster runbook's params pointing into it.
final class TalosLab: @unchecked Sendable {
    let out: String
    let fixture: LabFixture
    let control: LabControl
    let inventory: String
    let token: String

    static func start() async throws -> TalosLab {
        let out = NSTemporaryDirectory() + "homelab-talos-lab-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: out + "/talos", withIntermediateDirectories: true)
        let fixture = try await LabFixture.start("../lab.py", ["serve", "--out", out, "--proxmox-port", "0", "--control-port", "0", "--watch-stdin"])
        return try TalosLab(out: out, fixture: fixture)
    }

    private init(out: String, fixture: LabFixture) throws {
        self.out = out
        self.fixture = fixture
        control = try LabControl(url: fixture.string("control"))
        inventory = fixture.string("inventory")
        token = (fixture.info["proxmox"] as? [String: Any])?["token"] as? String ?? ""
    }

    deinit {
        // The lab's folder goes once the lab has exited (it holds etcd's data while it runs).
        let out = out
        fixture.stopInBackground { try? FileManager.default.removeItem(atPath: out) }
    }

    func path(_ name: String) -> String { out + "/talos/" + name }

    var environment: [String: String] { ["PROXMOX_TOKEN": token] }

    /// `homelab run runbooks/examples/talos-cluster.yaml` against this lab, a new cluster.
    func clusterRun(state: String, extra: [String] = []) -> [String] {
        [
            "run", "runbooks/examples/talos-cluster.yaml", "--inventory", inventory, "--state-dir", state, "--yes",
            "--param", "new-cluster=true", "--param", "secrets-bundle=\(path("secrets.yaml"))",
            "--param", "talosconfig=\(path("talosconfig"))", "--param", "kubeconfig=\(path("kubeconfig"))",
        ] + extra
    }

    /// Every value of the secrets bundle that must never be shown: secrets, tokens, keys (as
    /// the file holds them, base64 PEM, and the PEM's own lines).
    func bundleSecrets() -> [String] {
        let text = (try? String(contentsOfFile: path("secrets.yaml"), encoding: .utf8)) ?? ""
        var values: [String] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, ["secret", "bootstraptoken", "secretboxencryptionsecret", "token", "key"].contains(parts[0]) else { continue }
            values.append(parts[1])
            if parts[0] == "key", let pem = Data(base64Encoded: parts[1]).map({ String(decoding: $0, as: UTF8.self) }) {
                values += pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
            }
        }
        return values.filter { $0.count >= 16 }
    }
}
