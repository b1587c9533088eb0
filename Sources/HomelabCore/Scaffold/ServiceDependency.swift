/// A service the new one depends on, as found in the repository.
public struct ServiceDependency: Sendable, Equatable {
    public var name: String
    /// It has a deployment.yaml: the new pod waits for its Service and may reach its pods. A chart
    /// or config service only orders the Flux apps (its objects are not a Service to wait for).
    public var isWorkload: Bool
    /// The Service port the init container waits on.
    public var servicePort: Int
    /// The pod port (the Service's targetPort, a number or a port name) the NetworkPolicy lets
    /// traffic out to; nil when the Service does not say, and then any port is allowed.
    public var podPort: YAMLText?

    public init(name: String, isWorkload: Bool, servicePort: Int = 80, podPort: YAMLText? = nil) {
        self.name = name
        self.isWorkload = isWorkload
        self.servicePort = servicePort
        self.podPort = podPort
    }
}
