import ArgumentParser

struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "The lab's Kubernetes services: scaffold a new one that follows the manifest patterns.",
        subcommands: [ServiceAddCommand.self]
    )
}
