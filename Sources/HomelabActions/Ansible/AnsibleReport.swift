import HomelabCore

/// What ansible-playbook's JSON callback (ANSIBLE_STDOUT_CALLBACK=json) says about a run: per
/// host the counts of its recap, every task that changed (or, in check mode, would change) a
/// host, and the first failure with its task, host and message.
struct AnsibleReport: Sendable, Equatable {
    struct HostCounts: Sendable, Equatable {
        var ok = 0
        var changed = 0
        var failed = 0
        var unreachable = 0
        var skipped = 0
    }

    struct TaskResult: Sendable, Equatable {
        var task: String
        var host: String
        var message: String
    }

    /// In host order as the recap gives them.
    var hosts: [(String, HostCounts)] = []
    var changes: [TaskResult] = []
    var failures: [TaskResult] = []
    var unreachable: [TaskResult] = []

    static func == (lhs: AnsibleReport, rhs: AnsibleReport) -> Bool {
        lhs.hosts.map(\.0) == rhs.hosts.map(\.0) && lhs.hosts.map(\.1) == rhs.hosts.map(\.1) && lhs.changes == rhs.changes
            && lhs.failures == rhs.failures && lhs.unreachable == rhs.unreachable
    }

    var totalChanged: Int { hosts.reduce(0) { $0 + $1.1.changed } }

    /// Whether the recap counts a failed or unreachable host. A failure under ignore_errors or
    /// in a rescued block is in the task list too, but not in the recap.
    var hasFailed: Bool { hosts.contains { $0.1.failed > 0 || $0.1.unreachable > 0 } }

    /// The failure that stopped a host: a host stops at its first failure that is neither
    /// ignored nor rescued, so it is the last failure of a host the recap counts as failed.
    var fatalFailure: TaskResult? {
        let failed = Set(hosts.filter { $0.1.failed > 0 }.map(\.0))
        return failures.last { failed.contains($0.host) } ?? failures.last
    }

    /// The command module's words for a task check mode could not run: it would have run.
    static let wouldHaveRun = "Command would have run if not in check mode"

    /// Reads the callback's document; nil when stdout holds none (ansible-playbook stopped before
    /// its first play: a syntax error, a missing file; its stderr says why).
    static func parse(_ stdout: String, check: Bool) -> AnsibleReport? {
        // Anything printed before the document (a plugin's warning) is skipped.
        guard let start = stdout.firstIndex(of: "{"), let document = try? JSONParser.parse(stdout[start...]) else { return nil }
        guard case .map(let stats)? = document["stats"] else { return nil }
        var report = AnsibleReport()
        for (host, counts) in stats {
            var entry = HostCounts()
            entry.ok = counts["ok"].flatMap(int) ?? 0
            entry.changed = counts["changed"].flatMap(int) ?? 0
            entry.failed = counts["failures"].flatMap(int) ?? 0
            entry.unreachable = counts["unreachable"].flatMap(int) ?? 0
            entry.skipped = counts["skipped"].flatMap(int) ?? 0
            report.hosts.append((host, entry))
        }
        guard case .list(let plays)? = document["plays"] else { return report }
        for play in plays {
            guard case .list(let tasks)? = play["tasks"] else { continue }
            for task in tasks {
                let name = task["task"]?["name"]?.text ?? "(unnamed task)"
                guard case .map(let results)? = task["hosts"] else { continue }
                for (host, result) in results { report.record(name, host, result, check: check) }
            }
        }
        return report
    }

    private mutating func record(_ task: String, _ host: String, _ result: Value, check: Bool) {
        if result["unreachable"]?.isTruthy == true {
            unreachable.append(TaskResult(task: task, host: host, message: Self.message(result)))
        } else if result["failed"]?.isTruthy == true {
            failures.append(TaskResult(task: task, host: host, message: Self.message(result)))
        } else if result["changed"]?.isTruthy == true {
            changes.append(TaskResult(task: task, host: host, message: ""))
        } else if check, Self.wouldHaveRun(result) {
            // A command task in check mode is skipped with these words when it would have run:
            // a change the probe must count, or --check would call a needed change "nothing".
            changes.append(TaskResult(task: task, host: host, message: ""))
            if let index = hosts.firstIndex(where: { $0.0 == host }) { hosts[index].1.changed += 1 }
        }
        // A loop's items carry the failure's own words; the task's are "One or more items failed".
        if case .list(let items)? = result["results"], result["failed"]?.isTruthy == true,
            let item = items.first(where: { $0["failed"]?.isTruthy == true }), var last = failures.popLast()
        {
            last.message = Self.message(item)
            failures.append(last)
        }
    }

    /// Whether the result, or an item of its loop, is a command skipped because it would have run.
    static func wouldHaveRun(_ result: Value) -> Bool {
        let items: [Value] = if case .list(let items)? = result["results"] { items } else { [result] }
        return items.contains { $0["skipped"]?.isTruthy == true && $0["msg"]?.text == Self.wouldHaveRun }
    }

    /// The module's message, with the command's stderr when it has one (a shell task's reason).
    static func message(_ result: Value) -> String {
        let msg = result["msg"]?.text ?? ""
        let stderr = (result["stderr"]?.text ?? "").split(separator: "\n").suffix(3).joined(separator: " | ")
        let parts = [msg, stderr].filter { !$0.isEmpty }
        return parts.isEmpty ? "no message" : parts.joined(separator: ": ")
    }

    private static func int(_ value: Value) -> Int? {
        if case .int(let number) = value { return number }
        return nil
    }

    /// The step's outputs: per-host counts and the tasks that changed something.
    var outputs: [String: Value] {
        let perHost: [(String, Value)] = hosts.map { host, counts in
            (
                host,
                .map([
                    ("ok", .int(counts.ok)), ("changed", .int(counts.changed)), ("failed", .int(counts.failed)),
                    ("unreachable", .int(counts.unreachable)), ("skipped", .int(counts.skipped)),
                ])
            )
        }
        return [
            "hosts": .map(perHost),
            "changed": .int(totalChanged),
            "changed-tasks": .list(changes.map { .map([("task", .string($0.task)), ("host", .string($0.host))]) }),
        ]
    }
}
