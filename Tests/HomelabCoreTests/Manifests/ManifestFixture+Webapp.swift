/// The known-good workload every rule test starts from.
extension ManifestFixture {
    static let webapp: [String: String] = [
        "deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: webapp
          labels:
            app: webapp
            managed-by: flux
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: webapp
          template:
            metadata:
              labels:
                app: webapp
                managed-by: flux
            spec:
              initContainers:
                - name: wait-for-database
                  image: docker.io/library/busybox:1.36.1
                  imagePullPolicy: IfNotPresent
                  command: ["sh", "-c", "until nc -z database 5432; do sleep 2; done"]
                  resources:
                    requests: {cpu: 10m, memory: 16Mi}
                    limits: {cpu: 50m, memory: 32Mi}
              containers:
                - name: webapp
                  image: ghcr.io/example/webapp:2.4.1
                  imagePullPolicy: IfNotPresent
                  ports:
                    - name: http
                      containerPort: 8080
                    - name: metrics
                      containerPort: 9090
                  envFrom:
                    - configMapRef:
                        name: webapp-config
                  env:
                    - name: DB_PASSWORD
                      valueFrom:
                        secretKeyRef:
                          name: webapp-secrets
                          key: db-password
                  livenessProbe:
                    httpGet: {path: /healthz, port: http}
                  readinessProbe:
                    httpGet: {path: /ready, port: http}
                  resources:
                    requests:
                      cpu: 100m
                      memory: 128Mi
                    limits:
                      cpu: 500m
                      memory: 512Mi
                  volumeMounts:
                    - name: data
                      mountPath: /data
              volumes:
                - name: data
                  persistentVolumeClaim:
                    claimName: webapp-storage

        """,
        "service.yaml": """
        apiVersion: v1
        kind: Service
        metadata:
          name: webapp
          labels:
            app: webapp
            managed-by: flux
          annotations:
            homelab.paul/exposed: "true"
        spec:
          selector:
            app: webapp
          ports:
            - name: http
              port: 80
              targetPort: http
            - name: metrics
              port: 9090
              targetPort: metrics

        """,
        "ingressroute.yaml": """
        apiVersion: traefik.io/v1alpha1
        kind: IngressRoute
        metadata:
          name: webapp
          labels:
            app: webapp
            managed-by: flux
          annotations:
            external-dns.alpha.kubernetes.io/hostname: webapp.lab.home.arpa
            external-dns.alpha.kubernetes.io/ttl: "300"
        spec:
          entryPoints:
            - websecure
          routes:
            - match: Host(`webapp.lab.home.arpa`)
              kind: Rule
              services:
                - name: webapp
                  port: 80
          tls:
            certResolver: letsencrypt
            options:
              name: secure
              namespace: traefik-system

        """,
        "configmap.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: webapp-config
          labels:
            app: webapp
            managed-by: flux
        data:
          LOG_LEVEL: info
          DATABASE_HOST: database

        """,
        "external-secret.yaml": """
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata:
          name: webapp-secrets
          labels:
            app: webapp
            managed-by: flux
        spec:
          refreshInterval: 1h
          secretStoreRef:
            name: vault-backend
            kind: ClusterSecretStore
          target:
            name: webapp-secrets
            creationPolicy: Owner
          data:
            - secretKey: db-password
              remoteRef:
                key: homelab/webapp
                property: db-password

        """,
        "pvc.yaml": """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: webapp-storage
          labels:
            app: webapp
            managed-by: flux
        spec:
          storageClassName: zfs-storage
          accessModes:
            - ReadWriteOnce
          resources:
            requests:
              storage: 10Gi

        """,
        "network-policy.yaml": """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: webapp-network-policy
          labels:
            app: webapp
            managed-by: flux
        spec:
          podSelector:
            matchLabels:
              app: webapp
          policyTypes:
            - Ingress
            - Egress
          ingress:
            - from:
                - namespaceSelector: {}
                  podSelector:
                    matchLabels:
                      app: traefik
              ports:
                - port: 8080
            - from:
                - namespaceSelector:
                    matchLabels:
                      kubernetes.io/metadata.name: monitoring
              ports:
                - port: 9090
          egress:
            - to:
                - podSelector:
                    matchLabels:
                      app: database
              ports:
                - port: 5432

        """,
        "servicemonitor.yaml": """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata:
          name: webapp-monitor
          labels:
            app: webapp
            managed-by: flux
        spec:
          selector:
            matchLabels:
              app: webapp
          endpoints:
            - port: metrics
              path: /metrics
              interval: 30s

        """,
        "README.md": """
        # webapp

        The example web application.

        ## Dependencies

        - database (init container waits for it; egress allowed)

        ## Configuration

        webapp-config (LOG_LEVEL), webapp-secrets from Vault at homelab/webapp.

        ## Resources

        Tier small: 100m/128Mi requested, 500m/512Mi limit.

        ## Image

        - ghcr.io/example/webapp:2.4.1
        - docker.io/library/busybox:1.36.1 (init)

        """,
    ]

    static let database: [String: String] = [
        "deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: database
          labels:
            app: database
            managed-by: flux
        spec:
          selector:
            matchLabels:
              app: database
          template:
            metadata:
              labels:
                app: database
                managed-by: flux
            spec:
              containers:
                - name: postgres
                  image: docker.io/library/postgres:16.4
                  imagePullPolicy: IfNotPresent
                  livenessProbe:
                    tcpSocket: {port: 5432}
                  readinessProbe:
                    exec: {command: [pg_isready]}
                  resources:
                    requests: {cpu: 100m, memory: 256Mi}
                    limits: {cpu: "1", memory: 1Gi}

        """,
        "service.yaml": """
        apiVersion: v1
        kind: Service
        metadata:
          name: database
          labels:
            app: database
            managed-by: flux
        spec:
          selector:
            app: database
          ports:
            - name: postgres
              port: 5432

        """,
        "network-policy.yaml": """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: database-network-policy
          labels:
            app: database
            managed-by: flux
        spec:
          podSelector:
            matchLabels:
              app: database
          policyTypes: [Ingress]
          ingress:
            - from:
                - podSelector:
                    matchLabels:
                      app: webapp

        """,
        "README.md": """
        # database

        ## Dependencies

        None.

        ## Configuration

        None.

        ## Resources

        Tier medium.

        ## Image

        docker.io/library/postgres:16.4

        """,
    ]
}
