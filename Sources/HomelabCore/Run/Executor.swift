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
        var stopReason: StopReason?
        var failed = false
        let deadline = options.deadline.map { environment.clock.elapsed + $0 }
        let context = StepRunContext(runbook: runbook, environment: environment, options: options, deadline: deadline, prior: prior)
        // Validation refuses duplicate step ids; should one slip through, the first wins, no trap.
        let steps = Dictionary(runbook.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

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
                    let run = runner(
                        for: instance, step: steps[instance.step], scope: scopeFor(index, state),
                        context: instance.isFinally ? context.withoutDeadline : context)
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
                if outcome.result != .notStarted && !plan.steps[index].instanceID.isRunTimePlaceholder {
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
                    if !options.keepGoing && stopReason == nil && outcome.stop == nil { stopReason = .stepFailed(step: id) }
                }
                if let reason = outcome.stop ?? control.stopReason, stopReason == nil || outcome.stop != nil {
                    if stopReason == nil { environment.observer.update(.runStopping(reason: reason)) }
                    stopReason = stopReason ?? reason
                    if outcome.approval != nil || control.stopReason != nil { state.interrupted = true }
                    if outcome.stop == .deadlineExceeded { state.deadlineExceeded = true }
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

    /// How one instance runs: a run-time `for-each` placeholder expands into its items, any other
    /// instance runs as itself.
    private func runner(for instance: PlannedStep, step: Step?, scope: Scope, context: StepRunContext) -> @Sendable () async -> StepRunner.Outcome {
        guard let step else {
            // The plan is made from this runbook, so this means the engine was handed a plan and
            // a runbook that do not belong together: the instance fails, the run goes on safely.
            let outcome = context.fail(instance.id, "\(PlanMismatch(instance: instance.id, step: instance.step))")
            return { outcome }
        }
        if instance.instanceID.isRunTimePlaceholder {
            let runner = ForEachRunner(placeholder: instance, step: step, scope: scope, context: context)
            return { await runner.run() }
        }
        let runner = StepRunner(instance: instance, step: step, scope: scope, context: context)
        return { await runner.run() }
    }

    /// A plan instance whose step the runbook does not have: an engine mistake, never the user's.
    struct PlanMismatch: Error, CustomStringConvertible {
        var instance: String
        var step: String
        var description: String { "internal error: instance '\(instance)' belongs to step '\(step)', which the runbook given to the executor does not have" }
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
