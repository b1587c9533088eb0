import HomelabCore

/// What a Talos step fails with: a TalosError becomes an ActionError with its own text (call,
/// node, the node's words, the hint), retryable exactly when the error table says waiting helps,
/// so the engine's retry covers a node that is still booting and stops at a refusal. Other
/// errors (cancellation, the engine's own) pass through.
enum TalosFailure {
    static func mapped(_ error: any Error) -> any Error {
        guard let error = error as? TalosError else { return error }
        return ActionError(error.description, retryable: error.isRetryable)
    }
}
