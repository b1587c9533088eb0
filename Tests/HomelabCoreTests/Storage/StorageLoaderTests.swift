import Foundation
import HomelabCore
import Testing

/// storage/ is read like a runbook: every mistake at once, each at its file, line and column,
/// with a suggestion where one is close; the inventory is the source of truth for pools.
@Suite struct StorageLoaderTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func theRepositorysStorageIsValidAgainstItsInventory() throws {
        let inventoryPath = Self.repository + "/inventory.yaml"
        let root = try #require(YAMLLoader().load(path: inventoryPath).0)
        let (config, diagnostics) = StorageLoader().load(directory: Self.repository + "/storage", inventory: Inventory(file: inventoryPath, root: root))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
        let storage = try #require(config)
        #expect(storage.datasets.map(\.name) == ["tank/apps", "tank/apps/nextcloud", "tank/apps/immich", "tank/media", "tank/scratch"])
        #expect(storage.datasets(tagged: .critical).map(\.name) == ["tank/apps/nextcloud", "tank/apps/immich"])
        #expect(storage.policy.replicaPool == "backup")
        #expect(storage.policy.cloud?.bucket == "homelab-backups")
        #expect(storage.policy.cloud?.fullEvery == 30)
        let immich = try #require(storage.datasets.first { $0.name == "tank/apps/immich" })
        #expect(storage.tiers(of: immich).map(\.tier) == [.local, .replica, .cloud])
        #expect(storage.replicaName(of: "tank/apps/immich") == "backup/apps/immich")
        let parent = try #require(storage.datasets.first { $0.name == "tank/apps" })
        #expect(storage.tiers(of: parent).isEmpty, "an untagged parent is kept in no tier")
    }

    @Test func aValidFolderDecodesEveryField() throws {
        let files = try StorageFiles()
        let (config, diagnostics) = files.load()
        #expect(diagnostics.isEmpty)
        let storage = try #require(config)
        #expect(storage.datasets[1].properties == [StorageDataset.Property("recordsize", "1M")])
        #expect(storage.policy.retention[.critical]?[.local] == Retention(keep: 48, maxAge: .seconds(7200)))
        #expect(storage.policy.retention[.standard]?[.replica] == nil)
        #expect(
            storage.policy.cloud
                == CloudTier(
                    endpoint: "https://s3.example.net", region: "eu-1", bucket: "homelab-backups", prefix: "homelab/", accessKeySecret: "s3-access",
                    secretKeySecret: "s3-secret", encryptionKeySecret: "backup-key"))
    }

    @Test func everyMistakeIsReportedAtOnceAtItsLineAndColumn() throws {
        let files = try StorageFiles(
            datasets: """
                datasets:
                  - name: tank/apps
                    propertes: {atime: "off"}
                  - name: tnk/photos
                    tags: [critcal]
                  - name: tank/apps/immich
                    tags: [critical]
                """,
            policy: """
                snapshots:
                  prefix: homelab-
                tags:
                  critical:
                    local: {keep: 48, max-age: 2x}
                    replica: {keep: 0, max-age: 1d}
                tiers:
                  replica:
                    pool: backups
                  cloud:
                    endpoint: https://s3.example.net
                    region: eu-1
                    bucket: b
                """)
        let (config, diagnostics) = files.load()
        #expect(config == nil)
        #expect(
            files.rendered(diagnostics) == [
                "storage/datasets.yaml:3:5: error: unknown key 'propertes' in a dataset (did you mean 'properties'?)",
                "storage/datasets.yaml:4:11: error: dataset 'tnk/photos' is on pool 'tnk', which is not in the inventory (inventory.yaml: it has tank, backup) (did you mean 'tank'?)",
                "storage/datasets.yaml:5:12: error: unknown tag 'critcal' (did you mean 'critical'?); tags are: critical, standard, scratch",
                "storage/datasets.yaml:7:12: error: critical dataset 'tank/apps/immich' has no cloud tier: add 'tags.critical.cloud' to storage/policy.yaml (critical data leaves the house)",
                "storage/policy.yaml:5:32: error: 'max-age' of 'critical.local' must be a duration such as 30s, 10m or 1h30m, found '2x'",
                "storage/policy.yaml:6:21: error: 'keep' of 'critical.replica' must be a whole number of at least 1, found '0'",
                "storage/policy.yaml:9:11: error: replica pool 'backups' is not in the inventory (inventory.yaml: it has tank, backup) (did you mean 'backup'?)",
                "storage/policy.yaml:11:5: error: 'tiers.cloud' needs the names of its secrets: access-key, secret-key, encryption-key (the values come from the secrets store, never from storage/)",
            ])
    }

    @Test(arguments: [
        ("  - name: tank/apps\n    tags: [gold]\n", "datasets.yaml:3:12: error: unknown tag 'gold'; tags are: critical, standard, scratch"),
        ("  - name: tank/apps@snap\n", "datasets.yaml:2:11: error: dataset name 'tank/apps@snap' names a snapshot or bookmark; give the dataset (pool/path)"),
        ("  - name: tank\n", "datasets.yaml:2:11: error: dataset name 'tank' is a whole pool; a dataset is pool/path (such as tank/apps)"),
        ("  - name: tank/a\n  - name: tank/a\n", "datasets.yaml:3:11: error: dataset 'tank/a' is declared twice (first at line 2)"),
        (
            "  - name: tank/a\n    properties: {atime: true}\n",
            "datasets.yaml:3:25: error: property 'atime' must be a string, found a boolean (quote it if you mean the text 'true')"
        ),
        ("  - name: backup/a\n", "datasets.yaml:2:11: error: dataset 'backup/a' is on the replica pool 'backup'; replicas are made there, keep data elsewhere"),
        ("  - tags: [standard]\n", "datasets.yaml:2:5: error: a dataset needs a 'name' (pool/path, such as tank/apps/immich)"),
    ])
    func datasetMistakes(_ datasets: String, _ expected: String) throws {
        let files = try StorageFiles(datasets: "datasets:\n" + datasets)
        let (_, diagnostics) = files.load()
        #expect(files.rendered(diagnostics) == ["storage/" + expected])
    }

    @Test(arguments: [
        (
            "snapshots:\n  prefix: homelab-\ntags:\n  critical:\n    local: {keep: 1, max-age: 1h}\n    cloud: {keep: 1, max-age: 1d}\n",
            "policy.yaml:6:5: error: tag 'critical' copies to the cloud tier, but 'tiers.cloud' is not configured (endpoint, bucket, secrets...)"
        ),
        (
            "snapshots:\n  prefix: homelab-\ntags:\n  standrd:\n    local: {keep: 1, max-age: 1h}\n",
            "policy.yaml:4:3: error: unknown key 'standrd' in 'tags' (did you mean 'standard'?)"
        ),
        (
            "snapshots:\n  prefix: homelab-\ntags:\n  standard:\n    locl: {keep: 1, max-age: 1h}\n",
            "policy.yaml:5:5: error: unknown key 'locl' in tag 'standard' (did you mean 'local'?)"
        ),
        (
            "snapshots:\n  prefix: homelab-\ntags:\n  standard:\n    local: {keep: 1, max-age: 0s}\n",
            "policy.yaml:5:31: error: 'max-age' of 'standard.local' must be longer than zero"
        ),
        (
            "snapshots:\n  prefix: homelab-\ntags:\n  standard:\n    replica: {keep: 1, max-age: 1d}\ntiers:\n  replica: {pool: backup}\n",
            "policy.yaml:5:5: error: tag 'standard' has no 'local' rule: its replica and cloud copies are made from local snapshots"
        ),
        (
            "snapshots:\n  prefix: 'home lab'\n",
            "policy.yaml:2:12: error: snapshot prefix 'home lab' cannot start a snapshot name; use letters, digits, '_', '-', '.', ':'"
        ),
        ("tags: {}\n", "policy.yaml:1:1: error: policy.yaml needs 'snapshots: {prefix: ...}' (snapshot names are PREFIX + YYYY-MM-DD-HHMM)"),
        (
            "snapshots: {prefix: x}\ntiers:\n  local: {}\n",
            "policy.yaml:3:3: error: the local tier needs no settings (it is the dataset's own pool): remove 'local' from 'tiers'"
        ),
        (
            "snapshots: {prefix: x}\ntiers:\n  cloud: {endpoint: s3.example.net, region: r, bucket: b, access-key: a, secret-key: AKIA/abc+def, encryption-key: k}\n",
            "policy.yaml:3:21: error: 'tiers.cloud.endpoint' must be an http:// or https:// URL, found 's3.example.net'"
        ),
        (
            "snapshots: {prefix: x}\ntiers:\n  cloud: {endpoint: https://s3.example.net, region: r, bucket: b, access-key: a, secret-key: s, encryption-key: k, full-every: 0}\n",
            "policy.yaml:3:128: error: 'tiers.cloud.full-every' must be a whole number of at least 1, found '0'"
        ),
    ])
    func policyMistakes(_ policy: String, _ expected: String) throws {
        let files = try StorageFiles(datasets: "datasets:\n  - name: tank/apps\n", policy: policy)
        let (_, diagnostics) = files.load()
        #expect(files.rendered(diagnostics).first == "storage/" + expected, "\(files.rendered(diagnostics))")
    }

    @Test func aSecretValueWrittenWhereItsNameBelongsIsRefusedWithoutEchoingIt() throws {
        let policy =
            "snapshots: {prefix: x}\ntiers:\n  cloud: {endpoint: https://s3, region: r, bucket: b, access-key: a, secret-key: wJalrXUtnFEMI/K7MDENG, encryption-key: k}\n"
        let files = try StorageFiles(datasets: "datasets:\n  - name: tank/apps\n", policy: policy)
        let lines = files.rendered(files.load().1)
        #expect(
            lines == [
                "storage/policy.yaml:3:82: error: 'tiers.cloud.secret-key' names a secret (letters, digits, '-', '_'), found 'wJ…'; never write the value itself here"
            ])
        #expect(!lines.joined().contains("wJalrXUtnFEMI"))
    }

    @Test func withoutAnInventoryThePoolsAreNotCheckedAndAMissingFolderIsNamed() throws {
        let files = try StorageFiles(datasets: "datasets:\n  - name: elsewhere/a\n")
        #expect(files.load(withInventory: false).1.isEmpty)
        let (config, diagnostics) = StorageLoader().load(directory: files.root + "/nothing", inventory: nil)
        #expect(config == nil)
        #expect(files.rendered(diagnostics) == ["nothing:1:1: error: storage folder not found (it holds datasets.yaml and policy.yaml); pass --storage DIR"])
    }

    @Test func aDatasetWithSeveralTagsGetsTheStrictestRulePerTier() throws {
        let files = try StorageFiles(datasets: "datasets:\n  - name: tank/a\n    tags: [standard, critical]\n")
        let storage = try #require(files.load().0)
        let tiers = storage.tiers(of: storage.datasets[0])
        #expect(tiers.map(\.tier) == [.local, .replica, .cloud])
        #expect(tiers[0].retention == Retention(keep: 48, maxAge: .seconds(7200)))
    }
}
