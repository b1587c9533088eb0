/// Turns the lines curl's header callback delivers into a response head and, after the body,
/// trailers. Interim responses (100 Continue) are dropped; libcurl hands HTTP/2 trailers (and
/// HTTP/1.1 chunked trailers) to the same callback once the body is done.
struct ResponseHeaderParser {
    private var status: Int?
    private var version = ""
    private var reason = ""
    private var fields: [(String, String)] = []
    private(set) var head: HTTPResponseHead?
    private(set) var trailers = HTTPHeaders()

    /// Feeds one line (with or without CRLF); returns the head when this line completed it.
    mutating func consume(_ raw: String) -> HTTPResponseHead? {
        var line = Substring(raw)
        while let last = line.last, last.isNewline { line = line.dropLast() } // "\r\n" is one Character
        if head != nil {
            if let field = Self.field(line) { trailers.add(field.0, field.1) }
            return nil
        }
        if line.hasPrefix("HTTP/") {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            version = parts.first.map { String($0.dropFirst("HTTP/".count)) } ?? ""
            status = parts.count > 1 ? Int(parts[1]) : nil
            reason = parts.count > 2 ? String(parts[2]) : ""
            fields = []
            return nil
        }
        if line.isEmpty {
            guard let status, status >= 200 || status == 101 else {
                self.status = nil
                return nil
            }
            let complete = HTTPResponseHead(status: status, headers: HTTPHeaders(fields), version: version, reason: reason)
            head = complete
            return complete
        }
        if let field = Self.field(line) { fields.append(field) }
        return nil
    }

    private static func field(_ line: Substring) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon].trimmingSpaces
        let value = line[line.index(after: colon)...].trimmingSpaces
        return name.isEmpty ? nil : (name, value)
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
