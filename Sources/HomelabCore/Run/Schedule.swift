/// The executor's bookkeeping: what is ready, running and finished, serial groups in use, and
/// the outputs of finished steps. Plain data, used from the executor's loop only.
struct Schedule {
    let plan: Plan
    var results: [StepResult?]
    var running = 0
    var interrupted = false
    var deadlineExceeded = false
    /// Step ids each instance depends on (for its scope).
    let neededSteps: [[String]]
    private var waiting: [Int]
    private var dependents: [[Int]]
    private var ready: [Int] = []
    private var inProgress: Set<Int> = []
    private var regularRunning = 0
    private let finallySteps: [Int]
    private var busySerial: Set<String> = []
    private var regularLeft: Int
    private var instanceOutputs: [[String: Value]?]
    private var instancesOf: [String: [Int]] = [:]

    init(plan: Plan) {
        self.plan = plan
        let count = plan.steps.count
        results = Array(repeating: nil, count: count)
        instanceOutputs = Array(repeating: nil, count: count)
        var index: [String: Int] = [:]
        for (i, step) in plan.steps.enumerated() {
            index[step.id] = i
            instancesOf[step.step, default: []].append(i)
        }
        var waiting = [Int](repeating: 0, count: count)
        var dependents = [[Int]](repeating: [], count: count)
        var needed = [[String]](repeating: [], count: count)
        for (i, step) in plan.steps.enumerated() {
            for need in step.needs {
                guard let target = index[need] else { continue }
                waiting[i] += 1
                dependents[target].append(i)
                if !needed[i].contains(plan.steps[target].step) { needed[i].append(plan.steps[target].step) }
            }
        }
        self.waiting = waiting
        self.dependents = dependents
        self.neededSteps = needed
        regularLeft = plan.steps.filter { !$0.isFinally }.count
        finallySteps = plan.steps.indices.filter { plan.steps[$0].isFinally }
        ready = plan.steps.indices.filter { waiting[$0] == 0 && !plan.steps[$0].isFinally }
    }

    /// The first ready instance, in plan order, whose serial group is free. Finally steps come
    /// once the regular steps are over — all ended, or none running after the run stopped —
    /// whatever happened to them; among themselves they keep their order.
    mutating func nextReady(allowRegular: Bool, allowFinally: Bool) -> Int? {
        if allowRegular {
            for (position, index) in ready.enumerated() {
                if let serial = plan.steps[index].serial, busySerial.contains(serial) { continue }
                ready.remove(at: position)
                return index
            }
        }
        guard allowFinally, regularLeft == 0 || (!allowRegular && regularRunning == 0) else { return nil }
        for index in finallySteps where results[index] == nil && !inProgress.contains(index) {
            let step = plan.steps[index]
            let blocked = step.needs.contains { need in
                guard let target = plan.steps.firstIndex(where: { $0.id == need }), plan.steps[target].isFinally else { return false }
                return results[target] == nil
            }
            if blocked { continue }
            if let serial = step.serial, busySerial.contains(serial) { continue }
            return index
        }
        return nil
    }

    mutating func start(_ index: Int) {
        inProgress.insert(index)
        running += 1
        if !plan.steps[index].isFinally { regularRunning += 1 }
        if let serial = plan.steps[index].serial { busySerial.insert(serial) }
    }

    /// Records how an instance ended (or, for instances restored from the journal, had ended).
    mutating func finish(_ index: Int, _ result: StepResult, outputs: [String: Value]) {
        if inProgress.remove(index) != nil {
            running -= 1
            if !plan.steps[index].isFinally { regularRunning -= 1 }
            if let serial = plan.steps[index].serial { busySerial.remove(serial) }
        } else {
            ready.removeAll { $0 == index }
        }
        guard result != .notStarted else { return }
        record(index, result)
        instanceOutputs[index] = outputs
        guard result.isDone else { return }
        for dependent in dependents[index] {
            waiting[dependent] -= 1
            if waiting[dependent] == 0 && results[dependent] == nil && !plan.steps[dependent].isFinally { ready.append(dependent) }
        }
        ready.sort()
    }

    /// Everything downstream of a failed instance that has not run: marked, returned.
    mutating func markUpstreamFailed(from index: Int) -> [Int] {
        var marked: [Int] = []
        var queue = dependents[index]
        while let next = queue.popLast() {
            guard results[next] == nil, !plan.steps[next].isFinally else { continue }
            ready.removeAll { $0 == next }
            record(next, .upstreamFailed(plan.steps[index].id))
            marked.append(next)
            queue += dependents[next]
        }
        return marked.sorted()
    }

    private mutating func record(_ index: Int, _ result: StepResult) {
        if results[index] == nil && !plan.steps[index].isFinally { regularLeft -= 1 }
        results[index] = result
    }

    /// A step's outputs once all its instances are done; a for-each step gives each output as
    /// the list of its instances' values.
    func outputs(of step: String) -> Value? {
        guard let indices = instancesOf[step] else { return nil }
        let outputs = indices.compactMap { instanceOutputs[$0] }
        guard outputs.count == indices.count else { return nil }
        // A plain step, or a run-time for-each whose runner already made each output a list.
        if indices.count == 1, plan.steps[indices[0]].instanceID.item == nil || plan.steps[indices[0]].instanceID.isRunTimePlaceholder {
            return .map(outputs[0].sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
        let names = Set(outputs.flatMap(\.keys)).sorted()
        return .map(names.map { name in (name, .list(outputs.map { $0[name] ?? .null })) })
    }
}
