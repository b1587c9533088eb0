import Foundation

/// Text made safe for the Markdown of `homelab report`: a runbook's error message must not
/// break the table it sits in, nor vanish as an HTML tag (`<secret:name>`).
enum Markdown {
    /// One table cell: one line, pipes escaped, at most `limit` characters.
    static func cell(_ text: String, limit: Int = 100) -> String {
        var line = RunLineFormatter.split(text).first ?? ""
        if RunLineFormatter.split(text).count > 1 { line += " …" }
        if line.count > limit { line = String(line.prefix(limit - 1)) + "…" }
        return escape(line).replacingOccurrences(of: "|", with: "\\|")
    }

    /// Running text: characters Markdown would take as markup are escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]": out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }

    /// A name as code: `talos-vm[cp-1]`, with a longer fence when the name holds a backtick.
    static func code(_ text: String) -> String {
        let fence = text.contains("`") ? "`` " : "`"
        return fence + text + (fence == "`" ? "`" : " ``")
    }

    /// A fenced block that the text cannot close early: the fence is longer than any run of
    /// backticks inside.
    static func block(_ text: String) -> String {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + "text\n" + RunLineFormatter.split(text).joined(separator: "\n") + "\n" + fence + "\n"
    }
}
