/// The naming conventions of pattern 2: kebab-case names and the file name of each kind.
public enum Naming {
    /// `^[a-z0-9]+(-[a-z0-9]+)*$`
    public static func isKebabCase(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("-"), !name.hasSuffix("-"), !name.contains("--") else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// `ClusterSecretStore` -> `cluster-secret-store`, `TLSOption` -> `tls-option`.
    public static func kebab(kind: String) -> String {
        let characters = Array(kind)
        var out = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase && index > 0 {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { out += "-" }
            }
            out += character.lowercased()
        }
        return out
    }

    /// The kinds whose file and object names are fixed: kind -> (file, name suffix after the service).
    public static let fixed: [String: (file: String, suffix: String?)] = [
        "Deployment": ("deployment.yaml", ""),
        "Service": ("service.yaml", ""),
        "IngressRoute": ("ingressroute.yaml", ""),
        "Ingress": ("ingress.yaml", ""),
        "ConfigMap": ("configmap.yaml", "-config"),
        "ExternalSecret": ("external-secret.yaml", "-secrets"),
        "PersistentVolumeClaim": ("pvc.yaml", "-storage"),
        "NetworkPolicy": ("network-policy.yaml", "-network-policy"),
        "ServiceMonitor": ("servicemonitor.yaml", "-monitor"),
        "HelmRelease": ("helm-release.yaml", ""),
        "HelmRepository": ("helm-repository.yaml", nil),
    ]

    /// The file names allowed for an object of `kind` named `name`.
    public static func fileNames(kind: String, name: String?) -> [String] {
        if let fixed = fixed[kind] { return [fixed.file] }
        let base = kebab(kind: kind)
        return [base + ".yaml"] + (name.map { [base + "-" + $0 + ".yaml"] } ?? [])
    }

    /// The object name required for `kind` in `service`, or nil when any kebab-case name will do.
    public static func objectName(kind: String, service: String) -> String? {
        guard let suffix = fixed[kind]?.suffix else { return nil }
        return service + suffix
    }
}
