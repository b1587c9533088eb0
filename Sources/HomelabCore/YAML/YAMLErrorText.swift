import Yams

/// Turns libyaml's and Yams' errors into diagnostics in plain words. libyaml speaks of tokens,
/// streams and `yaml_set_max_nest_level()`; the operator needs to hear "a tab is not allowed for
/// indentation", at the line and column where it is.
enum YAMLErrorText {
    static func diagnostics(for error: YamlError, file: String, limits: LoaderLimits) -> [Diagnostic] {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, let yaml), .parser(let context, let problem, let mark, let yaml),
            .composer(let context, let problem, let mark, let yaml):
            if problem.hasPrefix("Maximum nesting level reached") {
                return [.error(at(mark), nestingMessage(limits))]
            }
            let text =
                plainWords(for: problem, at: mark, in: yaml)
                ?? libyamlWords(problem, context) + (syntaxHints.first { problem.hasPrefix($0.problem) }.map { "; " + $0.hint } ?? "")
            return [.error(at(mark), "YAML syntax: \(text)")]
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the first occurrence; the mistake is usually the repetition: both are shown.
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            let first = context.mark
            if duplicates.count == 1, let again = repetition(of: duplicates[0], after: first, in: context.text) {
                return [
                    .error(
                        SourceLocation(file: file, line: again.line, column: again.column),
                        "duplicate key \(keys) in the same mapping (first at line \(first.line))"),
                    Diagnostic(.note, at(first), "\(keys) first appears here"),
                ]
            }
            return [.error(at(first), "duplicate key \(keys) in the same mapping")]
        case .reader(let problem, let offset, _, let yaml):
            let prefix = offset.map { String(yaml.prefix($0)) } ?? ""
            let line = prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            let column = prefix.split(separator: "\n", omittingEmptySubsequences: false).last.map { $0.unicodeScalars.count + 1 } ?? 1
            return [.error(SourceLocation(file: file, line: line, column: column), "cannot read YAML: \(problem)")]
        default:
            return [.error(.file(file), "cannot parse YAML: \(error)")]
        }
    }

    /// The same words as the loader's own depth limit, whichever of the two is reached first.
    static func nestingMessage(_ limits: LoaderLimits) -> String {
        "the file nests too deeply (more than \(limits.maxDepth) levels)"
    }

    /// The problems an operator meets in a hand-written file, said without libyaml's terms.
    private static func plainWords(for problem: String, at mark: Mark, in yaml: String) -> String? {
        if problem.hasPrefix("found a tab character") { return tabMessage }
        if problem == "found character that cannot start any token" {
            guard let character = character(at: mark, in: yaml) else { return nil }
            if character == "\t" { return tabMessage }
            return "a plain value cannot start with '\(character)'; put the value in quotes"
        }
        if problem == "but found another document" {
            return "one document per file: a second document starts here; remove the '---' line or split the file"
        }
        return nil
    }

    private static let tabMessage = "a tab is not allowed for indentation; indent with spaces"

    /// Other problems keep libyaml's words, with its context.
    private static func libyamlWords(_ problem: String, _ context: YamlError.Context?) -> String {
        problem + (context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? "")
    }

    /// What usually causes libyaml's other complaints in a hand-written file.
    private static let syntaxHints: [(problem: String, hint: String)] = [
        ("did not find expected key", "check this line's indentation against the keys above it, or a quote left open"),
        ("did not find expected '-' indicator", "check this line's indentation against the list items above it"),
        ("mapping values are not allowed", "a value containing ': ' must be quoted"),
        ("found unexpected end of stream", "a quote or bracket is left open"),
    ]

    /// The character at a mark (1-based line, column in Unicode scalars, as libyaml counts).
    private static func character(at mark: Mark, in yaml: String) -> Unicode.Scalar? {
        var line = 1
        var column = 1
        for scalar in yaml.unicodeScalars {
            if line == mark.line && column == mark.column { return scalar }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            if line > mark.line { return nil }
        }
        return nil
    }

    /// The next line at the same column that starts with `key:`, in block style.
    private static func repetition(of key: String, after mark: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line <= lines.count else { return nil }
        for index in mark.line..<lines.count {
            let scalars = Array(lines[index].unicodeScalars)
            guard scalars.count >= mark.column - 1 + key.unicodeScalars.count else { continue }
            let indentation = scalars[..<(mark.column - 1)]
            guard indentation.allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            let rest = String(String.UnicodeScalarView(scalars[(mark.column - 1)...]))
            if rest.hasPrefix(key), rest.dropFirst(key.count).drop(while: { $0 == " " }).hasPrefix(":") {
                return (index + 1, mark.column)
            }
        }
        return nil
    }
}
