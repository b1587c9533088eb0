import Foundation
import HomelabActions
import HomelabTransport
import SwiftProtobuf
import Synchronization

/// A TalosTransport that answers from a script, per method name, and records every call: its
/// path, metadata, deadline and request messages (as bytes). Stream handlers are driven the way
/// GRPCClient drives them: a handler's own error ends the call as CANCELLED carrying it.
final class ScriptedTalosTransport: TalosTransport {
    struct Call: Sendable {
        var path: String
        var metadata: [GRPCMetadata.Entry]
        var timeout: Duration?
        var requests: [[UInt8]]

        /// The text values sent under `key`.
        func values(_ key: String) -> [String] {
            metadata.filter { $0.key == key }.compactMap { if case .text(let text) = $0.value { text } else { nil } }
        }
    }

    /// Replies (encoded) and how the call ends: OK when `end` is nil.
    struct Answer: Sendable {
        var replies: [[UInt8]]
        var end: GRPCError?

        static func reply(_ messages: any Message..., end: GRPCError? = nil) -> Answer {
            Answer(replies: messages.map { [UInt8]((try? $0.serializedData()) ?? Data()) }, end: end)
        }

        static func failing(_ error: GRPCError) -> Answer { Answer(replies: [], end: error) }
    }

    private let script: Mutex<[String: Answer]>
    private let recorded = Mutex<[Call]>([])

    init(_ script: [String: Answer] = [:]) {
        self.script = Mutex(script)
    }

    var calls: [Call] { recorded.withLock { $0 } }

    func answer(_ method: String, with answer: Answer) {
        script.withLock { $0[method] = answer }
    }

    private func record(_ method: GRPCMethod, _ options: GRPCCallOptions, _ requests: [[UInt8]]) -> Answer {
        recorded.withLock { $0.append(Call(path: method.path, metadata: options.metadata.entries, timeout: options.timeout, requests: requests)) }
        return script.withLock { $0[method.method] } ?? .failing(Self.error(.unimplemented, "no script for \(method.method)", method))
    }

    static func error(_ code: GRPCStatusCode, _ message: String, _ method: GRPCMethod, origin: GRPCError.Origin = .server, underlying: (any Error)? = nil)
        -> GRPCError
    {
        GRPCError(code: code, message: message, method: method.path, endpoint: "https://scripted:50000", origin: origin, underlying: underlying)
    }

    func unary<Request: Message, Response: Message>(
        _ method: GRPCMethod, _ request: Request, returning: Response.Type, options: GRPCCallOptions
    ) async throws(GRPCError) -> Response {
        let answer = record(method, options, [Self.bytes(request)])
        if let end = answer.end { throw end }
        return try Self.decode(answer.replies.first ?? [], method)
    }

    func serverStreaming<Request: Message, Response: Message>(
        _ method: GRPCMethod, _ request: Request, returning: Response.Type, options: GRPCCallOptions,
        each: @escaping @Sendable (Response) async throws -> Void
    ) async throws(GRPCError) {
        let answer = record(method, options, [Self.bytes(request)])
        for reply in answer.replies {
            let response: Response = try Self.decode(reply, method)
            do {
                try await each(response)
            } catch {
                throw Self.error(.cancelled, "the handler failed", method, origin: .client, underlying: error)
            }
        }
        if let end = answer.end { throw end }
    }

    func clientStreaming<Request: Message, Response: Message>(
        _ method: GRPCMethod, returning: Response.Type, options: GRPCCallOptions,
        requests: @escaping @Sendable (TalosRequestSink<Request>) async throws -> Void
    ) async throws(GRPCError) -> Response {
        let sent = Mutex<[[UInt8]]>([])
        do {
            try await requests(TalosRequestSink { request in sent.withLock { $0.append(Self.bytes(request)) } })
        } catch {
            throw Self.error(.cancelled, "the request writer failed", method, origin: .client, underlying: error)
        }
        let answer = record(method, options, sent.withLock { $0 })
        if let end = answer.end { throw end }
        return try Self.decode(answer.replies.first ?? [], method)
    }

    private static func bytes(_ message: some Message) -> [UInt8] {
        [UInt8]((try? message.serializedData()) ?? Data())
    }

    private static func decode<Response: Message>(_ bytes: [UInt8], _ method: GRPCMethod) throws(GRPCError) -> Response {
        do {
            return try Response(serializedBytes: bytes)
        } catch {
            throw Self.error(.internal, "undecodable scripted reply", method, origin: .client)
        }
    }
}
