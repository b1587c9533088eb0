import Foundation

/// Just enough XML for S3's answers (error bodies, ListObjectsV2, multipart replies): flat
/// elements with text, read by tag name. S3's replies are machine-written and shallow; a full
/// parser would buy nothing here.
enum S3XML {
    /// The text of the first `<tag>` in `xml`, entities decoded; nil when absent.
    static func text(_ tag: String, in xml: Substring) -> String? {
        guard let open = xml.range(of: "<\(tag)>") else {
            // `<Tag/>`: present and empty.
            return xml.range(of: "<\(tag)/>") == nil ? nil : ""
        }
        guard let close = xml[open.upperBound...].range(of: "</\(tag)>") else { return nil }
        return decode(xml[open.upperBound..<close.lowerBound])
    }

    static func text(_ tag: String, in xml: String) -> String? { text(tag, in: xml[...]) }

    /// Every `<tag>...</tag>` element's inner XML, in order.
    static func elements(_ tag: String, in xml: String) -> [Substring] {
        var found: [Substring] = []
        var rest = xml[...]
        while let open = rest.range(of: "<\(tag)>"), let close = rest[open.upperBound...].range(of: "</\(tag)>") {
            found.append(rest[open.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// An ISO 8601 time as S3 writes them (`2026-12-07T03:00:00.000Z`, with or without the
    /// fraction).
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// Text for an element (keys may hold `&`, `<`).
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    static func decode(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                if entity.hasPrefix("#x"), let code = UInt32(entity.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(code) {
                    out.unicodeScalars.append(scalar)
                } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(code) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += rest[amp...semi]
                }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
