/// The chain of dependencies that determined a run's length: the longest path through the step
/// graph, weighing each instance by how long it took. Shortening anything else would not have
/// made the run faster; this is where a shorter RTO has to come from.
public struct CriticalPath: Sendable, Equatable {
    public struct Link: Sendable, Equatable {
        public var step: String
        public var duration: Duration
    }

    /// Why there is no critical path to show.
    public struct Unavailable: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// First to last: each link needs the one before it (directly, or through instances that
    /// took no measurable time, which are left out).
    public var links: [Link]
    public var total: Duration
    /// Set when the runbook changed since the run: the dependencies are those of today's file.
    public var caveat: String?

    /// The longest chain through `needs` (instance id → ids it waits for), each instance
    /// weighing its measured duration (none counts as zero). `order` must list an instance after
    /// those it needs, as a plan's steps are; ties go to the earlier instance, so the answer
    /// does not depend on dictionary order.
    public static func longest(order: [String], needs: [String: [String]], durations: [String: Duration]) -> CriticalPath {
        var best: [String: (length: Duration, previous: String?)] = [:]
        var end: String?
        for id in order {
            var previous: String?
            var longest = Duration.zero
            for need in needs[id] ?? [] {
                guard let candidate = best[need] else { continue }
                if previous == nil || candidate.length > longest {
                    previous = need
                    longest = candidate.length
                }
            }
            let length = longest + (durations[id] ?? .zero)
            best[id] = (length, previous)
            if end == nil || length > best[end!]!.length { end = id }
        }
        var links: [Link] = []
        var cursor = end
        while let id = cursor {
            if let duration = durations[id] { links.append(Link(step: id, duration: duration)) }
            cursor = best[id]?.previous
        }
        return CriticalPath(links: links.reversed(), total: end.flatMap { best[$0]?.length } ?? .zero)
    }

    /// The critical path of a recorded run: dependencies from planning its runbook file again
    /// (with the run's params, inventory and mode), durations from its journal.
    public static func of(_ timeline: RunTimeline, registry: ActionRegistry = .builtin) -> Result<CriticalPath, Unavailable> {
        guard let header = timeline.header else { return .failure(Unavailable(reason: "the journal has no runStarted event")) }
        let plan: Plan
        do {
            var params: [(String, String)] = []
            if case .map(let pairs) = header.params { params = pairs.map { ($0.0, $0.1.text) } }
            plan = try RunSession.planned(runbook: header.file, inventory: header.inventory, params: params, isDrill: header.isDrill, registry: registry).1
        } catch {
            let first = RunLineFormatter.split(error.description).first ?? ""
            return .failure(Unavailable(reason: "the runbook \(header.file) can no longer be planned (\(first))"))
        }
        var durations: [String: Duration] = [:]
        for step in timeline.steps {
            if let duration = step.duration { durations[step.id] = duration }
        }
        guard !durations.isEmpty else { return .failure(Unavailable(reason: "no step ran to an end")) }
        var path = longest(order: plan.steps.map(\.id), needs: Dictionary(plan.steps.map { ($0.id, $0.needs) }, uniquingKeysWith: { $1 }), durations: durations)
        let changed = plan.steps.filter { step in timeline.fingerprints[step.id].map { $0 != step.fingerprint } ?? true }.count
        if changed > 0 {
            path.caveat =
                "the runbook changed since this run (\(PlanTextRenderer.count(changed, "instance")) differ); the dependencies are those of the file as it is now"
        }
        return .success(path)
    }
}
