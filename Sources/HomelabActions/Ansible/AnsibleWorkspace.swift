import Foundation

/// The private folder (mode 0700) one ansible-playbook run gets: the generated inventory, the
/// vault-encrypted vars and Ansible's own scratch (its local temp files and SSH control sockets,
/// kept out of the operator's ~/.ansible). Removed when the run ends.
struct AnsibleWorkspace: Sendable {
    let path: String

    static func create() throws -> AnsibleWorkspace {
        // Short (under /tmp): SSH control sockets inside it must fit a socket path's 108 bytes.
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array(((base.hasSuffix("/") ? base : base + "/") + "homelab-ansible-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw AnsibleFailure("cannot make a private folder for ansible-playbook in \(base): \(String(cString: strerror(errno)))")
        }
        let workspace = AnsibleWorkspace(path: String(cString: made))
        for folder in ["tmp", "cp"] {
            guard mkdir(workspace.file(folder), 0o700) == 0 else {
                workspace.remove()
                throw AnsibleFailure("cannot make \(workspace.file(folder)): \(String(cString: strerror(errno)))")
            }
        }
        return workspace
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
