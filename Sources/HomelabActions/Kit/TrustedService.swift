/// The service a certificate belongs to, as the operator knows it: what it is called, where the
/// inventory pins its fingerprint, and how to check a new fingerprint on the machine itself. The
/// trust question, the refusal and the hints are worded from it, so each integration (Proxmox,
/// Talos, Kubernetes) tells the operator its own command instead of Proxmox's.
public struct TrustedService: Sendable, Equatable {
    /// `Proxmox API`: "The Proxmox API at https://... presents a certificate ...".
    public var name: String
    /// The inventory key that pins the fingerprint: `proxmox.fingerprint`.
    public var pinSetting: String
    /// The inventory key of the service's URL (`proxmox.api`) and what a right one looks like.
    public var addressSetting: String
    public var addressExample: String
    /// Why the fingerprint changes legitimately (a reinstall), for the refusal.
    public var whyItChanges: String
    /// The one command that shows the fingerprint on the machine: `pvenode cert info`.
    public var checkCommand: String
    /// How to check it, in full, for the refusal (the command, where to run it, an alternative).
    public var howToCheck: String
    /// What to check when the service does not answer at all.
    public var unreachableHint: String

    public init(
        name: String, pinSetting: String, addressSetting: String, addressExample: String, whyItChanges: String,
        checkCommand: String, howToCheck: String, unreachableHint: String
    ) {
        self.name = name
        self.pinSetting = pinSetting
        self.addressSetting = addressSetting
        self.addressExample = addressExample
        self.whyItChanges = whyItChanges
        self.checkCommand = checkCommand
        self.howToCheck = howToCheck
        self.unreachableHint = unreachableHint
    }
}
