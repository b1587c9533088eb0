import HomelabTransport

extension HTTPError {
    /// Refused, not in DNS, no route: what a host that is still booting (or whose API daemon is
    /// restarting) looks like.
    var isUnreachable: Bool {
        switch kind {
        case .connectionRefused, .hostNotFound, .connectionFailed: true
        default: false
        }
    }

    /// No answer, but waiting may bring one (an unreachable host, a dropped connection, a
    /// timeout), so a step's retry applies; a TLS failure or a bad request will not pass by
    /// waiting.
    var isWorthWaitingFor: Bool {
        switch kind {
        case .connectionDropped, .timedOut: true
        default: isUnreachable
        }
    }
}
