import ArgumentParser

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "The 3-2-1 backups of the ZFS datasets that storage/ declares: local snapshots, the replica pool, the cloud bucket.",
        subcommands: [BackupStatusCommand.self]
    )
}
