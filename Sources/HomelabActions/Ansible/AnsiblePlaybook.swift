import Foundation
import HomelabCore

/// `ansible.playbook`: runs ansible-playbook (the one program the engine runs) against an
/// inventory generated from homelab's own, so hosts and how they are reached are written once.
///
/// - Extra vars (`vars`, secrets included) are written to a file encrypted with Ansible Vault
///   under a random password made for this run; ansible-playbook reads the password from its
///   standard input, a pipe (`--vault-password-file /dev/stdin`). No value of `vars` is on the
///   command line or in any file in the clear.
/// - The probe (plan --probe, dry runs) runs the playbook with `--check --diff`: nothing changes,
///   and the tasks that would change something are what it reports.
/// - Output comes through the JSON callback: per-host counts and changed tasks become outputs;
///   a failure names its task, host and message.
public struct AnsiblePlaybook: Action {
    let program: AnsibleProgram

    public init(program: AnsibleProgram = AnsibleProgram()) {
        self.program = program
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "ansible.playbook",
            summary: "Run an Ansible playbook against hosts generated from the inventory; --check --diff as its probe.",
            inputs: [
                InputSpec("playbook", .string, required: true, "The playbook file, such as ansible/playbooks/zfs-setup.yml."),
                InputSpec(
                    "inventory", .map, required: true,
                    "homelab's inventory, ${inventory}: its entries with an 'address' and an 'ssh' mapping become Ansible's hosts, zfs.pools the var zfs_pools."
                ),
                InputSpec("storage", .string, "A storage/ folder: its datasets.yaml becomes the var zfs_datasets (name, properties)."),
                InputSpec("vars", .map, "Extra vars; secrets may be given as ${secrets.NAME}. Passed vault-encrypted, never on the command line."),
                InputSpec("limit", .string, "Only these hosts or groups (ansible-playbook --limit)."),
                InputSpec("config", .string, "An ansible.cfg (default: ansible.cfg beside the playbook or in its parent folder)."),
                InputSpec("environment", .map, "Extra environment variables for ansible-playbook (ANSIBLE_* settings)."),
            ],
            outputs: [
                OutputSpec("hosts", "Per host: ok, changed, failed, unreachable and skipped task counts."),
                OutputSpec("changed", "How many tasks changed something, over all hosts."),
                OutputSpec("changed-tasks", "The tasks that changed something: task and host."),
            ],
            idempotent: true
        )
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let report = try await play(call, check: true, context: context)
        let changes = report.changes
        guard !changes.isEmpty else {
            return .satisfied("ansible-playbook --check: nothing to change on \(report.hosts.map(\.0).joined(separator: ", "))")
        }
        let shown = changes.prefix(5).map { "'\($0.task)' on \($0.host)" }.joined(separator: ", ")
        let more = changes.count > 5 ? " and \(changes.count - 5) more" : ""
        return .wouldChange("ansible-playbook --check: \(changes.count) task(s) would change: \(shown)\(more)")
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let report = try await play(call, check: false, context: context)
        for (host, counts) in report.hosts {
            context.report("\(host): ok=\(counts.ok) changed=\(counts.changed) failed=\(counts.failed) unreachable=\(counts.unreachable)")
        }
        return report.outputs
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let playbook = inputs["playbook"]?.text ?? "?"
        let limit = inputs["limit"].map { " limited to \($0.text)" } ?? ""
        return "ansible-playbook \(playbook)\(limit); probe: --check --diff"
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        guard let inventory = inputs["inventory"] else { return [] }
        do {
            _ = try AnsibleInventory(inventory: inventory).generate()
            return []
        } catch {
            return [InputProblem(input: "inventory", error.message)]
        }
    }

    /// One ansible-playbook run in a private workspace, removed afterwards.
    func play(_ call: ActionCall, check: Bool, context: ActionContext) async throws -> AnsibleReport {
        guard let playbook = call.string("playbook") else { throw ActionError("'playbook' is required") }
        let workspace = try wrap { try AnsibleWorkspace.create() }
        defer { workspace.remove() }
        let password = AnsibleVault.password()
        let command = try wrap { try prepare(call, playbook: playbook, check: check, workspace: workspace, password: password) }
        let result: ProcessResult
        do {
            result = try await context.processes.run(command)
        } catch let error as ActionError where error.message.hasPrefix("cannot start \(program.path)") {
            throw AnsibleFailure.notInstalled(program.path, error.message.components(separatedBy: ": ").last ?? error.message).actionError
        }
        let report = AnsibleReport.parse(result.stdout, check: check)
        guard result.status == 0, let report, !report.hasFailed else {
            throw AnsibleFailure.of(playbook, status: result.status, report: report, stderr: result.stderr).actionError
        }
        return report
    }

    /// Writes the inventory and the encrypted vars, and says how to run ansible-playbook.
    func prepare(_ call: ActionCall, playbook: String, check: Bool, workspace: AnsibleWorkspace, password: [UInt8]) throws -> ProcessCommand {
        var datasets: [Value]?
        if let storage = call.string("storage") {
            // The step's inventory is a value here, not a file: the pools are checked by
            // `homelab validate` and by the playbook itself.
            let (loaded, diagnostics) = StorageDatasets.load(directory: storage, inventory: nil)
            guard let loaded else {
                throw AnsibleFailure("storage \(storage): " + diagnostics.sorted.map(\.rendered).joined(separator: "; "))
            }
            datasets = loaded
        }
        let inventory = try AnsibleInventory(inventory: call.inputs["inventory"] ?? .null, datasets: datasets).yaml()
        try PrivateFile.write(inventory, to: workspace.file("inventory.yml"))
        let vars = call.inputs["vars"].flatMap { $0 == .null ? nil : $0 } ?? .map([])
        guard case .map = vars else { throw AnsibleFailure("'vars' must be a mapping") }
        try PrivateFile.write(try AnsibleVault.encrypt(JSONWriter.compactBytes(vars), password: password), to: workspace.file("vars.vault"))

        var arguments = [
            program.path, "-i", workspace.file("inventory.yml"), "-e", "@" + workspace.file("vars.vault"),
            "--vault-password-file", "/dev/stdin",
        ]
        if check { arguments += ["--check", "--diff"] }
        if let limit = call.string("limit") { arguments += ["--limit", limit] }
        arguments.append(playbook)

        var environment = ProcessInfo.processInfo.environment
        if case .map(let extra)? = call.inputs["environment"] {
            for (name, value) in extra { environment[name] = value.text }
        }
        environment["ANSIBLE_STDOUT_CALLBACK"] = "json"
        environment["ANSIBLE_NOCOLOR"] = "1"
        environment["ANSIBLE_RETRY_FILES_ENABLED"] = "false"
        environment["ANSIBLE_LOCAL_TEMP"] = workspace.file("tmp")
        environment["ANSIBLE_SSH_CONTROL_PATH_DIR"] = workspace.file("cp")
        if let config = call.string("config") ?? Self.config(beside: playbook) { environment["ANSIBLE_CONFIG"] = config }
        return ProcessCommand(arguments, environment: environment, input: password)
    }

    /// ansible.cfg in the playbook's folder or its parent (ansible/ansible.cfg for
    /// ansible/playbooks/x.yml): ansible-playbook itself only looks in the working directory.
    static func config(beside playbook: String) -> String? {
        var folder = (playbook as NSString).deletingLastPathComponent
        for _ in 0..<2 {
            let candidate = (folder.isEmpty ? "." : folder) + "/ansible.cfg"
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            folder = (folder as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// The workspace's own failures as step errors.
    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as AnsibleFailure {
            throw error.actionError
        } catch let error as AnsibleInventoryError {
            throw ActionError(error.message)
        } catch let error as PrivateFile.Failure {
            throw ActionError(error.description)
        }
    }
}
