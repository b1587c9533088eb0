/// A `for-each` whose list is only known at run time (it reads outputs of earlier steps): the
/// plan holds one placeholder instance `id[*]`; here the list is evaluated and each item runs
/// as its own instance `id[name]`, journaled and resumable on its own. Items run one after
/// another.
struct ForEachRunner: Sendable {
    let placeholder: PlannedStep
    let step: Step
    let scope: Scope
    let context: StepRunContext

    private var environment: RunEnvironment { context.environment }

    func run() async -> StepRunner.Outcome {
        var evaluator = Evaluator(scope: scope)
        let resolved = step.forEach.map { evaluator.resolve($0) }
        guard case .list(let items)? = resolved?.value else {
            let got = resolved?.value.map(\.kindName) ?? "nothing known at run time"
            return fail("'for-each' of step '\(step.id)' must give a list, but \(step.forEach?.string ?? "it") gave \(got)")
        }
        var outputs: [[String: Value]] = []
        var seen = Set<String>()
        for (index, item) in items.enumerated() {
            let key = Planner.instanceKey(.value(item), index: index)
            guard seen.insert(key).inserted else { return fail("'for-each' of step '\(step.id)' gives two items named '\(key)'") }
            var instance = placeholder
            instance.instanceID = InstanceID(step: step.id, item: .key(key))
            instance.item = .value(item)
            if let done = context.prior.done[instance.id] {
                environment.observer.update(.stepRestored(step: instance.id, result: done.result))
                outputs.append(done.outputs)
                continue
            }
            var itemScope = scope
            itemScope.item = .value(item)
            let runner = StepRunner(instance: instance, step: step, scope: itemScope, context: context)
            let started = environment.clock.elapsed
            let outcome = await runner.run()
            if outcome.result != .notStarted {
                environment.observer.update(.stepFinished(step: instance.id, result: outcome.result, elapsed: environment.clock.elapsed - started))
            }
            guard outcome.result.isDone else { return StepRunner.Outcome(result: outcome.result, stop: outcome.stop, approval: outcome.approval) }
            outputs.append(outcome.outputs)
        }
        let names = Set(outputs.flatMap(\.keys)).sorted()
        var combined: [String: Value] = [:]
        for name in names { combined[name] = .list(outputs.map { $0[name] ?? .null }) }
        return StepRunner.Outcome(result: .succeeded, outputs: combined)
    }

    /// The list itself could not be made: the placeholder fails like any step, in the journal
    /// and to the observer (the executor leaves a placeholder's line to this runner).
    private func fail(_ message: String) -> StepRunner.Outcome {
        let outcome = context.fail(placeholder.id, message)
        environment.observer.update(.stepFinished(step: placeholder.id, result: outcome.result, elapsed: .zero))
        return outcome
    }
}
