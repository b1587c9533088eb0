import ArgumentParser
import HomelabCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check runbooks, storage/ and the Kubernetes manifests for mistakes without planning or running anything.",
        discussion: """
            Reports every mistake at once, with file:line:column: YAML syntax, unknown keys, wrong types, unknown actions and inputs, unknown params, secrets, steps and inventory paths, outputs read from steps that are not upstream, dependency cycles, and destructive steps not marked 'destructive: true'. Directories are searched for runbooks (YAML files with a top-level 'runbook:' key). Required params need no value here.

            storage/ (datasets.yaml, policy.yaml) is checked too: --storage DIR, else the folder 'storage' when there is one here, against --inventory or the inventory.yaml beside it; so is that inventory's drill sandbox (VMIDs, dataset prefix, bridge and addresses clear of everything real).

            kubernetes/base and flux/apps are checked against the manifest rules (homelab validate --rules lists them; docs/validate.md explains them): with no path, those of this directory; a path in a kubernetes/ or flux/ tree checks the manifests of the repository that holds it. A rule is waived for one file by a comment '# homelab:waive <rule> <reason>'; the waivers honoured are listed.

            With no path, validate checks the repository it runs in: runbooks/, storage/, kubernetes/ and flux/, each when present.

            Examples:
              homelab validate
              homelab validate runbooks/examples/demo-recovery.yaml
              homelab validate kubernetes/ --format sarif > homelab.sarif
              homelab validate runbooks/ --json
              homelab validate --storage lab/out/storage --inventory lab/out/inventory.yaml
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @Argument(help: ArgumentHelp("Runbook files or directories, or kubernetes/ and flux/ paths (default: the whole repository).", valueName: "path"))
    var paths: [String] = []

    @Option(help: ArgumentHelp("Use this inventory instead of each runbook's 'inventory:'.", valueName: "file"))
    var inventory: String?

    @Option(help: ArgumentHelp("The storage/ folder to check (default: 'storage' when it exists).", valueName: "dir"))
    var storage: String?

    @Option(help: "Output: text, json or sarif (SARIF 2.1.0, for editors and code scanning).")
    var format: Format = .text

    @Flag(help: "Print the diagnostics as JSON (the same as --format json).")
    var json = false

    @Flag(help: "List the manifest rules and exit.")
    var rules = false

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set and not empty), always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if json && format == .sarif { throw ValidationError("--json and --format sarif ask for two formats; give one") }
    }

    func run() throws {
        if rules {
            Terminal.out(RuleCatalog.text())
            return
        }
        let output: Format = json ? .json : format
        var runbookPaths: [String]
        var roots: [String]
        if paths.isEmpty {
            roots = ManifestValidator.hasManifests(root: ".") ? ["."] : []
            let hasRunbooks = ManifestValidation.isDirectory("runbooks")
            // Nothing at all to check here is said as before: no runbooks found.
            runbookPaths = hasRunbooks || (roots.isEmpty && StorageValidation.directory(storage) == nil) ? ["runbooks"] : []
        } else {
            (runbookPaths, roots) = ManifestValidation.split(paths)
        }
        let compiler = RunbookCompiler(registry: HomelabRegistry.make())
        var (files, diagnostics) = runbookPaths.isEmpty ? ([], Diagnostics()) : RunbookDiscovery.runbooks(in: runbookPaths)
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
        let manifests = ManifestValidation.check(roots: roots)
        diagnostics.append(contentsOf: manifests.diagnostics)
        switch output {
        case .json:
            let storageField: [(String, Value)] = storageChecked.map { [("storage", .string($0))] } ?? []
            let waivers = Value.list(
                manifests.waivers.map {
                    .map([
                        ("file", .string($0.file)), ("line", .int($0.line)), ("column", .int($0.column)), ("rule", .string($0.rule)),
                        ("reason", .string($0.reason)),
                    ])
                })
            let report = Value.map(
                [("files", .list(files.map(Value.string)))] + storageField + [("manifests", .list(roots.map(Value.string))), ("waivers", waivers)]
                    + DiagnosticRenderer.jsonFields(diagnostics))
            Terminal.out(JSONWriter.pretty(report) + "\n")
        case .sarif:
            Terminal.out(JSONWriter.pretty(SARIFRenderer.render(diagnostics, suppressed: manifests.suppressed, uri: ManifestValidation.uri)) + "\n")
        case .text:
            for waiver in manifests.waivers { Terminal.out(waiver.rendered + "\n") }
            Terminal.report(diagnostics, color: color)
            if !diagnostics.hasErrors {
                if !runbookPaths.isEmpty {
                    let noun = files.count == 1 ? "runbook" : "runbooks"
                    Terminal.out("\(files.count) \(noun) valid: \(files.joined(separator: ", "))\n")
                }
                if let directory = storageChecked { Terminal.out("storage valid: \(directory)\n") }
                for root in roots {
                    Terminal.out("manifests valid: \(manifests.serviceCount) services, \(manifests.appCount) Flux apps in \(root)\n")
                }
            }
        }
        if diagnostics.hasErrors { throw ExitCode(ExitStatus.diagnostics) }
    }
}
