import HomelabActions
import HomelabCore
import Testing

@Suite("Talos config patches (strategic merge)")
struct ConfigMergeTests {
    private func merged(_ config: String, _ patch: String) throws -> String {
        let documents = try ConfigMerge.apply(documents(patch, "patch.yaml"), to: documents(config, "config.yaml"))
        return YAMLText.documents(documents.map(Value.init))
    }

    private func documents(_ text: String, _ file: String) throws -> [YAMLNode] {
        text.split(separator: "---\n").map { part in
            let (root, _) = YAMLLoader().load(text: String(part), file: file)
            return root!
        }
    }

    @Test func mapsMergeAndScalarsOverwrite() throws {
        let out = try merged("machine:\n  type: worker\n  install:\n    disk: /dev/sda\n", "machine:\n  install:\n    disk: /dev/vda\n    wipe: true\n")
        #expect(out == "machine:\n    type: worker\n    install:\n        disk: /dev/vda\n        wipe: true\n")
    }

    @Test func falseOverwritesButEmptyAndZeroDoNot() throws {
        let out = try merged("a: true\nb: text\nc: 5\n", "a: false\nb: \"\"\nc: 0\n")
        #expect(out == "a: false\nb: text\nc: 5\n")
    }

    @Test func listsAppend() throws {
        let out = try merged("machine:\n  certSANs: [a]\n", "machine:\n  certSANs: [b, c]\n")
        #expect(out == "machine:\n    certSANs:\n        - a\n        - b\n        - c\n")
    }

    @Test func replaceTaggedFieldsAreReplaced() throws {
        let config = "cluster:\n  network:\n    podSubnets: [10.244.0.0/16]\n    serviceSubnets: [10.96.0.0/12]\n  apiServer:\n    auditPolicy: {rules: [a]}\n"
        let patch = "cluster:\n  network:\n    podSubnets: [10.42.0.0/16]\n  apiServer:\n    auditPolicy: {kind: Policy}\n"
        let out = try merged(config, patch)
        #expect(out.contains("podSubnets:\n            - 10.42.0.0/16\n        serviceSubnets:\n            - 10.96.0.0/12\n"))
        #expect(out.contains("auditPolicy:\n            kind: Policy\n"))
        #expect(!out.contains("10.244.0.0/16"))
        #expect(!out.contains("rules"))
    }

    @Test func patchDeleteRemovesAKeyAListItemOrADocument() throws {
        let config = "machine:\n  network:\n    hostname: a\n  interfaces:\n    - interface: eth0\n      dhcp: true\n    - interface: eth1\n"
        let patch = "machine:\n  network:\n    $patch: delete\n  interfaces:\n    - interface: eth0\n      $patch: delete\n"
        #expect(try merged(config, patch) == "machine:\n    interfaces:\n        - interface: eth1\n")

        let documents = "version: v1alpha1\n---\napiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\n"
        let deletion = "apiVersion: v1alpha1\nkind: HostnameConfig\n$patch: delete\n"
        #expect(try merged(documents, deletion) == "version: v1alpha1\n")
    }

    @Test func documentsAreMatchedByKindAndOthersAppended() throws {
        let config = "version: v1alpha1\n---\napiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\n"
        let patch = "apiVersion: v1alpha1\nkind: HostnameConfig\nauto: \"off\"\nhostname: cp-1\n---\napiVersion: v1alpha1\nkind: Other\nname: x\n"
        let out = try merged(config, patch)
        #expect(
            out
                == "version: v1alpha1\n---\napiVersion: v1alpha1\nkind: HostnameConfig\nauto: \"off\"\nhostname: cp-1\n---\napiVersion: v1alpha1\nkind: Other\nname: x\n"
        )
    }

    @Test func aPatchOfTheWrongShapeIsLocatedInThePatch() throws {
        let error = #expect(throws: TalosFileError.self) { try merged("machine:\n  certSANs: [a]\n", "machine:\n  certSANs:\n    a: b\n") }
        #expect(error?.description == "patch.yaml:3:5: machine.certSANs is a mapping here, but a list in the config this patches (at config.yaml:2:13)")
    }
}
