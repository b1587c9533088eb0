import ArgumentParser
import HomelabCore

struct Homelab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homelab",
        abstract: "Rebuild the homelab from bare hardware by running YAML runbooks as a step graph.",
        discussion: """
            Runbooks are YAML files (see docs/runbooks.md). Review what a run would do with 'plan', check runbooks with 'validate'.

            Examples:
              homelab plan runbooks/examples/demo-recovery.yaml
              homelab plan RUNBOOK --param etcd-snapshot=2026-11-01 --json
              homelab validate runbooks/

            Exit codes:
              0 success
              1 the runbook has errors, or the run failed
              2 the command line is wrong
              3 the run stopped before its end and can be resumed
              4 backup status: a tier is behind its policy
            """,
        version: HomelabVersion.current,
        subcommands: [
            RunCommand.self, ResumeCommand.self, PlanCommand.self, ValidateCommand.self, ActionsCommand.self, UnlockCommand.self, StatusCommand.self,
            HistoryCommand.self, ReportCommand.self, TalosCommand.self, BackupCommand.self, AnsibleCommand.self, ServiceCommand.self,
        ]
    )
}

enum HomelabVersion {
    static let current = "0.1.0"
}

enum ExitStatus {
    static let success: Int32 = 0
    static let diagnostics: Int32 = 1
    static let usage: Int32 = 2
    /// The run stopped before its end (interrupted, at an approval gate, past its deadline).
    static let stopped: Int32 = 3
    /// `backup status`: a tier is behind its policy.
    static let behind: Int32 = 4

    /// Diagnostics that stop a command: a mistake on the command line (an unknown --param, a
    /// value outside its enum) is a usage error, one in the files is not.
    static func failing(_ diagnostics: Diagnostics) -> Int32 {
        diagnostics.hasCommandLineErrors ? usage : self.diagnostics
    }
}
