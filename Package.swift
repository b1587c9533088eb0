// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "homelab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "homelab", targets: ["homelab"]),
        .library(name: "HomelabCore", targets: ["HomelabCore"]),
        .library(name: "HomelabTransport", targets: ["HomelabTransport"]),
        .library(name: "HomelabActions", targets: ["HomelabActions"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .executableTarget(
            name: "homelab",
            dependencies: [
                "HomelabCore",
                "HomelabActions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "HomelabCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // C libraries from Debian's -dev packages; their types never leave HomelabTransport.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CSSH2",
            pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"])]
        ),
        .target(
            name: "HomelabTransport",
            dependencies: [
                "CCurl",
                "CSSH2",
                "COpenSSL",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "HomelabActions",
            dependencies: ["HomelabCore", "HomelabTransport"]
        ),
        // Fixtures are read from the source tree by path, not bundled as resources.
        // Drives the transports for `make bench` (throughput against curl and OpenSSH's ssh).
        .executableTarget(name: "transport-bench", dependencies: ["HomelabTransport"]),
        .testTarget(name: "HomelabCoreTests", dependencies: ["HomelabCore", "Yams"], exclude: ["Fixtures"]),
        // Starts the lab's fixtures (sshd, HTTPS, gRPC, push servers) for the tests that need them.
        .target(name: "LabSupport", path: "Tests/LabSupport"),
        .testTarget(
            name: "HomelabTransportTests",
            dependencies: [
                "HomelabTransport",
                "LabSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(name: "HomelabActionsTests", dependencies: ["HomelabActions", "HomelabCore", "HomelabTransport", "LabSupport"]),
        .testTarget(name: "homelabTests", dependencies: ["HomelabCore"]),
    ],
    swiftLanguageModes: [.v6]
)
