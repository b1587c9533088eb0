import ArgumentParser
import Foundation
import HomelabCore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where a run stands: its outcome, what failed and why, what is in flight, how to resume it.",
        discussion: """
            Reads the run's journal in the state directory (the newest run unless a run id is given). A run with no recorded end is shown as in progress, with whether its process is still alive (it holds the run lock) or died (the run can be resumed). A damaged journal is reported with its file and line.

            The state directory is --state-dir, else $XDG_STATE_HOME/homelab, else ~/.local/state/homelab.

            Examples:
              homelab status
              homelab status 20261127T084700Z-3f2a
              homelab status --state-dir /var/lib/homelab --json

            Exit codes: 0 shown, 1 no such run or its journal is damaged, 2 the command line is wrong.
            """
    )

    @Argument(help: ArgumentHelp("The run to show (default: the newest).", valueName: "run-id"))
    var runID: String?

    @OptionGroup var location: StateDirOption

    @Flag(help: "Print the status as JSON.")
    var json = false

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set and not empty), always or never.")
    var color: ColorChoice = .auto

    func run() throws {
        let status = try location.status(of: runID)
        if json {
            Terminal.out(JSONWriter.pretty(RunStatusRenderer.json(status, stateDirectory: location.stateDir)) + "\n")
        } else {
            Terminal.out(RunStatusRenderer.text(status, style: Terminal.style(color, for: STDOUT_FILENO), stateDirectory: location.stateDir))
        }
    }
}
