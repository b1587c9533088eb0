import Foundation

@testable import HomelabActions

/// The real API's schema (lab/proxmox/apidata.json, from pve-docs 9.1): finds a request's
/// method on its path template and checks every parameter's name and type against it.
struct ProxmoxSchema {
    struct Property {
        var type: String
        var enumeration: [String]?
    }

    /// "GET /nodes/{node}/qemu" -> parameters.
    private var methods: [String: [String: Property]] = [:]
    private var templates: [[String]] = []

    init(contentsOf url: URL) throws {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        for node in root as? [[String: Any]] ?? [] { index(node) }
    }

    static func bundled() throws -> ProxmoxSchema {
        let here = URL(fileURLWithPath: #filePath)
        let repository = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return try ProxmoxSchema(contentsOf: repository.appendingPathComponent("lab/proxmox/apidata.json"))
    }

    var count: Int { methods.count }

    private mutating func index(_ node: [String: Any]) {
        if let path = node["path"] as? String, let info = node["info"] as? [String: Any] {
            templates.append(Self.segments(path))
            for (method, description) in info {
                let parameters = ((description as? [String: Any])?["parameters"] as? [String: Any])?["properties"] as? [String: Any] ?? [:]
                methods["\(method) \(path)"] = parameters.compactMapValues { value in
                    guard let property = value as? [String: Any] else { return nil }
                    return Property(
                        type: property["type"] as? String ?? "string",
                        enumeration: (property["enum"] as? [Any])?.map { "\($0)" })
                }
            }
        }
        for child in node["children"] as? [[String: Any]] ?? [] { index(child) }
    }

    private static func segments(_ path: String) -> [String] { path.split(separator: "/").map(String.init) }

    /// Everything wrong with a request, empty when the real API would accept its shape.
    func problems(_ request: ProxmoxRequest) -> [String] {
        // The most literal template wins (`/qemu/{vmid}/config` over a `{...}` sibling).
        let candidates = templates.filter { Self.matches($0, request.path) }
        guard let template = candidates.max(by: { $0.filter { !$0.hasPrefix("{") }.count < $1.filter { !$0.hasPrefix("{") }.count }) else {
            return ["\(request.call): no such path in the API"]
        }
        let key = "\(request.method) /" + template.joined(separator: "/")
        guard let properties = methods[key] else { return ["\(key): the API has no \(request.method) here"] }
        var problems: [String] = []
        for (name, value) in request.parameters.sorted(by: { $0.key < $1.key }) {
            guard let property = properties[name] ?? properties[Self.numbered(name)] else {
                problems.append("\(key): unknown parameter '\(name)'")
                continue
            }
            if let complaint = Self.typeProblem(value, property) { problems.append("\(key): '\(name)' \(complaint)") }
        }
        // Path parameters must be in the schema too, and their values must fit.
        for (segment, part) in zip(template, request.path) where segment.hasPrefix("{") {
            let name = String(segment.dropFirst().dropLast())
            guard let property = properties[name] else {
                problems.append("\(key): path parameter \(name) not in schema")
                continue
            }
            let value: ProxmoxValue = property.type == "integer" ? (Int(part).map(ProxmoxValue.int) ?? .string(part)) : .string(part)
            if let complaint = Self.typeProblem(value, property) { problems.append("\(key): path '\(name)' \(complaint)") }
        }
        return problems
    }

    private static func matches(_ template: [String], _ path: [String]) -> Bool {
        template.count == path.count && zip(template, path).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }

    /// `net0` -> `net[n]`.
    static func numbered(_ name: String) -> String {
        let stem = name.reversed().drop(while: \.isNumber).reversed()
        return stem.count < name.count ? String(stem) + "[n]" : name
    }

    /// JSON and form values as pve-common's JSONSchema checks them: a string takes any scalar
    /// but a JSON boolean; integers, numbers and booleans take their own kind only.
    static func typeProblem(_ value: ProxmoxValue, _ property: Property) -> String? {
        switch (property.type, value) {
        case ("integer", .int), ("number", .int), ("boolean", .bool), ("string", .string), ("string", .int): break
        default: return "is \(value) but the API wants \(property.type)"
        }
        if let allowed = property.enumeration, !allowed.isEmpty, !allowed.contains(value.description) {
            return "is '\(value)', not one of \(allowed)"
        }
        return nil
    }
}
