import HomelabCore

/// SSH over libssh2: `ssh.exec`.
public enum SSHIntegration: Integration {
    public static func live(_ settings: LiveSettings) -> any RemoteShell { LiveRemoteShell() }

    public static var unavailable: any RemoteShell { NoRemoteShell() }

    public static func actions(_ shell: any RemoteShell) -> [any Action] {
        [SSHExec(shell: shell)]
    }
}
