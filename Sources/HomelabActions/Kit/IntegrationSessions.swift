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
    /// Ends what `open` kept open (a shared SSH login); called however the body ended,
    /// cancelled included.
    func close(_ session: Session) async
}

extension IntegrationSessions {
    func close(_ session: Session) async {}

    func within<T>(_ target: Target, context: any ActionContext, _ body: (Session) async throws -> T) async throws -> T {
        do {
            let session = try await open(target, context: context)
            do {
                let result = try await body(session)
                await close(session)
                return result
            } catch {
                await close(session)
                throw error
            }
        } catch {
            throw failure(error, target: target)
        }
    }
}
