import HomelabCore

/// The opening every integration action shares: open a session to the endpoint the step's
/// inputs resolved to, run the action's body in it, and turn the integration's own errors
/// (connecting included) into what the step fails with. So an action's `probe` and `run` start
/// with one line: `try await sessions.within(inputs, context: context) { session in ... }`.
protocol IntegrationSessions: Sendable {
    /// The resolved inputs a session is opened for (endpoint, credentials).
    associatedtype Target: Sendable
    associatedtype Session: Sendable

    func open(_ target: Target, context: any ActionContext) async throws -> Session
    /// The error a step fails with instead of `error` (redacted, retryable when waiting may
    /// help); errors the integration does not know pass through unchanged.
    func failure(_ error: any Error, target: Target) -> any Error
}

extension IntegrationSessions {
    func within<T>(_ target: Target, context: any ActionContext, _ body: (Session) async throws -> T) async throws -> T {
        do {
            return try await body(try await open(target, context: context))
        } catch {
            throw failure(error, target: target)
        }
    }
}
