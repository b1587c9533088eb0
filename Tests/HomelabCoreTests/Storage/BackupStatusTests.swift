import Foundation
import HomelabCore
import Testing

/// The status of each dataset's tiers against the policy: fresh, behind, missing, unknown, and
/// how the command shows it.
@Suite struct BackupStatusTests {
    let now: Int64 = 1_796_000_000

    func config() throws -> StorageConfig {
        try #require(try StorageFiles().load().0)
    }

    func snapshot(_ name: String, hoursAgo: Int64) -> SnapshotRecord {
        SnapshotRecord(name: name, guid: "g-\(name)", created: now - hoursAgo * 3600)
    }

    @Test func freshBehindMissingAndUnknownTiers() throws {
        let storage = try config()
        let status = BackupStatus.compute(storage, now: now) { dataset, tier in
            switch (dataset, tier) {
            case ("tank/apps/immich", .local):
                // The newest counts, whatever the order; a hand-made snapshot does not.
                return .snapshots([snapshot("homelab-0300", hoursAgo: 1), snapshot("homelab-0100", hoursAgo: 3), snapshot("manual", hoursAgo: 0)])
            case ("tank/apps/immich", .replica): return .snapshots([snapshot("homelab-0100", hoursAgo: 30)])
            case ("tank/apps/immich", .cloud): return .unreadable("cloud: bucket refused")
            case ("tank/media", .local): return .snapshots([snapshot("manual", hoursAgo: 1)])
            default: return .snapshots([])
            }
        }
        #expect(
            status.rows.map { "\($0.dataset) \($0.tier.rawValue) \($0.state.rawValue)" } == [
                "tank/apps/immich local fresh", "tank/apps/immich replica behind", "tank/apps/immich cloud unknown", "tank/media local missing",
            ])
        #expect(status.rows[0].newest?.name == "homelab-0300")
        #expect(status.rows[0].count == 2)
        #expect(status.rows[0].ageSeconds == 3600)
        #expect(status.rows[1].location == "backup/apps/immich")
        #expect(status.rows[2].location == "s3://homelab-backups/homelab/tank/apps/immich/")
        #expect(status.rows[2].problem == "cloud: bucket refused")
        #expect(status.isBehind)
        #expect(status.hasUnknown)
    }

    @Test func allFreshIsNotBehindAndOneTierCanBeAskedAlone() throws {
        let storage = try config()
        let status = BackupStatus.compute(storage, tiers: [.local], now: now) { _, _ in .snapshots([snapshot("homelab-x", hoursAgo: 1)]) }
        #expect(status.rows.map(\.tier) == [.local, .local])
        #expect(!status.isBehind && !status.hasUnknown)
        // Exactly max-age old is still within the policy; a second more is behind.
        let edge = BackupStatus.compute(storage, tiers: [.local], now: now) { dataset, _ in
            .snapshots([SnapshotRecord(name: "homelab-x", guid: "1", created: now - (dataset == "tank/media" ? 86_401 : 7200))])
        }
        #expect(edge.rows.map(\.state) == [.fresh, .behind])
    }

    @Test func theTableAndTheJSON() throws {
        let storage = try config()
        let status = BackupStatus.compute(storage, tiers: [.local, .replica], now: now) { dataset, tier in
            if tier == .replica { return .unreadable("pool 'backup' on root@h:22: cannot open 'backup': dataset does not exist") }
            return dataset == "tank/media" ? .snapshots([]) : .snapshots([snapshot("homelab-2026-12-01-0300", hoursAgo: 26)])
        }
        #expect(
            BackupStatusRenderer.text(status) == """
                DATASET           TIER     NEWEST                   AGE    MAX-AGE  KEPT  STATE
                tank/apps/immich  local    homelab-2026-12-01-0300  1d02h  2h       1/48  behind
                tank/apps/immich  replica  -                        -      1d       0/30  unknown
                tank/media        local    -                        -      1d       0/14  missing
                unknown: pool 'backup' on root@h:22: cannot open 'backup': dataset does not exist
                2 of 3 behind their policy, 1 of 3 could not be read

                """)
        let json = JSONWriter.compact(BackupStatusRenderer.json(status))
        #expect(json.contains(#""behind":true,"unknown":true"#))
        #expect(
            json.contains(
                #"{"dataset":"tank/apps/immich","tier":"local","location":"tank/apps/immich","state":"behind","max_age":"2h","max_age_seconds":7200,"keep":48,"count":1,"snapshot":"homelab-2026-12-01-0300","guid":"g-homelab-2026-12-01-0300","created":"2026-11-28T22:53:20Z","age_seconds":93600}"#
            ), "\(json)")
    }

    static let ages: [(Int64, String)] = [(42, "42s"), (600, "10m"), (11_100, "3h05m"), (187_200, "2d04h")]

    @Test(arguments: ages)
    func agesReadAtAGlance(_ seconds: Int64, _ text: String) {
        #expect(BackupStatusRenderer.age(seconds) == text)
    }
}
