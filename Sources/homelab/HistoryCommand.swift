import ArgumentParser
import Foundation
import HomelabCore

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the runs recorded in the state directory, newest first.",
        discussion: """
            One row per run: its id, runbook, start (UTC), duration, outcome (succeeded, failed, interrupted, deadline-exceeded, or in progress when no end was recorded) and how many step instances are done. A run whose journal is damaged is listed with what is wrong, not left out.

            The state directory is --state-dir, else $XDG_STATE_HOME/homelab, else ~/.local/state/homelab.

            Examples:
              homelab history
              homelab history --state-dir /var/lib/homelab
              homelab history --json | jq '.[] | select(.outcome == "failed") | .run'

            Exit codes: 0 listed, 1 a journal is damaged (it is listed all the same), 2 the command line is wrong.
            """
    )

    @OptionGroup var location: StateDirOption

    @Flag(help: "Print the runs as a JSON list.")
    var json = false

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set and not empty), always or never.")
    var color: ColorChoice = .auto

    func run() throws {
        let state = location.state
        let rows = RunHistoryRenderer.rows(RunHistory(state: state))
        if json {
            Terminal.out(JSONWriter.pretty(RunHistoryRenderer.json(rows)) + "\n")
        } else if rows.isEmpty {
            Terminal.out("no runs in \(state.path)\n")
        } else {
            Terminal.out(RunHistoryRenderer.text(rows, style: Terminal.style(color, for: STDOUT_FILENO)))
        }
        let damaged = rows.count { if case .failure = $0 { true } else { false } }
        if damaged > 0 {
            Terminal.err("error: \(damaged == 1 ? "1 journal is" : "\(damaged) journals are") damaged; 'homelab status RUN-ID' says where\n")
            throw ExitCode(ExitStatus.diagnostics)
        }
    }
}
