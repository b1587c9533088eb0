import ArgumentParser
import HomelabCore

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Carry on with a run that stopped, from its journal.",
        discussion: """
            Steps that succeeded are not run again (their outputs come back from the journal). A step that was running when the run stopped is probed again and re-run only if its action is safe to repeat; otherwise you are asked. Failed steps run again. If the runbook, its params or the inventory changed, the changed steps and everything downstream of them run again, and the run says which. --from STEP runs a step and everything downstream of it again.

            Examples:
              homelab resume
              homelab resume 20261127T084700Z-3f2a
              homelab resume --from etcd --yes
            """
    )

    @Argument(help: ArgumentHelp("The run to resume (default: the newest unfinished run).", valueName: "run-id"))
    var runID: String?

    @Option(help: ArgumentHelp("Run this step (and everything downstream of it) again.", valueName: "step"))
    var from: String?

    @OptionGroup var flags: RunFlags

    func run() async throws {
        // Asked here, as `status` asks: the engine would only say it cannot read the journal.
        if let runID { try flags.location.requireRun(runID) }
        let driver = RunDriver(flags: flags)
        let request = RunSession.Resume(runID: runID, from: from, options: flags.options(), state: flags.state, registry: driver.registry)
        try await driver.execute { control, make throws(RunSession.Failure) in
            try await RunSession.resume(request, control: control, environment: make)
        }
    }
}
