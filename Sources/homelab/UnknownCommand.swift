import ArgumentParser
import HomelabCore

/// ArgumentParser answers `homelab rnu` with "Unexpected argument 'rnu'" and no suggestion, and
/// `homelab help nosuch` or `homelab nosuch --help` with the top-level help and exit 0: a typo
/// in a script would pass. The command word is looked at before parsing.
enum UnknownCommand {
    static var names: [String] {
        Homelab.configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
    }

    /// The message for an unknown command word, or nil when the arguments name a known command
    /// (or none: `homelab --version`).
    static func message(for arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        var word = first
        if first == "help" {
            guard arguments.count > 1, !arguments[1].hasPrefix("-") else { return nil }
            word = arguments[1]
        }
        let known = names
        guard !known.contains(word) else { return nil }
        return "unknown command '\(word)'\(Suggestion.hint(for: word, in: known.filter { $0 != "help" })); see 'homelab --help'"
    }
}
