import Foundation
import HomelabCore

/// A repository for one test in a fresh temporary directory: an inventory with a domain and,
/// optionally, services already there.
struct ScaffoldRepositoryFixture {
    let root: String
    var repository: ScaffoldRepository { ScaffoldRepository(root: root) }

    static let domain = "lab.example.org"

    init(inventory: String? = "site: test\nnetwork:\n  lan: 192.0.2.0/24\n  domain: \(ScaffoldRepositoryFixture.domain)\n") throws {
        root = NSTemporaryDirectory() + "homelab-scaffold-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/kubernetes/base", withIntermediateDirectories: true)
        if let inventory { try write("inventory.yaml", inventory) }
    }

    func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Every file under the root, relative, sorted: what a refusal must leave unchanged.
    func listing() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var paths: [String] = []
        while let path = enumerator?.nextObject() as? String { paths.append(path) }
        return paths.sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}
