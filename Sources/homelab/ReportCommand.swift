import ArgumentParser
import Foundation
import HomelabCore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a Markdown report of a run: steps, timings, failures and the critical path.",
        discussion: """
            For the post-mortem or the record of a DR drill: who ran what where and when, how it ended and how often it was resumed, a table of every step instance (result, attempts, start, duration, error), the failures with their messages, and the critical path, the chain of dependencies that set the run's length. The dependencies come from planning the run's runbook file again with the run's params; when it can no longer be planned, the report says so.

            The state directory is --state-dir, else $XDG_STATE_HOME/homelab, else ~/.local/state/homelab.

            Examples:
              homelab report 20261127T084700Z-3f2a
              homelab report 20261127T084700Z-3f2a --output drills/2026-11.md
              homelab report 20261127T084700Z-3f2a --state-dir /var/lib/homelab

            Exit codes: 0 written, 1 no such run, its journal is damaged or the file cannot be written, 2 the command line is wrong.
            """
    )

    @Argument(help: ArgumentHelp("The run to report on (see 'homelab history').", valueName: "run-id"))
    var runID: String

    @OptionGroup var location: StateDirOption

    @Option(
        name: [.customLong("output"), .customShort("o")], help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        if output?.isEmpty == true { throw ValidationError("--output expects a file, got ''") }
    }

    func run() throws {
        let status = try location.status(of: runID)
        let report = RunReport.markdown(status, stateDirectory: location.stateDir, registry: HomelabRegistry.make())
        guard let output else {
            Terminal.out(report)
            return
        }
        do {
            try OutputFile.write(report, to: output)
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(ExitStatus.diagnostics)
        }
        Terminal.out("wrote the report of run \(status.runID) to \(output)\n")
    }
}
