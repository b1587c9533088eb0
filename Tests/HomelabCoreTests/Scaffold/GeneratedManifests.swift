import HomelabCore
import Testing

/// Generated files parsed back with the project's YAML loader, by path.
struct GeneratedManifests {
    let files: [ScaffoldFile]
    let documents: [String: YAMLNode]

    init(_ files: [ScaffoldFile]) {
        self.files = files
        var documents: [String: YAMLNode] = [:]
        for file in files where file.path.hasSuffix(".yaml") {
            let (node, diagnostics) = YAMLLoader().load(text: file.text, file: file.path)
            #expect(diagnostics.isEmpty, "\(file.path): \(diagnostics.sorted.map(\.rendered))\n\(file.text)")
            documents[file.path] = node
        }
        self.documents = documents
    }

    var paths: [String] { files.map(\.path) }

    subscript(path: String) -> YAMLNode? { documents[path] }

    func text(_ path: String) -> String? { files.first { $0.path == path }?.text }
}

extension YAMLNode {
    /// Follows keys and list indexes: `node.at("spec", "ports", 0, "name")`.
    func at(_ steps: Any...) -> YAMLNode? {
        var node: YAMLNode? = self
        for step in steps {
            if let key = step as? String {
                node = node?[key]
            } else if let index = step as? Int, let items = node?.sequence, items.indices.contains(index) {
                node = items[index]
            } else {
                return nil
            }
        }
        return node
    }
}
