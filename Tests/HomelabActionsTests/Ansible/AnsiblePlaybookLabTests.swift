import Foundation
import HomelabCore
import LabSupport
import Testing

@testable import HomelabActions

/// ansible.playbook with the real ansible-playbook against a disposable Debian host: a root made
/// by debootstrap, mounted under an overlay in a private mount namespace, with its own sshd. What
/// the playbooks change lands in the fixture's upper folder, never in this machine's /etc.
struct AnsiblePlaybookLabTests {
    @Test func theHardeningPlaybookChangesTheHostsFilesThenNothing() async throws {
        let host = try await AnsibleLab.debianHost()
        defer { host.stopInBackground() }
        let spool = SpoolDirectory.temporary()
        defer { spool.remove() }
        let context = ProgramContext(SpawnedProcess(spool: spool))
        let call = ActionCall(
            step: "harden",
            inputs: [
                "playbook": .string(AnsibleLab.playbook("security-hardening.yml")), "inventory": AnsibleLab.inventory(host),
                // The fixture's sshd and this machine's kernel firewall are left alone.
                "vars": .map([("hardening_apply", .bool(false)), ("homelab_lan", .string("192.168.10.0/24"))]),
            ])
        let action = AnsiblePlaybook()

        guard case .wouldChange(let before) = try await action.probe(call, context: context) else {
            Issue.record("the probe of a fresh host must find changes")
            return
        }
        #expect(before.contains("'SSH accepts keys only' on pve"))
        let upper = host.string("upper")
        #expect(!FileManager.default.fileExists(atPath: upper + "/etc/ssh/sshd_config.d/10-homelab-hardening.conf"), "--check changed a file")

        let first = try await action.run(call, context: context)
        #expect(first["changed"] == .int(4))
        #expect(first["hosts"]?["pve"]?["failed"] == .int(0))
        #expect(first["hosts"]?["pve"]?["unreachable"] == .int(0))
        let dropIn = try String(contentsOfFile: upper + "/etc/ssh/sshd_config.d/10-homelab-hardening.conf", encoding: .utf8)
        #expect(dropIn.contains("PasswordAuthentication no"))
        let periodic = try String(contentsOfFile: upper + "/etc/apt/apt.conf.d/20auto-upgrades", encoding: .utf8)
        #expect(periodic.contains("APT::Periodic::Unattended-Upgrade \"1\";"))
        let firewall = try String(contentsOfFile: upper + "/etc/nftables.conf", encoding: .utf8)
        #expect(firewall.contains("ip saddr 192.168.10.0/24 tcp dport { 22, 8006 } accept"))
        #expect(context.messages.contains { $0.hasPrefix("pve: ok=") && $0.contains("changed=4") })

        let second = try await action.run(call, context: context)
        #expect(second["changed"] == .int(0))
        #expect(second["changed-tasks"] == .list([]))
        #expect(try await action.probe(call, context: context) == .satisfied("ansible-playbook --check: nothing to change on pve"))
    }

    @Test func aFailingTaskIsNamedWithItsHostAndMessage() async throws {
        let host = try await AnsibleLab.debianHost()
        defer { host.stopInBackground() }
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let playbook = folder + "/fails.yml"
        try """
        - hosts: proxmox
          gather_facts: false
          tasks:
            - name: Read the host name
              ansible.builtin.command: cat /etc/hostname
              changed_when: false
            - name: Mount the missing disk
              ansible.builtin.command: ls /dev/disk/by-id/ata-missing-disk
        """.write(toFile: playbook, atomically: true, encoding: .utf8)
        let spool = SpoolDirectory.temporary()
        defer { spool.remove() }
        let failure = await ActionFailure.of {
            _ = try await AnsiblePlaybook().run(
                ActionCall(step: "s", inputs: ["playbook": .string(playbook), "inventory": AnsibleLab.inventory(host)]),
                context: ProgramContext(SpawnedProcess(spool: spool)))
        }
        let message = try #require(failure?.message)
        #expect(message.contains("failed: task 'Mount the missing disk' on host pve: non-zero return code"), "\(message)")
        #expect(message.contains("No such file or directory"), "\(message)")
    }

