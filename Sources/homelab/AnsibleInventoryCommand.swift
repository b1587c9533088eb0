import ArgumentParser
import HomelabActions
import HomelabCore

struct AnsibleInventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Print the Ansible inventory (YAML) generated from the inventory and storage/.",
        discussion: """
            Hosts are the inventory's entries with an address and an ssh mapping (user, port, key, known-hosts, host-key-policy); \
            the vars zfs_pools and zfs_datasets come from the inventory's zfs.pools and storage/datasets.yaml. \
            ansible/inventory/hosts.yml is this command's output and is never edited by hand (a test compares them).

            Example:
              homelab ansible inventory > ansible/inventory/hosts.yml
            """
    )

    @Option(help: ArgumentHelp("The inventory file.", valueName: "file"))
    var inventory = "inventory.yaml"

    @Option(help: ArgumentHelp("The storage/ folder (datasets.yaml).", valueName: "dir"))
    var storage = "storage"

    func run() throws {
        let (text, diagnostics) = AnsibleInventory.render(inventoryPath: inventory, storage: storage)
        for diagnostic in diagnostics.sorted { Terminal.err(diagnostic.rendered + "\n") }
        guard let text else { throw ExitCode(ExitStatus.diagnostics) }
        Terminal.out(text)
    }
}
