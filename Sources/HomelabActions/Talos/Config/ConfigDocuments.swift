import Foundation
import HomelabCore

/// Machine-config files hold several YAML documents (`---`); each is loaded with its real line
/// numbers, so every error points into the file.
enum ConfigDocuments {
    static func load(path: String, displayPath: String) throws(TalosFileError) -> [YAMLNode] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TalosFileError(.file(displayPath), "cannot read file: \(FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw TalosFileError(.file(displayPath), "file is not valid UTF-8 text") }
        return try load(text: text, file: displayPath)
    }

    static func load(text: String, file: String) throws(TalosFileError) -> [YAMLNode] {
        var documents: [YAMLNode] = []
        var chunk: [Substring] = []
        var firstLine = 1
        func flush() throws(TalosFileError) {
            defer { chunk = [] }
            // A document of nothing but comments and blank lines is no document.
            guard
                chunk.contains(where: { line in
                    let t = line.drop { $0 == " " }
                    return !t.isEmpty && !t.hasPrefix("#")
                })
            else { return }
            // Blank lines in front keep libyaml's line numbers those of the file.
            let padded = String(repeating: "\n", count: firstLine - 1) + chunk.joined(separator: "\n")
            let (root, diagnostics) = YAMLLoader().load(text: padded, file: file)
            documents.append(try TalosYAMLFile.root(root, diagnostics, file: file, what: "a machine config"))
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line == "---" || line.hasPrefix("--- ") || line == "---\r" {
                try flush()
                firstLine = index + 2
            } else {
                chunk.append(line)
            }
        }
        try flush()
        return documents
    }

    /// A generated value as a located tree: strings stay strings whatever they look like.
    static func node(_ value: Value, at location: SourceLocation) -> YAMLNode {
        switch value {
        case .map(let pairs):
            return YAMLNode(.mapping(pairs.map { .init(key: node(.string($0.0), at: location), value: node($0.1, at: location)) }), at: location)
        case .list(let items): return YAMLNode(.sequence(items.map { node($0, at: location) }), at: location)
        case .string(let text): return YAMLNode(.scalar(.init(text: text, isPlain: false, isQuoted: true)), at: location)
        default: return YAMLNode(.scalar(.init(text: YAMLText.scalar(value))), at: location)
        }
    }
}
