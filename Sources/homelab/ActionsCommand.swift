import ArgumentParser
import HomelabCore

struct ActionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actions",
        abstract: "List the actions a step can use, with their inputs and outputs.",
        discussion: """
            Examples:
              homelab actions
              homelab actions exec
              homelab actions --markdown
            """
    )

    @Argument(help: "Show only this action.")
    var name: String?

    @Flag(help: "Print the Markdown reference embedded in docs/runbooks.md.")
    var markdown = false

    func run() throws {
        let registry = HomelabRegistry.make()
        if markdown {
            Terminal.out(ActionReferenceRenderer.block(registry) + "\n")
            return
        }
        var schemas = registry.schemas
        if let name {
            schemas = schemas.filter { $0.name == name }
            if schemas.isEmpty {
                let hint = Suggestion.hint(for: name, in: registry.names)
                Terminal.err("error: no action '\(name)'\(hint); see 'homelab actions'\n")
                throw ExitCode(ExitStatus.usage)
            }
        }
        for schema in schemas {
            Terminal.out("\(schema.name)  \(schema.summary)\n")
            for input in schema.inputs {
                let required = input.isRequired ? " (required)" : ""
                // Resource inputs are what a drill's sandbox checks before a step acts.
                let resource = input.resource.map { " [resource: \($0.rawValue)]" } ?? ""
                Terminal.out("    \(input.name): \(input.type.rawValue)\(required)\(resource)  \(input.description)\n")
            }
            for output in schema.outputs {
                Terminal.out("    -> outputs.\(output.name)  \(output.description)\n")
            }
        }
    }
}
