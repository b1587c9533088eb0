import HomelabCore

/// `notify`: sends a push notification through ntfy or Gotify ("recovery finished", "approval
/// needed"). Steps that should not reach the family during drills carry `drill: never`.
public struct Notify: Action {
    private let web: any WebClient

    public init(web: any WebClient) {
        self.web = web
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "notify",
            summary: "Send a push notification through ntfy or Gotify.",
            inputs: [
                InputSpec("url", .string, required: true, "ntfy: the topic URL (https://ntfy.sh/my-topic); Gotify: the server URL."),
                InputSpec("message", .string, required: true, "The text of the notification."),
                InputSpec("title", .string, "Its title."),
                InputSpec(
                    "service", .string, default: .string("ntfy"), allowed: PushMessage.Service.allCases.map(\.rawValue),
                    "Which push service the URL belongs to."),
                InputSpec("priority", .any, "ntfy: 1-5 or min/low/default/high/urgent; Gotify: 0-10."),
                InputSpec("tags", .list, "ntfy tags (emoji short codes such as warning or white_check_mark)."),
                InputSpec("token", .string, "Access token (ntfy) or application token (Gotify); pass it as ${secrets.NAME}."),
                InputSpec("request-timeout", .duration, default: .string("15s"), "Limit for the request."),
            ] + TrustInputs.specs,
            outputs: [OutputSpec("id", "The id the service gave the message.")],
            idempotent: true
        )
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let message = try Self.message(call)
        let timeout = try call.duration(defaulted: "request-timeout")
        let response = try await web.fetch(message.request(trust: try TrustInputs.trust(call), timeout: timeout))
        guard (200...299).contains(response.status) else {
            throw ActionError(
                "\(message.service.rawValue) at \(message.url) refused the notification: status \(response.status)\(Self.reason(response))\(Self.advice(response.status))",
                retryable: response.status >= 500 || response.status == 429)
        }
        return ["id": .string(Self.id(in: response))]
    }

    public func describe(_ inputs: [String: Value]) -> String {
        "push '\(inputs["title"]?.text ?? inputs["message"]?.text ?? "")' to \(inputs["service"]?.text ?? "ntfy")"
    }

    static func message(_ call: ActionCall) throws -> PushMessage {
        guard let url = call.string("url"), !url.isEmpty else { throw ActionError("'url' is empty") }
        guard let service = PushMessage.Service(rawValue: call.string("service") ?? "") else {
            throw ActionError("'service' must be ntfy or gotify, found '\(call.string("service") ?? "")'")
        }
        var tags: [String] = []
        if case .list(let items)? = call.inputs["tags"] { tags = items.map(\.text) }
        let title = call.string("title").flatMap { $0.isEmpty ? nil : $0 }
        let token = call.string("token").flatMap { $0.isEmpty ? nil : $0 }
        return PushMessage(
            service: service, url: url, title: title, message: call.string("message") ?? "",
            priority: try PushMessage.priority(call.inputs["priority"], for: service), tags: tags, token: token)
    }

    /// Both services answer errors as JSON with an `error` (and Gotify an `errorDescription`).
    static func reason(_ response: WebResponse) -> String {
        guard let object = try? JSONParser.parse(response.text), case .map(let pairs) = object else {
            let excerpt = ResponseExpectation.excerpt(response.text)
            return excerpt.isEmpty ? "" : " (\(excerpt))"
        }
        let fields = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        let text = fields["errorDescription"]?.text ?? fields["error"]?.text ?? ""
        return text.isEmpty ? "" : " (\(text))"
    }

    static func advice(_ status: Int) -> String {
        switch status {
        case 401, 403: "; check the token (a secret) and that it may publish here"
        case 404: "; check the URL (ntfy: the topic URL; Gotify: the server URL)"
        default: ""
        }
    }

    static func id(in response: WebResponse) -> String {
        guard let object = try? JSONParser.parse(response.text), case .map(let pairs) = object,
            let id = pairs.first(where: { $0.0 == "id" })?.1
        else { return "" }
        return id.text
    }
}
