import Foundation
import HomelabCore

/// How a Talos action reaches a node: the connector (live or a double) for one target, and the
/// step's error for what goes wrong, connecting included. A TalosError keeps its own text (call,
/// node, the node's words, a hint) and is retryable when the table says waiting may help; file
/// errors name the file and key, never a value.
struct TalosSessions: IntegrationSessions {
    let connector: any TalosConnecting

    func open(_ target: TalosTarget, context: any ActionContext) async throws -> TalosClient {
        try await connector.connect(target, context: context)
    }

    func failure(_ error: any Error, target: TalosTarget) -> any Error {
        Self.mapped(error)
    }

    static func mapped(_ error: any Error) -> any Error {
        switch error {
        case let error as TalosError: TalosFailure.mapped(error)
        case let error as TalosFileError: ActionError("\(error)")
        case let error as EtcdSnapshotFile.Failure: ActionError(error.description)
        case let error as PrivateFile.Failure: ActionError(error.description)
        case let error as EndpointInputError: ActionError(error.description)
        default: error
        }
    }

    /// `body` with every Talos error turned into the step's error (for work outside a session:
    /// loading files before connecting).
    static func mapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw mapped(error)
        }
    }
}
