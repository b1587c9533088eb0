/// The transports of homelab: HTTP and gRPC over libcurl, SSH over libssh2. C types stay here.
public enum HomelabTransport {}
