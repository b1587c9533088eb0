import HomelabActions
import Testing

/// Chains of manifests: how long a chain is, what retention keeps (a kept snapshot's ancestors
/// back to its full too) and the order the rest is deleted in.
struct BackupChainsTests {
    /// Manifests of snapshots s0...: `fulls` are full streams, every other one is incremental
    /// from the one before it; created one day apart.
    static func manifests(_ count: Int, fulls: Set<Int>, dataset: String = "tank/x") -> [BackupManifest] {
        (0..<count).map { index in
            BackupManifest(
                dataset: dataset, snapshot: "s\(index)", guid: "g\(index)", baseSnapshot: fulls.contains(index) ? nil : "s\(index - 1)",
                baseGuid: fulls.contains(index) ? nil : "g\(index - 1)", created: Int64(index) * 86_400, size: Int64(100 + index),
                sha256: "", object: "\(dataset)/s\(index).zstream")
        }
    }

    @Test func aChainIsCountedBackToItsFull() {
        let all = Self.manifests(5, fulls: [0, 3])
        let chains = BackupChains(all)
        #expect(all.map { chains.incrementals(upTo: $0) } == [0, 1, 2, 0, 1])
        #expect(chains.lineage(of: all[2]).map(\.snapshot) == ["s2", "s1", "s0"])
        // s1 lost: s2 no longer reaches a full.
        let broken = BackupChains(all.filter { $0.snapshot != "s1" })
        #expect(broken.incrementals(upTo: all[2]) == nil)
        #expect(broken.incrementals(upTo: all[4]) == 1)
    }

    @Test func retentionKeepsTheNewestTheYoungAndEveryAncestorTheyNeed() {
        // Chains [s0 s1 s2] [s3 s4 s5] [s6].
        let all = Self.manifests(7, fulls: [0, 3, 6])
        let chains = BackupChains(all)
        let now: Int64 = 7 * 86_400
        // keep 2: s5 and s6; s5 needs s4 and s3. The first chain goes, newest first.
        let two = chains.retention(keep: 2, maxAge: nil, now: now)
        #expect(two.kept.map(\.snapshot) == ["s3", "s4", "s5", "s6"])
        #expect(two.dropped.map(\.snapshot) == ["s2", "s1", "s0"])
        // keep 1: only the newest, a full stream on its own.
        #expect(chains.retention(keep: 1, maxAge: nil, now: now).kept.map(\.snapshot) == ["s6"])
        // Chain by chain, the oldest chain first, each newest first.
        #expect(chains.retention(keep: 1, maxAge: nil, now: now).dropped.map(\.snapshot) == ["s2", "s1", "s0", "s5", "s4", "s3"])
        // max-age 5d12h keeps s2 (5 days old), and s2 needs its whole chain.
        #expect(chains.retention(keep: 1, maxAge: .seconds(5 * 86_400 + 43_200), now: now).dropped.isEmpty)
        // max-age 4d12h keeps s3... only.
        #expect(chains.retention(keep: 1, maxAge: .seconds(4 * 86_400 + 43_200), now: now).dropped.map(\.snapshot) == ["s2", "s1", "s0"])
        // More to keep than there is: nothing goes.
        #expect(chains.retention(keep: 50, maxAge: nil, now: now).dropped.isEmpty)
    }

    @Test func aForkKeepsItsSharedAncestorsAndIsDeletedBranchesFirst() {
        // s0 full; s1 and s2 both built on s0 (s1's upload was pruned locally before s2's); s3 on s2.
        var all = Self.manifests(4, fulls: [0])
        all[2].baseGuid = "g0"
        all[2].baseSnapshot = "s0"
        let chains = BackupChains(all)
        #expect(chains.retention(keep: 1, maxAge: nil, now: 0).kept.map(\.snapshot) == ["s0", "s2", "s3"])
        #expect(chains.retention(keep: 1, maxAge: nil, now: 0).dropped.map(\.snapshot) == ["s1"])
        // A new full s4: the whole tree goes, every snapshot before its base.
        all += Self.manifests(5, fulls: [4]).suffix(1)
        let order = BackupChains(all).retention(keep: 1, maxAge: nil, now: 0).dropped.map(\.snapshot)
        #expect(Set(order) == ["s0", "s1", "s2", "s3"])
        #expect(order.last == "s0")
        #expect(order.firstIndex(of: "s3")! < order.firstIndex(of: "s2")!)
    }
}
