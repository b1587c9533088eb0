import HomelabTransport
import Testing

@testable import HomelabActions

/// The trust question and refusal name the service and how to check its fingerprint; Proxmox's
/// words are exactly what they were before the kit.
struct TrustWordingTests {
    static let talos = TrustedService(
        name: "Talos API", pinSetting: "talos.fingerprint", addressSetting: "talos.endpoint", addressExample: "https://<node>:50000",
        whyItChanges: "A reset Talos node gets a new certificate", checkCommand: "talosctl get certificate",
        howToCheck: "Check it on the node's console dashboard.", unreachableHint: "Check talos.endpoint and that the node is up."
    )

    @Test func proxmoxsRefusalIsWordedAsBefore() {
        let error = ProxmoxError(
            CertificateTrustError(service: .proxmoxAPI, url: "https://pve:8006/api2/json", problem: .refused(presented: "CC:DD", expected: "AA:BB")))
        #expect(error.kind == .untrustedCertificate(presented: "CC:DD", expected: "AA:BB"))
        #expect(error.call == "connect https://pve:8006/api2/json")
        #expect(
            error.message
                == "https://pve:8006/api2/json presents a certificate with SHA-256 fingerprint CC:DD, but the inventory pins AA:BB (proxmox.fingerprint). Nothing was sent to it."
        )
        #expect(
            error.hint
                == "A reinstalled Proxmox host gets a new self-signed certificate, so a rebuild changes the fingerprint; anything else may be an impostor. "
                + "Check it on the host: `pvenode cert info` on its console, or `openssl x509 -noout -fingerprint -sha256 -in /etc/pve/local/pve-ssl.pem`. "
                + "If it matches, run again with `--trust-fingerprint CC:DD`, or set `proxmox.fingerprint: CC:DD` in the inventory.")
        let unpinned = CertificateTrustError(service: .proxmoxAPI, url: "u", problem: .refused(presented: "CC:DD", expected: nil))
        #expect(unpinned.message.contains("but the inventory pins no fingerprint yet (proxmox.fingerprint)"))
    }

    @Test func proxmoxsQuestionIsWordedAsBefore() {
        let question = FingerprintTrust.Question(service: .proxmoxAPI, url: "https://pve:8006/api2/json", presented: "CC:DD", expected: "AA:BB")
        #expect(
            question.text == """
                The Proxmox API at https://pve:8006/api2/json presents a certificate with SHA-256 fingerprint
                    CC:DD
                  but the inventory pins
                    AA:BB.
                  A reinstalled host has a new certificate; an impostor would too. Compare it with
                  'pvenode cert info' on the host's own console before you answer.
                  Trust this certificate for this run?
                """)
    }

    @Test func anotherServiceIsNamedWithItsOwnCheck() {
        let question = FingerprintTrust.Question(service: Self.talos, url: "https://10.0.0.5:50000", presented: "CC:DD", expected: nil)
        #expect(question.text.hasPrefix("The Talos API at https://10.0.0.5:50000 presents"))
        #expect(question.text.contains("'talosctl get certificate'"))
        #expect(question.text.contains("the inventory pins no fingerprint yet"))
        #expect(!question.text.contains("pvenode"))

        let refusal = CertificateTrustError(service: Self.talos, url: "https://10.0.0.5:50000", problem: .refused(presented: "CC:DD", expected: "AA:BB"))
        #expect(refusal.message.contains("(talos.fingerprint)"))
        #expect(
            refusal.hint.hasPrefix("A reset Talos node gets a new certificate; anything else may be an impostor. Check it on the node's console dashboard."))
        #expect(refusal.hint.contains("`talos.fingerprint: CC:DD`"))
        #expect(!refusal.description.contains("Proxmox") && !refusal.description.contains("pvenode"))

        let badPin = CertificateTrustError(service: Self.talos, url: "u", problem: .notAFingerprint("AA"))
        #expect(badPin.hint == "Fix talos.fingerprint in the inventory (`talosctl get certificate` on the host shows it).")
        #expect(
            CertificateTrustError(service: Self.talos, url: "u", problem: .notHTTPS).description
                == "the Talos API is served over HTTPS only\n  Set talos.endpoint to https://<node>:50000 in the inventory.")
    }

    @Test func anUnreachableHostIsTransientOnlyWhenWaitingMayHelp() {
        let refused = HTTPError(.connectionRefused, method: "GET", url: "https://pve:8006/api2/json/version")
        let tls = HTTPError(.tlsHandshakeFailed("alert"), method: "GET", url: "https://pve:8006/api2/json/version")
        let booting = ProxmoxError(
            CertificateTrustError(service: .proxmoxAPI, url: "https://pve:8006/api2/json", problem: .unreachable(refused, transient: refused.isWorthWaitingFor))
        )
        #expect(booting.kind == .transient)
        #expect(booting.message.hasPrefix("could not reach the Proxmox API: "))
        #expect(booting.hint == "Check proxmox.api in the inventory and that the host is up with pveproxy running (`systemctl status pveproxy`).")
        let broken = ProxmoxError(CertificateTrustError(service: .proxmoxAPI, url: "u", problem: .unreachable(tls, transient: tls.isWorthWaitingFor)))
        #expect(broken.kind == .fatal)
    }
}
