/// One RPC of a service, named as in its .proto: `GRPCMethod(service: "machine.MachineService",
/// method: "Version")` is called at `/machine.MachineService/Version`.
public struct GRPCMethod: Sendable, Hashable, CustomStringConvertible {
    /// The fully qualified service name: proto package, a dot, the service.
    public let service: String
    public let method: String

    public init(service: String, method: String) {
        self.service = service
        self.method = method
    }

    /// The HTTP/2 `:path` of the call.
    public var path: String { "/\(service)/\(method)" }

    public var description: String { path }
}
