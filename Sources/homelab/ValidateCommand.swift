import ArgumentParser
import HomelabCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check runbooks for mistakes without planning or running anything.",
        discussion: """
            Reports every mistake at once, with file:line:column: YAML syntax, unknown keys, wrong types, unknown actions and inputs, unknown params, secrets, steps and inventory paths, outputs read from steps that are not upstream, dependency cycles, and destructive steps not marked 'destructive: true'. Directories are searched for runbooks (YAML files with a top-level 'runbook:' key). Required params need no value here.

            storage/ (datasets.yaml, policy.yaml) is checked too: --storage DIR, else the folder 'storage' when there is one here, against --inventory or the inventory.yaml beside it.

            Examples:
              homelab validate
              homelab validate runbooks/examples/demo-recovery.yaml
              homelab validate runbooks/ --json
              homelab validate --storage lab/out/storage --inventory lab/out/inventory.yaml
            """
    )

    @Argument(help: ArgumentHelp("Runbook files or directories to search.", valueName: "path"))
    var paths: [String] = ["runbooks"]

    @Option(help: ArgumentHelp("Use this inventory instead of each runbook's 'inventory:'.", valueName: "file"))
    var inventory: String?

    @Option(help: ArgumentHelp("The storage/ folder to check (default: 'storage' when it exists).", valueName: "dir"))
    var storage: String?

    @Flag(help: "Print the diagnostics as JSON.")
    var json = false

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set and not empty), always or never.")
    var color: ColorChoice = .auto

    func run() throws {
        let compiler = RunbookCompiler(registry: HomelabRegistry.make())
        var (files, diagnostics) = RunbookDiscovery.runbooks(in: paths)
        for file in files {
            diagnostics.append(
                contentsOf: compiler.compile(path: file, inventory: inventory, storage: storage, options: PlanOptions(requireParams: false)).diagnostics)
        }
        let storageChecked = StorageValidation.directory(storage)
        if let directory = storageChecked {
            // Checked once on its own below; through runbooks it would be once per inventory.
            diagnostics = StorageValidation.withoutStorageFindings(diagnostics, in: directory)
            diagnostics.append(contentsOf: StorageValidation.check(directory: directory, inventory: inventory))
        }
        if json {
            let storageField: [(String, Value)] = storageChecked.map { [("storage", .string($0))] } ?? []
            let report = Value.map([("files", .list(files.map(Value.string)))] + storageField + DiagnosticRenderer.jsonFields(diagnostics))
            Terminal.out(JSONWriter.pretty(report) + "\n")
        } else {
            Terminal.report(diagnostics, color: color)
            if !diagnostics.hasErrors {
                let noun = files.count == 1 ? "runbook" : "runbooks"
                Terminal.out("\(files.count) \(noun) valid: \(files.joined(separator: ", "))\n")
                if let directory = storageChecked { Terminal.out("storage valid: \(directory)\n") }
            }
        }
        if diagnostics.hasErrors { throw ExitCode(ExitStatus.diagnostics) }
    }
}
