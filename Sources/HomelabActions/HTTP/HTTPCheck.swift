import HomelabCore

/// `http.check`: waits until a URL answers as expected, for verification steps ("is Nextcloud
/// back?"). Transport errors and unexpected answers are retried until `wait` runs out.
public struct HTTPCheck: Action {
    private let web: any WebClient

    public init(web: any WebClient) {
        self.web = web
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "http.check",
            summary: "Wait until a URL answers with the expected status (and body text).",
            inputs: [
                InputSpec("url", .string, required: true, resource: .address, "The URL to ask."),
                InputSpec("method", .string, default: .string("GET"), allowed: ["GET", "HEAD", "POST", "PUT"], "HTTP method."),
                InputSpec("headers", .map, "Request headers (a token belongs in ${secrets.NAME})."),
                InputSpec("body", .string, "Request body."),
                InputSpec("expect-status", .any, default: .int(200), "Expected status: a code, a class such as 2xx, or a list of them."),
                InputSpec("contains", .string, "Text the response body must contain."),
                InputSpec("wait", .duration, default: .string("5m"), "How long to keep asking before the step fails."),
                InputSpec("interval", .duration, default: .string("5s"), "Pause between attempts."),
                InputSpec("request-timeout", .duration, default: .string("10s"), "Limit for one request."),
            ] + TrustInputs.specs,
            outputs: [
                OutputSpec("status", "The status of the answer that met the expectation."),
                OutputSpec("body", "Its body (at most 1 MiB, as text)."),
                OutputSpec("attempts", "How many requests it took."),
            ],
            idempotent: true
        )
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        guard let url = call.string("url"), !url.isEmpty else { throw ActionError("'url' is empty") }
        let expectation = try ResponseExpectation.parse(call.inputs["expect-status"], contains: call.string("contains"))
        let wait = try call.duration(defaulted: "wait")
        let interval = try call.duration(defaulted: "interval")
        var request = WebRequest(
            method: call.string("method") ?? "", url: url, trust: try TrustInputs.trust(call), timeout: try call.duration(defaulted: "request-timeout"))
        if case .map(let pairs)? = call.inputs["headers"] { request.headers = pairs.map { ($0.0, $0.1.text) } }
        request.body = Array((call.string("body") ?? "").utf8)

        var budget = PollBudget(wait, every: interval, clock: context.clock)
        var attempts = 0
        var lastProblem = "no answer yet"
        while true {
            attempts += 1
            do {
                let response = try await web.fetch(request)
                guard let problem = expectation.mismatch(response) else {
                    return ["status": .int(response.status), "body": .string(response.text), "attempts": .int(attempts)]
                }
                lastProblem = problem
            } catch let error as CancellationError {
                throw error
            } catch {
                lastProblem = "\(error)"
            }
            if budget.canPause && (attempts == 1 || attempts % 6 == 0) {
                context.report("\(url): \(lastProblem); asking again every \(DurationText.format(interval))")
            }
            guard try await budget.pause(context: context) else { break }
        }
        throw ActionError(
            "\(url) did not answer with \(expectation.summary) within \(DurationText.format(wait)) (\(attempts) attempts); last: \(lastProblem)",
            retryable: true)
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let expectation = (try? ResponseExpectation.parse(inputs["expect-status"], contains: inputs["contains"]?.text)) ?? ResponseExpectation()
        return "ask \(inputs["url"]?.text ?? "the URL") until it answers with \(expectation.summary)"
    }
}
