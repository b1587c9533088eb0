/// `homelab plan --probe`: asks each step instance's action, read-only, whether its work is
/// already in place, so the operator sees what a run would change (a missing VM, drift) before
/// anything runs. Reads the secrets the probed steps use; never runs an effect, never asks.
public struct PlanProber: Sendable {
    public let loaded: LoadedRunbook
    public let registry: ActionRegistry
    public let secrets: any SecretSource
    /// Longest a single probe may take (an unreachable host must not hold up the plan).
    public let timeout: Duration
    public let parallelism: Int

    public init(
        loaded: LoadedRunbook, registry: ActionRegistry, secrets: any SecretSource = LiveSecrets(),
        timeout: Duration = .seconds(30), parallelism: Int = 4
    ) {
        self.loaded = loaded
        self.registry = registry
        self.secrets = secrets
        self.timeout = timeout
        self.parallelism = max(1, parallelism)
    }

    /// Findings for every planned instance, by instance id.
    public func probe(_ plan: Plan) async -> [String: ProbeFinding] {
        // Probes run programs too (exec's `unless`): their output goes to a private directory.
        await SpawnedProcess.withPrivateSpool { processes in await probe(plan, processes: processes) }
    }

    private func probe(_ plan: Plan, processes: any LocalProcess) async -> [String: ProbeFinding] {
        let instances = plan.steps.filter { $0.status == .planned }
        var findings: [String: ProbeFinding] = [:]
        await withTaskGroup(of: (String, ProbeFinding).self) { group in
            var next = 0
            func add() {
                guard next < instances.count else { return }
                let instance = instances[next]
                next += 1
                group.addTask { (instance.id, await finding(for: instance, plan: plan, processes: processes)) }
            }
            for _ in 0..<parallelism { add() }
            while let (id, finding) = await group.next() {
                findings[id] = finding
                add()
            }
        }
        return findings
    }

    private func finding(for instance: PlannedStep, plan: Plan, processes: any LocalProcess) async -> ProbeFinding {
        guard let step = loaded.runbook.steps.first(where: { $0.id == instance.step }),
            let action = registry[instance.uses]
        else {
            return ProbeFinding(.unknown, "unknown action '\(instance.uses)'")
        }
        let values: [String: String]
        do {
            values = try await RunInputs.secretValues(instance.secrets, runbook: loaded.runbook, from: secrets)
        } catch {
            return ProbeFinding(.failed, "a secret could not be read: \(error)")
        }
        var scope = Scope.run(loaded, plan: plan, registry: registry)
        scope.step = instance.step
        scope.item = instance.item
        scope.secretValues = values
        var evaluator = Evaluator(scope: scope)
        let inputs: [String: Value]
        do {
            inputs = try RunInputs.resolve(step, schema: action.schema, evaluator: &evaluator)
        } catch {
            return ProbeFinding(.unknown, "known only at run time (its inputs read outputs of earlier steps)")
        }
        let call = ActionCall(step: instance.id, inputs: inputs)
        let finding: ProbeFinding
        do {
            switch try await withTimeout(timeout, clock: LiveClock(), { try await action.probe(call, context: ProbeContext(processes: processes)) }) {
            case .satisfied(let reason): finding = ProbeFinding(.done, reason)
            case .wouldChange(let change): finding = ProbeFinding(.pending, change)
            case .notSatisfied: finding = ProbeFinding(.pending, "not done yet")
            }
        } catch is TimedOut {
            finding = ProbeFinding(.failed, "the probe took longer than \(DurationText.format(timeout))")
        } catch {
            finding = ProbeFinding(.failed, "\(error)")
        }
        // No secret value reaches the plan, even inside an error an action wrote.
        var redactor = Redactor()
        for (name, value) in values { redactor.add(value, name: name) }
        return ProbeFinding(finding.state, redactor.redact(finding.detail))
    }
}

/// Probes report nothing and may not ask anyone: a plan never waits on a human.
private struct ProbeContext: ActionContext {
    let processes: any LocalProcess
    /// A plan runs in real time; its probes' own waits are bounded by the probe timeout.
    let clock: any RunClock = LiveClock()

    func report(_ message: String) {}

    func approve(_ message: String) async throws -> String {
        throw ActionError("a probe cannot ask for approval")
    }
}
