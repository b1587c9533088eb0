import Foundation
import HomelabCore

/// One push notification and how each service wants it sent. ntfy: POST to the topic URL, the
/// text as body, Title/Priority/Tags headers, `Authorization: Bearer`. Gotify: POST
/// `<server>/message` with `X-Gotify-Key` and a JSON body.
struct PushMessage: Sendable, Equatable {
    enum Service: String, Sendable, CaseIterable {
        case ntfy, gotify
    }

    var service: Service
    var url: String
    var title: String?
    var message: String
    var priority: Int?
    var tags: [String]
    var token: String?

    /// ntfy's names for its 1...5 scale.
    static let ntfyPriorities = ["min": 1, "low": 2, "default": 3, "high": 4, "urgent": 5, "max": 5]

    /// Reads `priority` as a number or one of ntfy's names, within the service's range.
    static func priority(_ value: Value?, for service: Service) throws -> Int? {
        guard let value, value != .null else { return nil }
        let text = value.text.lowercased()
        let number = Int(text) ?? (service == .ntfy ? ntfyPriorities[text] : nil)
        let range = service == .ntfy ? 1...5 : 0...10
        guard let number, range.contains(number) else {
            let names = service == .ntfy ? " or min, low, default, high, urgent" : ""
            throw ActionError("'priority' for \(service.rawValue) must be \(range.lowerBound)-\(range.upperBound)\(names), found '\(value.text)'")
        }
        return number
    }

    func request(trust: WebTrust, timeout: Duration) -> WebRequest {
        switch service {
        case .ntfy:
            var headers: [(String, String)] = [("Content-Type", "text/plain; charset=utf-8")]
            // HTTP headers carry Latin-1 at best; ntfy documents RFC 2047 for UTF-8 titles.
            if let title { headers.append(("Title", Self.headerSafe(title))) }
            if let priority { headers.append(("Priority", String(priority))) }
            if !tags.isEmpty { headers.append(("Tags", tags.joined(separator: ","))) }
            if let token { headers.append(("Authorization", "Bearer \(token)")) }
            return WebRequest(method: "POST", url: url, headers: headers, body: Array(message.utf8), trust: trust, timeout: timeout)
        case .gotify:
            var fields: [(String, Value)] = [("message", .string(message))]
            if let title { fields.append(("title", .string(title))) }
            if let priority { fields.append(("priority", .int(priority))) }
            var headers: [(String, String)] = [("Content-Type", "application/json")]
            if let token { headers.append(("X-Gotify-Key", token)) }
            let base = url.hasSuffix("/") ? String(url.dropLast()) : url
            return WebRequest(
                method: "POST", url: base + "/message", headers: headers, body: Array(JSONWriter.compact(.map(fields)).utf8), trust: trust, timeout: timeout)
        }
    }

    /// ASCII stays; anything else goes as an RFC 2047 encoded word, which ntfy decodes.
    static func headerSafe(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        return "=?UTF-8?B?" + Data(text.utf8).base64EncodedString() + "?="
    }
}
