/// Schedules a plan's step instances on structured concurrency: a step starts as soon as what
/// it needs is done (no wave barriers), up to `parallelism` at once, never two of the same
/// `serial` group together. On a failure it finishes what is running and starts nothing new
/// (unless `keepGoing`); `finally` steps run at the end whatever happened, except after an
/// interruption (they run when the run is resumed and completes).
public struct Executor: Sendable {
    public struct Result: Sendable {
        public var outcome: RunOutcome
        public var summary: RunSummary
        public var results: [String: StepResult]
    }

    let plan: Plan
    let runbook: Runbook
    let scope: Scope
    let environment: RunEnvironment
    let options: RunOptions
    let control: RunControl
    let prior: Replay

    public init(
        plan: Plan, loaded: LoadedRunbook, environment: RunEnvironment, options: RunOptions, control: RunControl = RunControl(), prior: Replay = Replay()
    ) {
        self.plan = plan
        self.runbook = loaded.runbook
        self.environment = environment
        self.options = options
        self.control = control
        self.prior = prior
        self.scope = Scope.run(loaded, plan: plan, registry: environment.registry)
    }

    public func run() async -> Result {
        var state = Schedule(plan: plan)
        var summary = RunSummary()
        var stopReason: String?
        var failed = false
        let deadline = options.deadline.map { environment.clock.elapsed + $0 }
        let steps = Dictionary(uniqueKeysWithValues: runbook.steps.map { ($0.id, $0) })

        // Instances done in an earlier session come back with their outputs.
        for index in plan.steps.indices {
            let id = plan.steps[index].id
            guard let done = prior.done[id] else { continue }
            summary.restored += 1
            environment.observer.update(.stepRestored(step: id, result: done.result))
            state.finish(index, done.result, outputs: done.outputs)
        }

        await withTaskGroup(of: (Int, StepRunner.Outcome, Duration).self) { group in
            func launch() {
                let stopping = stopReason != nil || control.stopReason != nil
                // An interrupted run keeps its cleanup for when it is resumed and completes.
                let interrupted = state.interrupted || control.stopReason != nil
                while state.running < options.parallelism, let index = state.nextReady(allowRegular: !stopping, allowFinally: !interrupted) {
                    let instance = plan.steps[index]
                    let stepDeadline = instance.isFinally ? nil : deadline
                    let run: @Sendable () async -> StepRunner.Outcome
                    if instance.instance == "*" {
                        let runner = ForEachRunner(
                            placeholder: instance, step: steps[instance.step]!, runbook: runbook, scope: scopeFor(index, state),
                            environment: environment, options: options, deadline: stepDeadline, prior: prior)
                        run = { await runner.run() }
                    } else {
                        let runner = StepRunner(
                            instance: instance, step: steps[instance.step]!, runbook: runbook, scope: scopeFor(index, state), environment: environment,
                            options: options, deadline: stepDeadline, wasInFlight: prior.inFlight.contains(instance.id),
                            approvedBefore: prior.approved.contains(instance.id))
                        run = { await runner.run() }
                    }
                    state.start(index)
                    let clock = environment.clock
                    group.addTask { [run, clock, index] in
                        let started = clock.elapsed
                        let outcome = await run()
                        return (index, outcome, clock.elapsed - started)
                    }
                }
            }
            launch()
            while let (index, outcome, elapsed) = await group.next() {
                let id = plan.steps[index].id
                if outcome.result != .notStarted && plan.steps[index].instance != "*" {
                    environment.observer.update(.stepFinished(step: id, result: outcome.result, elapsed: elapsed))
                }
                state.finish(index, outcome.result, outputs: outcome.outputs)
                if let approval = outcome.approval { summary.approvals.append(approval) }
                if case .failed = outcome.result {
                    failed = true
                    for dependent in state.markUpstreamFailed(from: index) {
                        environment.observer.update(.stepFinished(step: plan.steps[dependent].id, result: .upstreamFailed(id), elapsed: .zero))
                    }
                    // A step cut off by the deadline did not fail on its own: the deadline is the reason.
                    if !options.keepGoing && stopReason == nil && outcome.stopReason == nil { stopReason = "step '\(id)' failed" }
                }
                if let reason = outcome.stopReason ?? control.stopReason, stopReason == nil || outcome.stopReason != nil {
                    if stopReason == nil { environment.observer.update(.runStopping(reason: reason)) }
                    stopReason = stopReason ?? reason
                    if outcome.approval != nil || control.stopReason != nil { state.interrupted = true }
                    if outcome.stopReason == StepRunner.deadlineStop { state.deadlineExceeded = true }
                }
                if Task.isCancelled { state.interrupted = true }
                launch()
            }
        }
        if control.stopReason != nil { state.interrupted = true }
        for index in plan.steps.indices where state.results[index] == nil { state.results[index] = .notStarted }
        for result in state.results { summary.count(result ?? .notStarted) }
        let outcome: RunOutcome = state.deadlineExceeded ? .deadlineExceeded : failed ? .failed : state.interrupted ? .interrupted : .succeeded
        summary.stopReason = stopReason ?? control.stopReason
        var results: [String: StepResult] = [:]
        for (index, step) in plan.steps.enumerated() { results[step.id] = state.results[index] ?? .notStarted }
        return Result(outcome: outcome, summary: summary, results: results)
    }

    /// The scope a step runs with: outputs of the steps it depends on, its item.
    private func scopeFor(_ index: Int, _ state: Schedule) -> Scope {
        var scope = self.scope
        let instance = plan.steps[index]
        scope.step = instance.step
        scope.item = instance.item
        for needed in state.neededSteps[index] {
            if let outputs = state.outputs(of: needed) { scope.outputs[needed] = outputs }
        }
        return scope
    }
}
