import Foundation

/// Starts and resumes runs: load and plan, take the lock, open the journal, execute, record
/// how it ended, release the lock. The commands are thin wrappers around these two calls.
public struct RunSession {
    public struct Request: Sendable {
        public var runbook: String
        public var inventory: String?
        /// `--storage DIR`; nil is `storage` in the current directory.
        public var storage: String? = nil
        public var params: [(String, String)]
        public var options: RunOptions
        public var state: StateDirectory
        /// The actions the runbook may use (the CLI adds the integrations to the built-ins).
        public var registry: ActionRegistry
        /// Asked before the first step whether every secret the run needs can be read (the run's
        /// environment reads them; pass the same kind of source).
        public var secrets: any SecretSource

        public init(
            runbook: String, inventory: String? = nil, params: [(String, String)] = [], options: RunOptions = RunOptions(), state: StateDirectory,
            registry: ActionRegistry = .builtin, secrets: any SecretSource = LiveSecrets()
        ) {
            self.runbook = runbook
            self.inventory = inventory
            self.params = params
            self.options = options
            self.state = state
            self.registry = registry
            self.secrets = secrets
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case invalid(Diagnostics)
        case locked(LockError)
        case state(String)
        case journal(JournalError)

        public var description: String {
            switch self {
            case .invalid(let diagnostics): DiagnosticRenderer.text(diagnostics)
            case .locked(let error): error.description
            case .state(let message): message
            case .journal(let error): error.description
            }
        }
    }

    public struct Finished: Sendable {
        public var runID: String
        public var result: Executor.Result
        public var journal: String
    }

    /// Makes the environment once the journal exists (the journal is part of it).
    public typealias EnvironmentMaker = @Sendable (JournalWriter) -> RunEnvironment

    public static func start(_ request: Request, control: RunControl, environment make: EnvironmentMaker) async throws(Failure) -> Finished {
        let (loaded, plan) = try planned(
            runbook: request.runbook, inventory: request.inventory, storage: request.storage, params: request.params, isDrill: request.options.isDrill,
            registry: request.registry)
        let runID = RunID.make()
        let lock = try prepare(request.state, runID: runID, runbook: plan.runbook)
        defer { _ = lock.release() }
        try checkSecrets(plan, loaded: loaded, done: [], source: request.secrets)
        let header = RunHeader(
            runID: runID, runbook: plan.runbook, file: absolute(request.runbook), inventory: request.inventory.map(absolute),
            isDrill: request.options.isDrill, host: LocalHost.name, user: LocalHost.userName, pid: getpid(),
            params: .map(request.params.map { ($0.0, .string($0.1)) }), fingerprints: plan.steps.map { ($0.id, $0.fingerprint) },
            storage: loaded.storage != nil ? absolute(request.storage ?? "storage") : nil)
        let journal = try RunDirectoryMaker.make(runID: runID, in: request.state, header: header)
        let (environment, notifier) = RunNotifier.attach(to: make(journal), plan: plan, loaded: loaded)
        environment.observer.update(.runStarted(runID: runID, runbook: plan.runbook, instances: plan.steps.count, resumed: false))
        let executor = Executor(plan: plan, loaded: loaded, environment: environment, options: request.options, control: control)
        return try await finish(runID: runID, executor: executor, journal: journal, environment: environment, notifier: notifier)
    }

    public struct Resume: Sendable {
        public var runID: String?
        public var from: String?
        public var options: RunOptions
        public var state: StateDirectory
        public var registry: ActionRegistry
        public var secrets: any SecretSource

        public init(
            runID: String? = nil, from: String? = nil, options: RunOptions = RunOptions(), state: StateDirectory, registry: ActionRegistry = .builtin,
            secrets: any SecretSource = LiveSecrets()
        ) {
            self.runID = runID
            self.from = from
            self.options = options
            self.state = state
            self.registry = registry
            self.secrets = secrets
        }
    }

