import Foundation

/// The plan's step graph for Graphviz (`dot`) or Mermaid; edges run from a step to the steps
/// that wait for it, so the picture reads in execution order.
public enum PlanGraphRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case dot, mermaid
    }

    public static func render(_ plan: Plan, as format: Format) -> String {
        switch format {
        case .dot: dot(plan)
        case .mermaid: mermaid(plan)
        }
    }

    static func dot(_ plan: Plan) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var out = "digraph \(quoted(plan.runbook)) {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n"
        for (index, wave) in plan.waves.enumerated() {
            out += "  subgraph \(quoted("cluster_wave_\(index + 1)")) {\n    label=\(quoted("wave \(index + 1)"));\n"
            for step in wave {
                var attributes = "label=\(quoted(step.id + "\\n" + step.uses))"
                if step.isDestructive { attributes += ", color=red" }
                if case .skipped = step.status { attributes += ", style=dashed" }
                out += "    \(quoted(step.id)) [\(attributes)];\n"
            }
            out += "  }\n"
        }
        for step in plan.steps {
            for need in step.needs { out += "  \(quoted(need)) -> \(quoted(step.id));\n" }
        }
        return out + "}\n"
    }

    static func mermaid(_ plan: Plan) -> String {
        var ids: [String: String] = [:]
        for (index, step) in plan.steps.enumerated() { ids[step.id] = "s\(index)" }
        func label(_ text: String) -> String { text.replacingOccurrences(of: "\"", with: "#quot;") }
        var out = "flowchart LR\n"
        for step in plan.steps {
            out += "  \(ids[step.id]!)[\"\(label(step.id))<br/>\(label(step.uses))\"]\n"
        }
        for step in plan.steps {
            for need in step.needs { out += "  \(ids[need]!) --> \(ids[step.id]!)\n" }
        }
        let destructive = plan.steps.filter(\.isDestructive).map { ids[$0.id]! }
        if !destructive.isEmpty {
            out += "  classDef destructive stroke:#c00,stroke-width:2px\n  class \(destructive.joined(separator: ",")) destructive\n"
        }
        return out
    }
}
