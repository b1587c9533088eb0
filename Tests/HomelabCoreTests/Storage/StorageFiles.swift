import Foundation
import HomelabCore

/// A storage/ folder and an inventory written for one test, in a fresh temporary directory.
struct StorageFiles {
    let root: String
    var storage: String { root + "/storage" }
    var inventory: String { root + "/inventory.yaml" }

    static let inventoryText = """
        proxmox:
          address: 192.0.2.10
        zfs:
          pools:
            - name: tank
              vdevs: [mirror, /dev/a, /dev/b]
            - name: backup
              vdevs: [/dev/c]
        """

    static let datasetsText = """
        datasets:
          - name: tank/apps
          - name: tank/apps/immich
            properties: {recordsize: 1M}
            tags: [critical]
          - name: tank/media
            tags: [standard]
        """

    static let policyText = """
        snapshots:
          prefix: homelab-
        tags:
          critical:
            local: {keep: 48, max-age: 2h}
            replica: {keep: 30, max-age: 1d}
            cloud: {keep: 14, max-age: 1d}
          standard:
            local: {keep: 14, max-age: 1d}
        tiers:
          replica:
            pool: backup
          cloud:
            endpoint: https://s3.example.net
            region: eu-1
            bucket: homelab-backups
            prefix: homelab/
            access-key: s3-access
            secret-key: s3-secret
            encryption-key: backup-key
        """

    init(datasets: String = datasetsText, policy: String = policyText, inventory: String = inventoryText) throws {
        root = NSTemporaryDirectory() + "homelab-storage-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/storage", withIntermediateDirectories: true)
        try datasets.write(toFile: root + "/storage/datasets.yaml", atomically: true, encoding: .utf8)
        try policy.write(toFile: root + "/storage/policy.yaml", atomically: true, encoding: .utf8)
        try inventory.write(toFile: root + "/inventory.yaml", atomically: true, encoding: .utf8)
    }

    func load(withInventory: Bool = true) -> (StorageConfig?, Diagnostics) {
        let inventoryModel = withInventory ? YAMLLoader().load(path: inventory).0.map { Inventory(file: inventory, root: $0) } : nil
        return StorageLoader().load(directory: storage, inventory: inventoryModel)
    }

    /// `file:line:column: error: message` lines, paths shown relative to the test's folder.
    func rendered(_ diagnostics: Diagnostics) -> [String] {
        diagnostics.map { $0.rendered.replacingOccurrences(of: root + "/", with: "") }
    }
}
