import Foundation
import LabSupport
import Testing

/// `homelab plan --probe` and `homelab run` with an ansible.playbook step, against the lab's
/// disposable Debian host (debootstrapped root, own sshd, changes in an overlay): the probe runs
/// --check, the run's outputs reach the journal, and no vault password or var is left behind.
struct AnsibleRunTests {
    @Test func aRunbookHardensTheDisposableHostAndJournalsWhatChanged() async throws {
        let host = try await LabFixture.start("debian_root_fixture.py", timeout: 1200)
        defer { host.stopInBackground() }
        let folder = NSTemporaryDirectory() + "homelab-ansible-run-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
        network: {lan: 10.9.0.0/16}
        proxmox:
          host: pve
          address: \(host.string("host"))
          ssh: {user: root, port: \(host.int("port")), key: \(host.string("key")), known-hosts: \(host.string("known_hosts"))}

        """.write(toFile: folder + "/inventory.yaml", atomically: true, encoding: .utf8)
        try """
        runbook: harden
        description: The hardening playbook against the lab's disposable host.
        inventory: inventory.yaml
        secrets:
          api-token: { env: HOMELAB_TEST_ANSIBLE_TOKEN, description: A token the playbook receives. }
        steps:
          - id: harden
            uses: ansible.playbook
            with:
              playbook: \(CommandRunner.repository.path)/ansible/playbooks/security-hardening.yml
              inventory: ${inventory}
              vars: {hardening_apply: false, api_token: "${secrets.api-token}"}

        """.write(toFile: folder + "/harden.yaml", atomically: true, encoding: .utf8)
        let state = folder + "/state"

        let probe = try await offCooperativePool {
            try CommandRunner.run(["plan", folder + "/harden.yaml", "--probe"], environment: ["HOMELAB_TEST_ANSIBLE_TOKEN": "probe-secret"])
        }
        #expect(probe.status == 0, "\(probe.stderr)")
        #expect(probe.stdout.contains("would change: 'SSH accepts keys only' on pve"), "\(probe.stdout)")

        let secret = "tok-" + UUID().uuidString
        let environment = ["HOMELAB_TEST_ANSIBLE_TOKEN": secret]
        let run = try await offCooperativePool {
            try CommandRunner.run(["run", folder + "/harden.yaml", "--state-dir", state, "--yes"], environment: environment)
        }
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let firewall = try String(contentsOfFile: host.string("upper") + "/etc/nftables.conf", encoding: .utf8)
        #expect(firewall.contains("ip saddr 10.9.0.0/16 tcp dport { 22, 8006 } accept"))

        let journals = FileManager.default.enumerator(atPath: state)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".jsonl") } ?? []
        let journal = try String(contentsOfFile: state + "/" + (try #require(journals.first)), encoding: .utf8)
        #expect(journal.contains("\"changed-tasks\""), "\(journal)")
        #expect(journal.contains("Firewall rules"))
        #expect(journal.contains("\"unreachable\":0"))

        #expect(!journal.contains(secret) && !run.stdout.contains(secret) && !run.stderr.contains(secret), "the secret was shown")
        let again = try await offCooperativePool {
            try CommandRunner.run(["plan", folder + "/harden.yaml", "--probe"], environment: ["HOMELAB_TEST_ANSIBLE_TOKEN": "probe-secret"])
        }
        #expect(again.stdout.contains("nothing to change on pve"), "\(again.stdout)")
    }
}