    @Test func anUnreachableHostIsSaidSo() async throws {
        let host = try await AnsibleLab.debianHost()
        defer { host.stopInBackground() }
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A key the host does not accept.
        let stranger = folder + "/id_stranger"
        _ = try await Self.output(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger])
        let spool = SpoolDirectory.temporary()
        defer { spool.remove() }
        let failure = await ActionFailure.of {
            _ = try await AnsiblePlaybook().run(
                ActionCall(
                    step: "s",
                    inputs: ["playbook": .string(AnsibleLab.playbook("security-hardening.yml")), "inventory": AnsibleLab.inventory(host, key: stranger)]),
                context: ProgramContext(SpawnedProcess(spool: spool)))
        }
        #expect(failure?.message.contains("host pve is unreachable") == true, "\(failure?.message ?? "")")
        #expect(failure?.retryable == true)
    }

    /// The secret reaches the playbook (it writes the secret's SHA-256 on the host), yet it is
    /// on no command line and in no file homelab wrote, and the vars file is a vault.
    @Test func secretsReachThePlaybookButNoCommandLineOrFile() async throws {
        let host = try await AnsibleLab.debianHost()
        defer { host.stopInBackground() }
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let playbook = folder + "/secret.yml"
        try """
        - hosts: proxmox
          gather_facts: false
          tasks:
            - name: Keep the token's digest
              ansible.builtin.copy:
                dest: /root/token.sha256
                content: "{{ api_token | hash('sha256') }}"
        """.write(toFile: playbook, atomically: true, encoding: .utf8)
        let secret = "s3cr3t-" + UUID().uuidString
        let spool = SpoolDirectory.temporary()
        defer { spool.remove() }
        let recorder = RecordingProcess(spool: spool)
        let outputs = try await AnsiblePlaybook().run(
            ActionCall(
                step: "s", inputs: ["playbook": .string(playbook), "inventory": AnsibleLab.inventory(host), "vars": .map([("api_token", .string(secret))])]),
            context: ProgramContext(recorder))
        #expect(outputs["changed"] == .int(1))

        let digest = try String(contentsOfFile: host.string("upper") + "/root/token.sha256", encoding: .utf8)
        #expect(digest == (try await Self.output(["/bin/sh", "-c", "printf %s \"$0\" | sha256sum | cut -d' ' -f1", secret])))
        let command = try #require(recorder.commands.first)
        #expect(!command.arguments.contains { $0.contains(secret) })
        #expect(!(command.environment ?? [:]).values.contains { $0.contains(secret) })
        #expect(command.arguments.contains("--vault-password-file") && command.arguments.contains("/dev/stdin"))
        let files = recorder.files
        #expect(files.count >= 2, "the inventory and the vars file")
        for (path, bytes) in files {
            #expect(!bytes.contains(bytes: Array(secret.utf8)), "\(path) holds the secret")
            // Nor the vault's password, which only the pipe carries.
            #expect(!bytes.contains(bytes: command.input), "\(path) holds the vault password")
        }
        let vault = try #require(files.first { $0.key.hasSuffix("vars.vault") }?.value)
        #expect(String(decoding: vault.prefix(25), as: UTF8.self) == "$ANSIBLE_VAULT;1.1;AES256")
        let workspace = try #require(files.keys.first).components(separatedBy: "/").dropLast().joined(separator: "/")
        #expect(!FileManager.default.fileExists(atPath: workspace), "the workspace is removed")
    }

    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "homelab-ansible-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// What a program prints, trailing newline removed; it runs off the cooperative pool.
    static func output(_ arguments: [String]) async throws -> String {
        try await offCooperativePool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
    }
}
