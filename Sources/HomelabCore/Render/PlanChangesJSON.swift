/// The fields of a `PlanChanges` in JSON, for `run --json` and `status --json` alike.
enum PlanChangesJSON {
    static func fields(_ changes: PlanChanges) -> [(String, Value)] {
        func list(_ ids: [String]) -> Value { .list(ids.map(Value.string)) }
        return [
            ("added", list(changes.added)), ("removed", list(changes.removed)), ("changed", list(changes.changed)),
            ("removed_failed", list(changes.removedFailed)),
        ]
    }
}
