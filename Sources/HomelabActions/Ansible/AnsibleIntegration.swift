import HomelabCore

/// Ansible: `ansible.playbook`. Its transport is the program, not a connection: ansible-playbook
/// runs through the step's `context.processes` (SpawnedProcess in a run) and makes its own SSH
/// connections. A context that runs no local programs refuses it there (NoLocalProcess), so
/// the unavailable transport is the same program name.
public enum AnsibleIntegration: Integration {
    public static func live(_ settings: LiveSettings) -> AnsibleProgram { AnsibleProgram() }

    public static var unavailable: AnsibleProgram { AnsibleProgram() }

    public static func actions(_ program: AnsibleProgram) -> [any Action] {
        [AnsiblePlaybook(program: program)]
    }
}

/// Which ansible-playbook to run: a name looked up in PATH or a path (tests name a missing one).
public struct AnsibleProgram: Sendable, Equatable {
    public var path: String

    public init(path: String = "ansible-playbook") {
        self.path = path
    }
}
