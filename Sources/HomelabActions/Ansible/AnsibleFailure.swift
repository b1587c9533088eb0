import HomelabCore

/// Why an `ansible.playbook` step failed, worded for the operator: the failing task, host and
/// message, an unreachable host, or what to install.
struct AnsibleFailure: Error, Sendable, CustomStringConvertible {
    var message: String
    var isRetryable = false

    init(_ message: String, retryable: Bool = false) {
        self.message = message
        self.isRetryable = retryable
    }

    var description: String { message }

    var actionError: ActionError { ActionError(message, retryable: isRetryable) }

    static func notInstalled(_ program: String, _ reason: String) -> AnsibleFailure {
        AnsibleFailure("cannot run \(program): \(reason). Install Ansible on this machine: apt install ansible-core (or pip install ansible-core)")
    }

    /// The first failure of a finished run (the task, the host, Ansible's message), else an
    /// unreachable host, else the last lines of stderr.
    static func of(_ playbook: String, status: Int32, report: AnsibleReport?, stderr: String) -> AnsibleFailure {
        if let failure = report?.fatalFailure {
            return AnsibleFailure("playbook \(playbook) failed: task '\(failure.task)' on host \(failure.host): \(failure.message)")
        }
        if let unreachable = report?.unreachable.first {
            return AnsibleFailure(
                "playbook \(playbook): host \(unreachable.host) is unreachable (task '\(unreachable.task)'): \(unreachable.message)", retryable: true)
        }
        let lines = stderr.split(separator: "\n").filter { !$0.hasPrefix("[WARNING]") }.suffix(4).joined(separator: " | ")
        return AnsibleFailure("playbook \(playbook): ansible-playbook exited with status \(status)\(lines.isEmpty ? "" : ": " + lines)")
    }
}
