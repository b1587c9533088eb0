import ArgumentParser
import Foundation
import HomelabActions
import HomelabCore

struct BackupStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show, per dataset and tier, the newest snapshot and its age, and flag a tier behind its policy.",
        discussion: """
            Reads storage/ (datasets and their tags, the policy's max-age per tag and tier) and the live state: the local and replica tiers with 'zfs get' over SSH on the inventory's Proxmox host (proxmox.address and proxmox.ssh, as ssh.exec logs in), the cloud tier from the bucket's manifests (S3, the secrets named in storage/policy.yaml read from --secrets-dir or the environment). Only snapshots named with the policy's prefix count. Nothing is changed.

            Examples:
              homelab backup status
              homelab backup status --tier cloud --json
              homelab backup status --storage lab/out/storage --inventory lab/out/inventory.yaml

            Exit codes:
              0 every tier is within its policy
              1 storage/ or the inventory has errors, or a tier could not be read (and none is behind)
              2 the command line is wrong
              4 a tier is behind its policy (its newest snapshot is older than max-age, or it has none)
            """
    )

    @Option(help: ArgumentHelp("The storage/ folder (datasets.yaml, policy.yaml).", valueName: "dir"))
    var storage: String = StorageLoader.defaultDirectory

    @Option(help: ArgumentHelp("The inventory: its zfs.pools and the host to ask (proxmox).", valueName: "file"))
    var inventory: String = "inventory.yaml"

    @Option(
        help: ArgumentHelp(
            "Where the cloud tier's secrets are, one file per secret name (else each from the environment variable named after it: backup-s3-access-key → BACKUP_S3_ACCESS_KEY).",
            valueName: "dir"))
    var secretsDir: String?

    @Option(help: ArgumentHelp("Only this tier: local, replica or cloud.", valueName: "tier"))
    var tier: StorageTier?

    @Flag(help: "Print the status as JSON.")
    var json = false

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set and not empty), always or never.")
    var color: ColorChoice = .auto

    func run() async throws {
        let (loadedInventory, inventoryFindings) = YAMLLoader().load(path: inventory)
        var diagnostics = inventoryFindings
        let inventoryModel = loadedInventory.map { Inventory(file: inventory, root: $0) }
        let (config, storageFindings) = StorageLoader().load(directory: storage, inventory: inventoryModel)
        diagnostics.append(contentsOf: storageFindings)
        guard let config, let inventoryModel, !diagnostics.hasErrors else {
            Terminal.report(diagnostics, color: color)
            throw ExitCode(ExitStatus.diagnostics)
        }
        let target: SSHTarget
        do {
            target = try BackupStatusHost.target(in: inventoryModel)
        } catch {
            Terminal.err("error: \(inventory): \(error)\n")
            throw ExitCode(ExitStatus.diagnostics)
        }
        let tiers = tier.map { Set([$0]) } ?? Set(StorageTier.allCases)
        let store = tiers.contains(.cloud) ? await BackupCloudStore.make(config, secretsDirectory: secretsDir) : NoBackupStore()
        let reader = BackupStatusReader(shell: LiveRemoteShell(), store: store, target: target)
        let status = await reader.status(config, tiers: tiers, now: Int64(Date().timeIntervalSince1970))
        if json {
            Terminal.out(JSONWriter.pretty(BackupStatusRenderer.json(status)) + "\n")
        } else {
            Terminal.out(BackupStatusRenderer.text(status, style: Terminal.style(color, for: STDOUT_FILENO)))
        }
        if status.isBehind { throw ExitCode(ExitStatus.behind) }
        if status.hasUnknown { throw ExitCode(ExitStatus.diagnostics) }
    }
}

extension StorageTier: ExpressibleByArgument {}

/// Where `backup status` asks for the local and replica tiers: the inventory's Proxmox host.
enum BackupStatusHost {
    /// The host's shell as ssh.exec reaches it: `proxmox` (address, ssh: user, port, key...).
    static func target(in inventory: Inventory) throws -> SSHTarget {
        guard let host = inventory.root["proxmox"] else {
            throw ActionError("no 'proxmox' entry: backup status asks the Proxmox host (its address and ssh settings) for its snapshots")
        }
        return try SSHTarget.resolve(ActionCall(step: "backup status", inputs: ["host": Value(host)]))
    }
}
