/// How the plan of a resumed run differs from the one its journal recorded, by step instance
/// fingerprint: what was added, what was removed, what changed. Added and changed instances run
/// again with everything downstream; removed ones are no longer part of the run, even if they
/// had failed, so the operator must be told.
public struct PlanChanges: Sendable, Equatable {
    public var added: [String]
    public var removed: [String]
    public var changed: [String]
    /// Removed instances whose last recorded end was a failure: a run can now succeed without them.
    public var removedFailed: [String]

    public init(added: [String] = [], removed: [String] = [], changed: [String] = [], removedFailed: [String] = []) {
        self.added = added
        self.removed = removed
        self.changed = changed
        self.removedFailed = removedFailed
    }

    /// Compares fingerprints before (as journaled) and now (as planned); `failed` are the
    /// instances whose last end was a failure. Instances come out in the order given.
    public init(before: [(String, String)], now: [(String, String)], failed: Set<String> = []) {
        let old = Dictionary(before, uniquingKeysWith: { $1 })
        let new = Dictionary(now, uniquingKeysWith: { $1 })
        added = now.map(\.0).filter { old[$0] == nil }
        removed = before.map(\.0).filter { new[$0] == nil }
        changed = now.filter { id, print in old[id].map { $0 != print } ?? false }.map(\.0)
        removedFailed = removed.filter(failed.contains)
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// `removed b (it had failed); added d; changed c`: the parts that are not empty.
    public var text: String {
        var parts: [String] = []
        if !removed.isEmpty {
            parts.append("removed " + removed.map { removedFailed.contains($0) ? "\($0) (it had failed)" : $0 }.joined(separator: ", "))
        }
        if !added.isEmpty { parts.append("added " + added.joined(separator: ", ")) }
        if !changed.isEmpty { parts.append("changed " + changed.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }
}
