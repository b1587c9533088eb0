import ArgumentParser

/// Options shared by the commands that read a runbook.
struct RunbookOptions: ParsableArguments {
    @Option(name: .customLong("param"), help: ArgumentHelp("Set a runbook param (repeatable).", valueName: "name=value"))
    var params: [String] = []

    @Option(help: ArgumentHelp("Use this inventory instead of the runbook's 'inventory:'.", valueName: "file"))
    var inventory: String?

    @Option(help: ArgumentHelp("The storage/ folder that ${storage...} reads (datasets.yaml, policy.yaml).", valueName: "dir"))
    var storage: String = "storage"

    func validate() throws {
        for param in params where !param.contains("=") || param.hasPrefix("=") {
            throw ValidationError("--param expects name=value, got '\(param)'")
        }
        // The last value used to win without a word: a script that sets a param twice has a bug.
        var given: [String: String] = [:]
        for (name, value) in parsedParams {
            if let earlier = given[name] { throw ValidationError("--param \(name) is given twice ('\(earlier)' and '\(value)'); give it once") }
            given[name] = value
        }
    }

    var parsedParams: [(String, String)] {
        params.map { param in
            let parts = param.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), String(parts[1]))
        }
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}
