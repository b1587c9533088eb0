import HomelabCore

/// What a failing action threw, as a step would show it.
enum ActionFailure {
    /// The message of the ActionError `body` throws, and whether it is retryable; nil when it
    /// throws nothing.
    static func of(_ body: () async throws -> Void) async -> (message: String, retryable: Bool)? {
        do {
            try await body()
            return nil
        } catch let error as ActionError {
            return (error.message, error.isRetryable)
        } catch {
            return ("not an ActionError: \(error)", false)
        }
    }
}
