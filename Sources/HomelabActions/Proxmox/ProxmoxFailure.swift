import Foundation
import HomelabCore

/// Turns a ProxmoxError into the ActionError a step fails with: the error's own text (call,
/// server message, task log, hint), retryable when waiting may help, never the token's secret.
enum ProxmoxFailure {
    static func action(_ error: ProxmoxError, endpoint: ProxmoxEndpoint) -> ActionError {
        ActionError(redacted(error.description, endpoint), retryable: isRetryable(error))
    }

    static func isRetryable(_ error: ProxmoxError) -> Bool {
        switch error.kind {
        case .transient, .locked, .deadline, .agentNotReady: true
        case .taskFailed(let exit): exit.contains("got timeout") || exit.contains("can't lock file")
        // A stale digest: someone changed the config meanwhile; the next attempt re-reads it.
        default: error.message.contains("checksum mismatch")
        }
    }

    /// The error a step fails with: ProxmoxErrors become ActionErrors, ActionErrors lose any
    /// secret; other errors (cancellation) pass through.
    static func mapped(_ error: any Error, endpoint: ProxmoxEndpoint) -> any Error {
        switch error {
        case let error as ProxmoxError: action(error, endpoint: endpoint)
        case let error as ActionError: ActionError(redacted(error.message, endpoint), retryable: error.isRetryable)
        default: error
        }
    }

    static func redacted(_ text: String, _ endpoint: ProxmoxEndpoint) -> String {
        guard let equals = endpoint.token.firstIndex(of: "=") else { return text }
        let secret = String(endpoint.token[endpoint.token.index(after: equals)...])
        return secret.count < 4 ? text : text.replacingOccurrences(of: secret, with: "<secret>")
    }
}
