/// The client side of a configured node's mutual TLS, as a talosconfig context holds it: the OS
/// CA (`ca`), an `os:admin` client certificate (`crt`, extended key usage clientAuth only) and its
/// Ed25519 key (`key`, PEM labelled `ED25519 PRIVATE KEY` as talosctl writes it; kept in memory).
/// The talosconfig reader builds it; `TalosIdentity(ca:certificate:key:)`.
public typealias TalosIdentity = MutualTLSCredentials
