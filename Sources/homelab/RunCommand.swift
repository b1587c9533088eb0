import ArgumentParser
import Foundation
import HomelabCore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a runbook, checkpointing every step so that an interrupted run can be resumed.",
        discussion: """
            Steps start as soon as what they need is done, up to --parallelism at once. Every step is journaled in the state directory before its effect; if the run stops (Ctrl-C, a failure, a closed laptop, kill -9), 'homelab resume' carries on where it stopped without repeating finished steps. Approval gates and destructive steps ask on a terminal; without one they stop the run (resumable) unless --yes.

            When an unfinished run of the same runbook exists, say whether to --resume it or start --fresh (on a terminal you are asked).

            Examples:
              homelab run runbooks/examples/demo-recovery.yaml
              homelab run RUNBOOK --param etcd-snapshot=2026-11-01 --deadline 45m
              homelab run RUNBOOK --yes --json > progress.jsonl

            Exit codes: 0 succeeded, 1 failed or invalid, 2 usage, 3 stopped before the end (resumable).
            """
    )

    @Argument(help: ArgumentHelp("The runbook file.", valueName: "runbook"))
    var runbook: String

    @OptionGroup var options: RunbookOptions
    @OptionGroup var flags: RunFlags

    @Flag(help: "Resume the unfinished run of this runbook, if there is one.")
    var resume = false

    @Flag(help: "Start a new run even if an unfinished one of this runbook exists.")
    var fresh = false

    func validate() throws {
        if resume && fresh { throw ValidationError("--resume and --fresh cannot be used together") }
    }

    func run() async throws {
        let state = flags.state
        do {
            // A live run is the first thing to say: asking to resume or start afresh would only
            // lead to the lock refusing both.
            try RunSession.refuseIfLocked(state)
        } catch {
            Terminal.err("error: \(error.description)\n")
            throw ExitCode(ExitStatus.diagnostics)
        }
        let driver = RunDriver(flags: flags)
        if !fresh, let unfinished = RunHistory(state: state).lastUnfinished(of: runbook) {
            let resuming =
                resume
                ? true
                : isatty(STDIN_FILENO) == 1
                    ? await driver.prompt.confirm("Run \(unfinished) of this runbook did not finish. Resume it?", defaultYes: true) : false
            if resuming {
                let request = RunSession.Resume(runID: unfinished, options: flags.options(), state: state, registry: driver.registry)
                try await driver.execute { control, make throws(RunSession.Failure) in
                    try await RunSession.resume(request, control: control, environment: make)
                }
                return
            }
            if isatty(STDIN_FILENO) != 1 {
                Terminal.err("error: run \(unfinished) of this runbook did not finish; pass --resume to continue it or --fresh to start over\n")
                throw ExitCode(ExitStatus.diagnostics)
            }
        }
        var made = RunSession.Request(
            runbook: runbook, inventory: options.inventory, params: options.parsedParams, options: flags.options(), state: state, registry: driver.registry)
        made.storage = options.storage
        let request = made
        try await driver.execute { control, make throws(RunSession.Failure) in
            try await RunSession.start(request, control: control, environment: make)
        }
    }
}
