import ArgumentParser

struct AnsibleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ansible",
        abstract: "Ansible: the inventory homelab generates for ansible/ from its own inventory and storage/.",
        subcommands: [AnsibleInventoryCommand.self]
    )
}
