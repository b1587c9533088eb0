import ArgumentParser

struct TalosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "talos",
        abstract: "Talos Linux: the machine configs homelab renders from talos/, the inventory and the secrets bundle.",
        subcommands: [TalosConfigCommand.self]
    )
}
