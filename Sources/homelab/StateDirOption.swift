import ArgumentParser
import Foundation
import HomelabCore

/// `--state-dir`, shared by every command that reads or writes runs.
struct StateDirOption: ParsableArguments {
    @Option(help: ArgumentHelp("Where runs are recorded (default: $XDG_STATE_HOME/homelab, else ~/.local/state/homelab).", valueName: "dir"))
    var stateDir: String?

    func validate() throws {
        if stateDir?.isEmpty == true { throw ValidationError("--state-dir expects a directory, got ''") }
    }

    var state: StateDirectory {
        StateDirectory.resolve(explicit: stateDir, environment: ProcessInfo.processInfo.environment)
    }

    /// The named run (default: the newest), or an error message and exit code 1.
    func status(of runID: String?) throws -> RunStatus {
        do {
            return try RunLookup.status(runID, in: state)
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(ExitStatus.diagnostics)
        }
    }
}
