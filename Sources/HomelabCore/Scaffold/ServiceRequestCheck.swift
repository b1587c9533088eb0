/// The checks that need nothing but the command line: name, image, size and ports.
public enum ServiceRequestCheck {
    public static func check(_ request: ServiceRequest) throws(ScaffoldError) {
        try ServiceName.check(request.name)
        if let image = request.image { try ImageReference.check(image) }
        if let size = request.storage { try StorageQuantity.check(size) }
        guard (1...65535).contains(request.port) else { throw .invalidPort(option: "--port", value: request.port) }
        if let metrics = request.metricsPort {
            guard (1...65535).contains(metrics) else { throw .invalidPort(option: "--metrics", value: metrics) }
            if metrics == request.port { throw .portClash(metrics) }
        }
        if request.dependsOn.contains(request.name) { throw .dependsOnItself(request.name) }
    }
}
