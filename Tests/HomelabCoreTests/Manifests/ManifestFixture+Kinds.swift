/// A chart service and a config service that validate clean: the deployment-level rules must
/// stay silent for them.
extension ManifestFixture {
    static let chart: [String: String] = [
        "helm-repository.yaml": """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: HelmRepository
        metadata:
          name: jetstack
          labels:
            app: cert-manager
            managed-by: flux
        spec:
          interval: 24h
          url: https://charts.jetstack.io

        """,
        "helm-release.yaml": """
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: cert-manager
          labels:
            app: cert-manager
            managed-by: flux
        spec:
          interval: 1h
          chart:
            spec:
              chart: cert-manager
              version: v1.19.2
              sourceRef:
                kind: HelmRepository
                name: jetstack
          values:
            crds:
              enabled: true

        """,
        "README.md": """
        # cert-manager

        ## Dependencies

        None.

        ## Configuration

        CRDs installed by the chart.

        ## Resources

        The chart's defaults.

        ## Chart

        cert-manager v1.19.2 from https://charts.jetstack.io

        """,
    ]

    static let config: [String: String] = [
        "cluster-issuer-letsencrypt-prod.yaml": """
        apiVersion: cert-manager.io/v1
        kind: ClusterIssuer
        metadata:
          name: letsencrypt-prod
          labels:
            app: cert-manager-issuers
            managed-by: flux
        spec:
          acme:
            server: https://acme-v02.api.letsencrypt.org/directory
            privateKeySecretRef:
              name: letsencrypt-prod-account
            solvers:
              - http01:
                  ingress:
                    ingressClassName: traefik

        """,
        "README.md": """
        # cert-manager-issuers

        ## Dependencies

        cert-manager.

        ## Configuration

        The letsencrypt-prod ClusterIssuer.

        ## Resources

        None.

        """,
    ]
}
