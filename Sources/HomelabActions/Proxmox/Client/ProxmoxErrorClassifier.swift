import Foundation
import HomelabTransport

/// Turns what the server or the transport said into a classified ProxmoxError. The reason phrase
/// carries the error's first line (older hosts send nothing else), then the body's `message`
/// (libpve-http-server-perl >= 5.2.0), then `errors` (parameter -> text).
enum ProxmoxErrorClassifier {
    static func from(_ reply: ProxmoxReply, request: ProxmoxRequest, tokenID: String?) -> ProxmoxError {
        let message = text(of: reply)
        let kind = classify(status: reply.status, message: message, isAgentCall: request.path.contains("agent"))
        return ProxmoxError(
            kind, call: request.call, status: reply.status, message: message,
            hint: hint(kind, request: request, tokenID: tokenID))
    }

    /// The server's words: reason phrase, full message, then each parameter's complaint.
    static func text(of reply: ProxmoxReply) -> String {
        let reason = clean(reply.reason)
        var message = ""
        var errors: [(String, String)] = []
        if let json = ProxmoxJSON.parse(reply.body) {
            message = clean(json["message"].text ?? "")
            errors = json["errors"].members.compactMap { key, value in value.text.map { (key, clean($0)) } }
                .sorted { $0.0 < $1.0 }
        } else if !reply.body.isEmpty {
            message = clean(String(decoding: reply.body.prefix(1024), as: UTF8.self))
        }
        var text = reason
        if !message.isEmpty && message != reason {
            text = reason.isEmpty || message.hasPrefix(reason) ? message : "\(reason): \(message)"
        }
        if !errors.isEmpty {
            let list = errors.map { "\($0.0): \($0.1)" }.joined(separator: "; ")
            text = text.isEmpty ? list : "\(text) (\(list))"
        }
        return text.isEmpty ? "HTTP \(reply.status) without a reason" : text
    }

    private static func clean(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func classify(status: Int, message: String, isAgentCall: Bool) -> ProxmoxError.Kind {
        let text = message.lowercased()
        if status == 401 { return .unauthorized }
        if status == 403 { return .forbidden }
        if (595...599).contains(status) { return .transient }
        if text.contains("got no worker upid") || text.contains("starting worker failed") || text.contains("got timeout") {
            return .transient
        }
        if let lock = lockName(in: message) { return .locked(lock) }
        if text.contains("already exists") { return .exists }
        if text.contains("does not exist") || status == 404 { return .doesNotExist }
        if text.contains("already running") { return .alreadyRunning }
        if isAgentCall
            && (text.contains("guest agent is not running") || text.contains("no qemu guest agent configured")
                || text.contains("is not running"))
        {
            return .agentNotReady
        }
        return .fatal
    }

    /// `VM is locked (clone)` -> `clone`.
    static func lockName(in message: String) -> String? {
        guard let start = message.range(of: "VM is locked (", options: .caseInsensitive),
            let end = message[start.upperBound...].firstIndex(of: ")")
        else { return nil }
        return String(message[start.upperBound..<end])
    }

    static func hint(_ kind: ProxmoxError.Kind, request: ProxmoxRequest, tokenID: String?) -> String? {
        let token = tokenID.map { "'\($0)'" } ?? "the API token"
        let path = "/" + request.path.joined(separator: "/")
        switch kind {
        case .unauthorized:
            return "The host refused \(token). Check the secret the step passes as 'token' (USER@REALM!TOKENID=SECRET), that the token exists "
                + "(`pveum user token list <user>` on the host), and that its privileges cover \(path) "
                + "(with privilege separation, grant the ACL to the token itself too)."
        case .forbidden:
            return "\(token) lacks a privilege for \(request.call): grant it on the host (`pveum acl modify`); with "
                + "privilege separation the token needs the ACL as well as its user."
        case .locked(let lock):
            return "Another operation holds the VM (lock '\(lock)'); wait for its task to end, then run again."
        default:
            return nil
        }
    }

    /// No answer at all: dropped, refused, timed out, or a certificate that is not the pinned one.
    static func from(_ error: HTTPError, request: ProxmoxRequest) throws -> ProxmoxError {
        switch error.kind {
        case .cancelled:
            throw CancellationError()
        case .pinMismatch(let expected, let actual):
            return ProxmoxError(CertificateTrustError(service: .proxmoxAPI, url: error.url, problem: .refused(presented: actual, expected: expected)))
        case _ where error.isWorthWaitingFor:
            // A host still booting (or whose pveproxy restarts) is worth the step's retry.
            return ProxmoxError(
                .transient, call: request.call, message: "no answer: \(error)",
                hint: error.isUnreachable ? TrustedService.proxmoxAPI.unreachableHint : nil)
        default:
            return ProxmoxError(.fatal, call: request.call, message: "\(error)")
        }
    }
}