    /// Continues a run from its journal: done steps stay done, changed steps and their
    /// downstream run again, in-flight steps are re-probed.
    public static func resume(_ request: Resume, control: RunControl, environment make: EnvironmentMaker) async throws(Failure) -> Finished {
        let runID: String
        let contents: JournalReader.Contents
        if let requested = request.runID {
            runID = requested
            do { contents = try JournalReader.read(request.state.journalPath(runID)) } catch { throw .journal(error) }
        } else {
            guard let newest = RunHistory(state: request.state).lastUnfinishedJournal() else {
                throw .state("no unfinished run in \(request.state.path) to resume; start one with 'homelab run RUNBOOK'")
            }
            runID = newest.id
            do { contents = try newest.contents.get() } catch { throw .journal(error) }
        }
        let journalPath = request.state.journalPath(runID)
        var replay = Replay(entries: contents.entries)
        guard let header = replay.header else { throw .state("run \(runID) has no runStarted event") }
        if replay.isFinished && request.from == nil { throw .state("run \(runID) already succeeded; use --from STEP to run steps again") }
        var options = request.options
        options.isDrill = header.isDrill
        let params = paramPairs(header.params)
        let (loaded, plan) = try planned(
            runbook: header.file, inventory: header.inventory, storage: header.storage, params: params, isDrill: header.isDrill, registry: request.registry)
        let previous = Dictionary(header.fingerprints, uniquingKeysWith: { $1 })
        let changes = PlanChanges(before: header.fingerprints, now: plan.steps.map { ($0.id, $0.fingerprint) }, failed: replay.failed)
        var rerun = Set(plan.steps.filter { previous[$0.id] != $0.fingerprint }.map(\.id))
        if let from = request.from {
            let matching = plan.steps.filter { $0.id == from || $0.step == from }.map(\.id)
            guard !matching.isEmpty else { throw .state("--from \(from): no such step in \(header.runbook)") }
            rerun.formUnion(matching)
        }
        let changed = plan.steps.map(\.id).filter { rerun.contains($0) }
        rerun = downstream(of: rerun, in: plan)
        // The instances a run-time for-each made go with its placeholder `id[*]`.
        let expanded = plan.steps.filter { $0.instanceID.isRunTimePlaceholder && rerun.contains($0.id) }.map(\.step)
        rerun.formUnion(replay.done.keys.filter { id in expanded.contains { InstanceID.isInstance(id, of: $0) } })
        replay.forget(rerun)
        let lock = try prepare(request.state, runID: runID, runbook: header.runbook)
        defer { _ = lock.release() }
        try checkSecrets(plan, loaded: loaded, done: Set(replay.done.keys), source: request.secrets)
        // What a killed process left of its programs' output goes before anything runs again.
        SpoolDirectory.forRun(journal: journalPath).remove()
        let journal: JournalWriter
        do {
            journal = try JournalWriter(path: journalPath, nextSequence: contents.nextSequence, validLength: contents.hadTornTail ? contents.validLength : nil)
            try journal.append(
                .runResumed(pid: getpid(), changed: changed, fingerprints: Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.id, $0.fingerprint) })),
                durable: true)
        } catch { throw .journal(error) }
        let (environment, notifier) = RunNotifier.attach(to: make(journal), plan: plan, loaded: loaded)
        environment.observer.update(.runStarted(runID: runID, runbook: header.runbook, instances: plan.steps.count, resumed: true))
        if !changes.isEmpty { environment.observer.update(.planChanged(changes)) }
        let executor = Executor(plan: plan, loaded: loaded, environment: environment, options: options, control: control, prior: replay)
        return try await finish(runID: runID, executor: executor, journal: journal, environment: environment, notifier: notifier)
    }

    private static func finish(runID: String, executor: Executor, journal: JournalWriter, environment: RunEnvironment, notifier: RunNotifier?)
        async throws(Failure) -> Finished
    {
        let result = await executor.run()
        SpoolDirectory.forRun(journal: journal.path).remove()
        do {
            if result.outcome == .interrupted {
                try journal.append(.runInterrupted(reason: result.summary.stopReason ?? .interrupted(by: nil)), durable: true)
            } else {
                try journal.append(.runFinished(outcome: result.outcome), durable: true)
            }
        } catch { throw .journal(error) }
        environment.observer.update(.runFinished(runID: runID, outcome: result.outcome, summary: result.summary))
        await notifier?.flush()
        return Finished(runID: runID, result: result, journal: journal.path)
    }

    static func planned(
        runbook: String, inventory: String?, storage: String? = nil, params: [(String, String)], isDrill: Bool, registry: ActionRegistry = .builtin
    ) throws(Failure) -> (LoadedRunbook, Plan) {
        let compiled = RunbookCompiler(registry: registry)
            .compile(path: runbook, inventory: inventory, storage: storage, options: PlanOptions(params: params, isDrill: isDrill, fingerprints: true))
        guard let loaded = compiled.loaded, let plan = compiled.plan, !compiled.diagnostics.hasErrors else { throw .invalid(compiled.diagnostics) }
        return (loaded, plan)
    }

    /// Every secret the steps still to run will read must be there before the first one starts:
    /// a run that finds one missing halfway has done half a recovery. Nothing is journaled: the
    /// run (or resume) simply does not begin, and the operator is told each missing secret.
    private static func checkSecrets(_ plan: Plan, loaded: LoadedRunbook, done: Set<String>, source: any SecretSource) throws(Failure) {
        let missing = SecretCheck.check(plan, runbook: loaded.runbook, done: done, source: source)
        if missing.hasErrors { throw .invalid(missing) }
    }

    /// Refuses at once when a live run holds the state directory's lock: `run` says so before
    /// it asks whether to resume or start afresh, which the lock would refuse either way.
    public static func refuseIfLocked(_ state: StateDirectory) throws(Failure) {
        if case .held(let holder, alive: true) = RunLock.current(in: state) { throw .locked(.held(holder, path: state.lockPath)) }
    }

    private static func prepare(_ state: StateDirectory, runID: String, runbook: String) throws(Failure) -> RunLock {
        do { try state.prepare() } catch { throw .state(error.description) }
        let holder = LockHolder.thisProcess(runID: runID, runbook: runbook)
        do {
            return try RunLock.acquire(in: state, holder: holder)
        } catch .stale(let previous, _) where previous.runID == runID {
            // The lock of this very run, left by a process that died (kill -9, power cut):
            // resuming it is exactly what the lock was waiting for.
            do {
                _ = try RunLock.unlock(in: state, force: false)
                return try RunLock.acquire(in: state, holder: holder)
            } catch {
                throw .locked(error)
            }
        } catch {
            throw .locked(error)
        }
    }

    /// The instances in `ids` and everything that depends on them, transitively.
    static func downstream(of ids: Set<String>, in plan: Plan) -> Set<String> {
        var dependents: [String: [String]] = [:]
        for step in plan.steps { for need in step.needs { dependents[need, default: []].append(step.id) } }
        var result = ids
        var queue = Array(ids)
        while let next = queue.popLast() {
            for dependent in dependents[next] ?? [] where result.insert(dependent).inserted { queue.append(dependent) }
        }
        return result
    }

    private static func paramPairs(_ params: Value) -> [(String, String)] {
        guard case .map(let pairs) = params else { return [] }
        return pairs.map { ($0.0, $0.1.text) }
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : RunbookLoader.normalize(FileManager.default.currentDirectoryPath + "/" + path)
    }
}
