/// Just enough of a terminal to check the live view: text, newlines, carriage returns, cursor up
/// (`ESC[nA`) and clear to the end of the screen (`ESC[J`); colours are dropped. What is left
/// on screen is what the operator sees.
struct TerminalScreen {
    private(set) var lines: [String] = [""]
    private var row = 0

    mutating func feed(_ text: String) {
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            switch character {
            case "\n":
                row += 1
                if row == lines.count { lines.append("") }
            case "\r":
                break // every write starts its lines at column 0 after a clear
            case "\u{1B}":
                guard characters.popFirst() == "[" else { continue }
                var parameter = ""
                while let next = characters.popFirst() {
                    if next.isLetter {
                        apply(next, Int(parameter) ?? 1)
                        break
                    }
                    parameter.append(next)
                }
            default:
                lines[row].append(character)
            }
        }
    }

    private mutating func apply(_ command: Character, _ count: Int) {
        switch command {
        case "A": row = max(0, row - count)
        case "J":
            lines.removeSubrange((row + 1)...)
            lines[row] = ""
        default: break // m: colours
        }
    }

    /// The lines on screen, without the empty one the cursor sits on.
    var text: [String] {
        lines.last == "" ? Array(lines.dropLast()) : lines
    }
}
