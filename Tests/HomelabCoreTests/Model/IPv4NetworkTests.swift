import Testing

@testable import HomelabCore

@Suite struct IPv4NetworkTests {
    @Test func parsesANetworkAndTellsWhatItHolds() throws {
        let network = try #require(IPv4Network(cidr: "172.16.99.0/24"))
        #expect(network.description == "172.16.99.0/24")
        #expect(network.contains(try #require(IPv4Network.address("172.16.99.255"))))
        #expect(!network.contains(try #require(IPv4Network.address("172.16.100.0"))))
        #expect(try #require(IPv4Network(cidr: "0.0.0.0/0")).contains(try #require(IPv4Network.address("8.8.8.8"))))
        #expect(try #require(IPv4Network(cidr: "10.0.0.7/32")).contains(try #require(IPv4Network.address("10.0.0.7"))))
    }

    @Test(arguments: [
        "172.16.99.0", "172.16.99.0/33", "172.16.99/24", "172.16.099.0/24", "256.1.1.0/24", "a.b.c.d/8", "10.0.0.0/", "/8", "10.0.0.0/24/1", " 10.0.0.0/8",
    ])
    func refuses(_ text: String) {
        #expect(IPv4Network(cidr: text) == nil)
    }

    @Test func refusesHostBitsAndSuggestsTheNetwork() {
        #expect(IPv4Network(cidr: "172.16.99.5/24") == nil)
        #expect(IPv4Network.withHostBitsCleared("172.16.99.5/24")?.description == "172.16.99.0/24")
    }
}
