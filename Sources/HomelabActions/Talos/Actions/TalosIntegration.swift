import HomelabCore

/// The Talos integration: each node's apid over gRPC (libcurl, HTTP/2), and the `talos.*`
/// actions that take fresh VMs to a healthy cluster, back up and recover etcd, and reset nodes.
public enum TalosIntegration: Integration {
    public static func live(_ settings: LiveSettings) -> any TalosConnecting {
        LiveTalosConnector(trust: settings.trust)
    }

    public static var unavailable: any TalosConnecting { NoTalos() }

    public static func actions(_ talos: any TalosConnecting) -> [any Action] {
        [
            TalosSecrets(), TalosApplyConfig(talos: talos), TalosBootstrap(talos: talos), TalosEtcdSnapshot(talos: talos),
            TalosKubeconfig(talos: talos), TalosHealth(talos: talos), TalosVersion(talos: talos), TalosReset(talos: talos),
        ]
    }
}

/// For contexts without Talos nodes (tests of other actions): every connection is refused.
public struct NoTalos: TalosConnecting {
    public init() {}

    public func connect(_ target: TalosTarget, context: any ActionContext) async throws -> TalosClient {
        throw TalosError(.fatal, call: "connect", node: target.description, message: "no Talos connection is available here")
    }
}
