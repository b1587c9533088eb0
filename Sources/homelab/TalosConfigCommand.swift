import ArgumentParser
import Foundation
import HomelabActions

struct TalosConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Render a node's Talos machine config; secrets are masked unless --reveal.",
        discussion: """
            The config is talos/<role>.yaml + talos/patches/common.yaml + talos/patches/<role>.yaml + the node's own patches + its values from the inventory + the secrets bundle, merged as Talos merges patches (talos/README.md). Printed with every secret shown as <secret:NAME>. With --reveal it is written, secrets and all, to the --output file with mode 0600; never to the terminal.

            Examples:
              homelab talos config cp-1
              homelab talos config worker-1 --secrets ~/backup/talos-secrets.yaml
              homelab talos config cp-1 --reveal --output /tmp/cp-1.yaml
            """
    )

    @Argument(help: "The node's name in the inventory's talos.nodes.")
    var node: String

    @Option(help: ArgumentHelp("The inventory file.", valueName: "file"))
    var inventory = "inventory.yaml"

    @Option(help: ArgumentHelp("The Talos secrets bundle (secrets.yaml).", valueName: "file"))
    var secrets = "~/.config/homelab/talos-secrets.yaml"

    @Option(name: .customLong("talos-dir"), help: ArgumentHelp("Templates and patches (default: talos/ beside the inventory).", valueName: "dir"))
    var talosDirectory: String?

    @Flag(help: "Write the config with its secrets (needs --output).")
    var reveal = false

    @Option(help: ArgumentHelp("Write to this file (mode 0600) instead of printing.", valueName: "file"))
    var output: String?

    func validate() throws {
        if reveal && output == nil { throw ValidationError("--reveal writes the secrets: give --output FILE; they are never printed to the terminal") }
        if output == "-" { throw ValidationError("--output must name a file; '-' would be standard output") }
    }

    func run() throws {
        do {
            let cluster = try TalosClusterSpec.load(inventoryPath: inventory)
            guard cluster.nodes.contains(where: { $0.name == node }) else {
                let known = cluster.nodes.map(\.name).joined(separator: ", ")
                Terminal.err("error: no Talos node '\(node)' in \(inventory); its nodes are \(known)\n")
                throw ExitCode(ExitStatus.usage)
            }
            let bundle = try SecretsBundleLoader.load(path: (secrets as NSString).expandingTildeInPath, displayPath: secrets)
            let directory = talosDirectory ?? ((inventory as NSString).deletingLastPathComponent as NSString).appendingPathComponent("talos")
            let rendered = try MachineConfigRenderer(talosDirectory: directory, cluster: cluster, bundle: bundle).render(node: node)
            let text = reveal ? rendered.text : rendered.masked
            guard let output else {
                Terminal.out(text)
                return
            }
            try PrivateFile.write(text, to: output)
            Terminal.err("wrote \(output) (mode 0600)\(reveal ? ", secrets included" : ", secrets masked")\n")
        } catch let error as TalosFileError {
            Terminal.err("error: \(error)\n")
            throw ExitCode(ExitStatus.diagnostics)
        } catch let error as PrivateFile.Failure {
            Terminal.err("error: \(error)\n")
            throw ExitCode(ExitStatus.diagnostics)
        }
    }
}
