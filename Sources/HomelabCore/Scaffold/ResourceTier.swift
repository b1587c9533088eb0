/// The architecture's resource tiers (pattern 10); generated services take Medium, the
/// default "if uncertain".
public struct ResourceTier: Sendable, Equatable {
    public var name: String
    public var requestCPU: String
    public var requestMemory: String
    public var limitCPU: String
    public var limitMemory: String

    public static let small = ResourceTier(name: "Small", requestCPU: "100m", requestMemory: "256Mi", limitCPU: "500m", limitMemory: "512Mi")
    public static let medium = ResourceTier(name: "Medium", requestCPU: "250m", requestMemory: "512Mi", limitCPU: "1000m", limitMemory: "1Gi")
    public static let large = ResourceTier(name: "Large", requestCPU: "500m", requestMemory: "1Gi", limitCPU: "2000m", limitMemory: "2Gi")
    /// For the wait-for init containers: a shell loop around `nc`, far below any tier.
    public static let waiter = ResourceTier(name: "Waiter", requestCPU: "10m", requestMemory: "16Mi", limitCPU: "100m", limitMemory: "64Mi")

    public var yaml: YAMLText {
        .map([
            "requests": .map(["cpu": .string(requestCPU), "memory": .string(requestMemory)]),
            "limits": .map(["cpu": .string(limitCPU), "memory": .string(limitMemory)]),
        ])
    }
}
