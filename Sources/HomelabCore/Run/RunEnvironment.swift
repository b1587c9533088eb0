/// Everything a run depends on, passed in: actions, clock, journal, observer, approver,
/// secrets, local programs and the source of retry jitter. Tests replace any of them.
public struct RunEnvironment: Sendable {
    public var registry: ActionRegistry
    public var clock: any RunClock
    public var journal: JournalWriter
    public var observer: any RunObserver
    public var approver: any Approver
    public var secrets: any SecretSource
    /// Local programs (`exec`); by default spooled in the run's own directory (`spool/`).
    public var processes: any LocalProcess
    /// A number in 0..<1 for backoff jitter.
    public var jitter: @Sendable () -> Double

    public init(
        registry: ActionRegistry = .builtin, clock: any RunClock = LiveClock(), journal: JournalWriter,
        observer: any RunObserver = NoObserver(), approver: any Approver = NobodyToAsk(),
        secrets: any SecretSource = LiveSecrets(), processes: (any LocalProcess)? = nil, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.registry = registry
        self.clock = clock
        self.journal = journal
        self.observer = observer
        self.approver = approver
        self.secrets = secrets
        self.processes = processes ?? SpawnedProcess(spool: .forRun(journal: journal.path))
        self.jitter = jitter
    }
}
