import HomelabCore
import Testing

@testable import HomelabActions

/// An endpoint from an address or an inventory entry, step inputs first, a typed error per mistake.
struct EndpointInputTests {
    let input = EndpointInput(
        name: "host", expected: "an address or an inventory entry", addressKeys: ["address", "host"],
        settingsKey: "ssh", overrides: ["user", "port"])
    let entry: Value = .map([
        ("host", .string("pve")), ("address", .string("192.168.10.2")),
        ("ssh", .map([("user", .string("admin")), ("port", .int(2222))])),
        ("storage", .map([("vm", .string("local-zfs"))])),
    ])

    func resolve(_ inputs: [String: Value]) throws(EndpointInputError) -> EndpointSettings {
        try input.resolve(ActionCall(step: "s", inputs: inputs))
    }

    @Test func anAddressHasNoSettings() throws {
        let settings = try resolve(["host": .string("10.0.0.2")])
        #expect(settings.address == "10.0.0.2")
        #expect(settings.string("user") == nil)
        #expect(settings.entry == .string("10.0.0.2"))
    }

    @Test func anEntryGivesItsAddressAndItsSettingsMapping() throws {
        let settings = try resolve(["host": entry])
        #expect(settings.address == "192.168.10.2")
        #expect(settings.string("user") == "admin")
        #expect(try settings.port("port") == 2222)
        // Only the settings mapping counts as settings; the entry stays readable for defaults.
        #expect(settings.string("host") == nil)
        #expect(settings.entrySetting(["storage", "vm"]) == "local-zfs")
    }

    @Test func stepInputsOverrideTheEntryAndAnEmptyOneDoesNot() throws {
        #expect(try resolve(["host": entry, "user": .string("root")]).string("user") == "root")
        #expect(try resolve(["host": entry, "user": .string("")]).string("user") == "admin")
        #expect(try resolve(["host": entry, "user": .null]).string("user") == "admin")
        // An input that is not an override is not a setting.
        #expect(try resolve(["host": entry, "key": .string("/k")]).string("key") == nil)
    }

    @Test func withoutASettingsKeyTheEntryItselfHoldsThem() throws {
        let flat = EndpointInput(name: "proxmox", expected: "the entry or the URL", addressKeys: ["api"], overrides: ["node"])
        let settings = try flat.resolve(ActionCall(step: "s", inputs: ["proxmox": .map([("api", .string("https://pve:8006")), ("host", .string("pve"))])]))
        #expect(settings.address == "https://pve:8006")
        #expect(settings.string("node", "host") == "pve")
    }

    @Test func eachMistakeHasItsOwnError() throws {
        #expect(throws: EndpointInputError.notAnEndpoint(input: "host", expected: "an address or an inventory entry", found: "an integer")) {
            try resolve(["host": .int(3)])
        }
        let quiet = EndpointInput(name: "host", expected: "an address", saysWhatWasFound: false, addressKeys: ["address"])
        #expect("\(EndpointInputError.notAnEndpoint(input: "host", expected: "an address", found: nil))" == "'host' must be an address")
        #expect(throws: EndpointInputError.notAnEndpoint(input: "host", expected: "an address", found: nil)) {
            try quiet.resolve(ActionCall(step: "s", inputs: [:]))
        }
        let noAddress = try resolve(["host": .map([("ssh", .map([]))])])
        #expect(throws: EndpointInputError.noAddress(input: "host", what: "'address'", advice: "give one")) {
            try noAddress.requireAddress("'address'", advice: "give one")
        }
        #expect(throws: EndpointInputError.invalid(setting: "port", endpoint: "h", expected: "a TCP port (1-65535)", found: "70000")) {
            try resolve(["host": .string("h"), "port": .int(70000)]).port("port")
        }
        #expect(throws: EndpointInputError.invalid(setting: "host-key-policy", endpoint: "h", expected: "strict or accept-new", found: "yes")) {
            try EndpointSettings(input: "host", address: "h", entry: .null, settings: [("host-key-policy", .string("yes"))])
                .choice("host-key-policy", SSHTarget.HostKeyPolicy.self)
        }
    }

    @Test func errorsReadAsTheyAlwaysHave() {
        #expect(
            "\(EndpointInputError.invalid(setting: "port", endpoint: "h", expected: "a TCP port (1-65535)", found: "0"))"
                == "'port' of h must be a TCP port (1-65535), found '0'")
        #expect(
            "\(EndpointInputError.invalid(setting: "token", endpoint: nil, expected: "a full API token USER@REALM!TOKENID=SECRET", found: nil))"
                == "'token' must be a full API token USER@REALM!TOKENID=SECRET (the value given is not in that form)")
        #expect("\(EndpointInputError.missing(setting: "node", why: "the entry has none"))" == "'node' is required: the entry has none")
        #expect("\(EndpointInputError.noAddress(input: "host", what: "'address'", advice: "give an address"))" == "'host' has no 'address': give an address")
    }
}
