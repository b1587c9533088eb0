import HomelabTransport

/// Turns what the transport or a node said into a TalosError, by the reference's table: a status
/// that passes with time is `notReady`, a refusal that will not is permanent, and Bootstrap's
/// ALREADY_EXISTS is its own kind. A server's status is classified the same whether it ended the
/// call or came inside a reply's per-node envelope (`metadata.error` with grpc-status OK).
enum TalosErrorClassifier {
    /// A call that did not end with OK.
    static func from(_ error: GRPCError, call: String, target: TalosTarget) -> TalosError {
        if error.origin == .client, let failure = error.underlying as? HTTPError {
            return from(failure, code: error.code, call: call, target: target)
        }
        let kind =
            error.origin == .server
            ? classify(error.code, message: error.message, call: call)
            : clientSide(error.code)
        return TalosError(
            kind, call: call, node: target.description, code: error.code, message: error.message, hint: hint(kind, message: error.message, target: target))
    }

    /// An entry of a reply whose envelope carries an error for the node.
    static func from(envelope metadata: Common_Metadata, call: String, target: TalosTarget) -> TalosError {
        let code = metadata.hasStatus ? GRPCStatusCode(rawValue: Int(metadata.status.code)) ?? .unknown : .unknown
        let message = metadata.error.isEmpty ? metadata.status.message : metadata.error
        let kind = classify(code, message: message, call: call)
        let node = metadata.hostname.isEmpty ? target.description : "\(metadata.hostname) (\(target.description))"
        return TalosError(kind, call: call, node: node, code: code, message: message, hint: hint(kind, message: message, target: target))
    }

    /// A status a node sent, by code and, where the table needs it, by message.
    static func classify(_ code: GRPCStatusCode, message: String, call: String) -> TalosError.Kind {
        let text = message.lowercased()
        switch code {
        case .unavailable, .cancelled, .deadlineExceeded, .aborted:
            return .notReady
        case .failedPrecondition:
            // "Talos is not installed" / "machine is not installed" will not pass by waiting; the
            // others (bootstrap not available yet, time not in sync, etcd not ready for recovery,
            // another apply in progress, already applied and rebooting) do.
            return text.contains("not installed") ? .fatal : .notReady
        case .unimplemented:
            return text.contains("machine type is not set") ? .notConfigured : .notServed
        case .alreadyExists:
            return call == "Bootstrap" ? .alreadyBootstrapped : .fatal
        case .permissionDenied, .unauthenticated:
            return .denied
        case .invalidArgument, .outOfRange:
            return .invalid
        case .unknown:
            // etcd's own client errors come back untyped while etcd is starting (no leader yet).
            return call.hasPrefix("Etcd") ? .notReady : .fatal
        default:
            return .fatal
        }
    }

    /// A status decided on this side without a transport failure (a deadline, a cancellation).
    private static func clientSide(_ code: GRPCStatusCode) -> TalosError.Kind {
        switch code {
        case .deadlineExceeded, .cancelled, .unavailable: .notReady
        default: .fatal
        }
    }

    /// No gRPC answer: the exchange itself failed.
    private static func from(_ failure: HTTPError, code: GRPCStatusCode, call: String, target: TalosTarget) -> TalosError {
        let kind: TalosError.Kind
        switch failure.kind {
        case .pinMismatch, .tlsVerificationFailed, .tlsHandshakeFailed:
            kind = .certificate
        // curl 16/92: an HTTP/2 framing error or RST_STREAM. grpc-go (like grpcio) answers some
        // calls from the headers and resets the stream before reading the request; a node
        // restarting apid resets streams too. Both pass by asking again.
        case .transport(let curl, _) where curl == 16 || curl == 92:
            kind = .notReady
        case _ where failure.isWorthWaitingFor:
            kind = .notReady
        default:
            kind = .fatal
        }
        return TalosError(
            kind, call: call, node: target.description, code: code, message: "\(failure)", hint: hint(kind, message: "\(failure)", target: target))
    }

    static func hint(_ kind: TalosError.Kind, message: String, target: TalosTarget) -> String? {
        let text = message.lowercased()
        switch kind {
        case .notReady:
            return "The node is not ready yet (booting, rebooting, restarting its API or a service); asking again later may succeed."
        case .notConfigured:
            return "The node has no machine config yet: apply one first (talos.apply-config)."
        case .alreadyBootstrapped:
            return "etcd on this node already has data: the cluster was bootstrapped before (or the node joined it). Bootstrapping again is not needed."
        case .denied where text.contains("no request forwarding"):
            return "Only control-plane nodes forward calls to other nodes: use a control-plane endpoint, or call the node directly."
        case .denied where target.isMaintenance:
            return "In maintenance mode a client gets the os:reader role only; this call needs the node configured and the talosconfig's os:admin certificate."
        case .denied:
            return "The client certificate's roles (its O= values) do not allow this call: use the talosconfig's os:admin certificate."
        case .invalid:
            return "The node refused the request as invalid (a machine config that does not validate?); sending it unchanged will fail again."
        case .notServed where text.contains("control plane"):
            return "This call is only served by control-plane nodes."
        case .notServed where target.isMaintenance:
            return "In maintenance mode a node serves ApplyConfiguration, Version and read-only calls; apply a machine config first."
        case .notServed:
            return "This node does not offer the call; check the node and its Talos version."
        case .certificate where target.isMaintenance:
            return "A node that asks for a client certificate is configured already (not in maintenance mode): talk to it with the talosconfig's "
                + "certificate. Otherwise check the pinned fingerprint against the node's console."
        case .certificate:
            return "Check that the talosconfig's ca is this cluster's OS CA, that the endpoint's address is in the node's certificate "
                + "(machine.certSANs), and that the client certificate comes from the same CA with extended key usage clientAuth only."
        case .fatal:
            return nil
        }
    }
}
