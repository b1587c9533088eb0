import ArgumentParser
import Foundation
import HomelabActions
import HomelabCore

/// What `run` and `resume` share: the printer, the approver, signal handling, the journal's
/// log file, and turning the outcome into a message and an exit code.
struct RunDriver {
    let flags: RunFlags
    /// One registry for the whole command: the run is planned and executed with the same actions.
    let registry: ActionRegistry
    /// The command's one terminal prompt: `run` asks through it whether to resume, too.
    let prompt: TerminalPrompt

    init(flags: RunFlags) {
        self.flags = flags
        // A new certificate is trusted when given with --trust-fingerprint or confirmed on a
        // terminal; --yes never answers this question, and --json runs cannot be asked.
        let prompt = TerminalPrompt()
        let ask: FingerprintTrust.Asker = { question in await prompt.confirm(question.text) }
        let canAsk = !flags.json && isatty(STDIN_FILENO) == 1
        let trust = FingerprintTrust(trusted: flags.trustFingerprints, ask: canAsk ? ask : nil)
        self.prompt = prompt
        registry = HomelabRegistry.make(trust: trust)
    }

    func execute(_ body: @escaping @Sendable (RunControl, @escaping RunSession.EnvironmentMaker) async throws(RunSession.Failure) -> RunSession.Finished)
        async throws
    {
        let style = Terminal.style(flags.color, for: STDOUT_FILENO)
        let format: RunPrinter.Format = flags.json ? .json : (isatty(STDOUT_FILENO) == 1 && style.isEnabled ? .live : .lines)
        let log = LogFile()
        // Earlier durations of the runbook's steps feed the live view's ETA; they are looked up
        // once the run has planned the runbook and knows its name.
        let state = flags.state
        let printer = RunPrinter(
            format: format, style: style, estimator: { RunEstimates.estimates(runbook: $0, history: RunHistory(state: state)) },
            write: { Terminal.out($0) }, log: log.sink,
            parallelism: flags.parallelism, stateDirectory: flags.stateDir)
        let approver: any Approver
        if flags.yes {
            approver = AssumeYes()
        } else if isatty(STDIN_FILENO) == 1 {
            approver = TerminalApprover(prompt: prompt)
        } else {
            approver = NobodyToAsk()
        }
        prompt.attach(printer)
        let control = RunControl()
        let makeEnvironment: RunSession.EnvironmentMaker = { journal in
            log.open((journal.path as NSString).deletingLastPathComponent + "/run.log")
            return RunEnvironment(registry: registry, journal: journal, observer: printer, approver: approver)
        }
        let task = Task { try await body(control, makeEnvironment) }
        let signals = SignalHandler(control: control, gracePeriod: Self.gracePeriod) { task.cancel() }
        defer { signals.stop() }
        let finished: RunSession.Finished
        do {
            finished = try await task.value
        } catch let failure as RunSession.Failure {
            printer.finish()
            report(failure)
            if case .invalid(let diagnostics) = failure { throw ExitCode(ExitStatus.failing(diagnostics)) }
            throw ExitCode(ExitStatus.diagnostics)
        }
        printer.finish()
        log.close()
        switch finished.result.outcome {
        case .succeeded: return
        case .failed: throw ExitCode(ExitStatus.diagnostics)
        case .interrupted, .deadlineExceeded:
            throw ExitCode(ExitStatus.stopped) // the printer's summary says why and how to resume
        }
    }

    /// How long running steps may finish after the first signal: 30 s, or HOMELAB_STOP_GRACE
    /// (a duration such as 1s; the tests shorten it to see the grace run out).
    private static var gracePeriod: Duration {
        ProcessInfo.processInfo.environment["HOMELAB_STOP_GRACE"].flatMap(DurationText.parse) ?? SignalHandler.defaultGracePeriod
    }

    private func report(_ failure: RunSession.Failure) {
        switch failure {
        case .invalid(let diagnostics): Terminal.report(diagnostics, color: flags.color)
        default: Terminal.err("error: \(failure.description)\n")
        }
    }
}
