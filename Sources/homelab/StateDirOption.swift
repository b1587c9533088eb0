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
        try reporting { () throws(RunLookup.Failure) in try RunLookup.status(runID, in: state) }
    }

    /// Nothing when the run exists; else the same message and exit code as `status`.
    func requireRun(_ runID: String) throws {
        try reporting { () throws(RunLookup.Failure) in try RunLookup.requireKnown(runID, in: state) }
    }

    private func reporting<T>(_ body: () throws(RunLookup.Failure) -> T) throws -> T {
        do {
            return try body()
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(ExitStatus.diagnostics)
        }
    }
}
