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

    /// Runs `body`, mapping ProxmoxErrors; other errors pass through.
    static func mapping<T>(_ endpoint: ProxmoxEndpoint, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ProxmoxError {
            throw action(error, endpoint: endpoint)
        } catch let error as ActionError {
            throw ActionError(redacted(error.message, endpoint), retryable: error.isRetryable)
        }
    }

    static func redacted(_ text: String, _ endpoint: ProxmoxEndpoint) -> String {
        guard let equals = endpoint.token.firstIndex(of: "=") else { return text }
        let secret = String(endpoint.token[endpoint.token.index(after: equals)...])
        return secret.count < 4 ? text : text.replacingOccurrences(of: secret, with: "<secret>")
    }
}
