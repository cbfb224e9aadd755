// swift-tools-version:6.0
// The target list is the architecture: C libraries → their Swift owners → pure text, CM and policy code →
// the store → the application → thin executables. See docs/decisions.md.
import Foundation
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

// The release version is set in one place, the VERSION file; the commit comes from git when the manifest is read
// (scripts/package.sh reads it afresh with --manifest-cache none). Both reach the binaries through CBuildInfo.
let version = ((try? String(contentsOfFile: Context.packageDirectory + "/VERSION", encoding: .utf8)) ?? "0.0.0")
    .trimmingCharacters(in: .whitespacesAndNewlines)
let commit = Context.gitInformation.map { String($0.currentCommit.prefix(12)) + ($0.hasUncommittedChanges ? "-dirty" : "") }
    ?? "unknown"

let package = Package(
    name: "mo-receiver",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mo-receiver", targets: ["mo-receiver"]),
        .executable(name: "moctl", targets: ["moctl"]),
        // Only for the libFuzzer package in Fuzz/ (docs/fuzzing.md), which depends on this one by path and can see
        // products only; it lives apart because -sanitize=fuzzer breaks an ordinary build's link.
        .library(name: "MOFuzzTargets", targets: ["MOFuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C libraries (Debian: libmicrohttpd-dev, libpq-dev), with shim.h for what Swift cannot call.
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // libcrypto (OpenSSL, already loaded through libpq and libcurl): SHA-256 and HMAC for the Digest target.
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Swift owners of the C handles; no C type escapes these.
        .target(name: "MicroHTTPD", dependencies: ["CMicroHTTPD"], swiftSettings: strict),
        .target(name: "LibPQ", dependencies: ["CLibPQ"], swiftSettings: strict),
        .target(name: "Curl", dependencies: ["CCurl"], swiftSettings: strict),

        // The version and commit this build is (from VERSION and git, passed as C defines).
        .target(name: "CBuildInfo", cSettings: [.define("MO_VERSION", to: "\"\(version)\""),
                                                .define("MO_COMMIT", to: "\"\(commit)\"")]),

        // Small owners of operating-system resources: child processes (the exec handler), threads, descriptors.
        .target(name: "MOSystem", swiftSettings: strict),
        // Media stores behind one protocol (MediaStorage): content-addressed files today, an S3-compatible store
        // later.
        .target(name: "MOMedia", dependencies: ["MOSystem"], swiftSettings: strict),

        // Pure text libraries: the ASCII bytes and strict UTF-8 decoding both parsers read with; a span-keeping
        // strict JSON parser and a JSON writer; a strict XML tree parser without DTDs. They know nothing of CM.
        .target(name: "TextBytes", swiftSettings: strict),
        .target(name: "JSON", dependencies: ["TextBytes"], swiftSettings: strict),
        .target(name: "XML", dependencies: ["TextBytes"], swiftSettings: strict),

        // Pure code: CM wire formats (read with the JSON and XML libraries), and policy (addresses, trust,
        // routing, redaction).
        .target(name: "CMWebhook", dependencies: ["TextBytes", "JSON", "XML"], swiftSettings: strict),
        .target(name: "MOPolicy", swiftSettings: strict),
        // SHA-256 and HMAC-SHA256 (webhook signatures, content-addressed media), from libcrypto: no cryptography
        // of our own.
        .target(name: "Digest", dependencies: ["CCrypto"], swiftSettings: strict),

        // Pure: fuzz targets over the pure modules, shared by Fuzz/ and the corpus replay tests.
        .target(name: "MOFuzzTargets", dependencies: ["JSON", "XML", "CMWebhook", "MOPolicy"], swiftSettings: strict),

        // PostgreSQL: schema, migrations, the group-commit ingest writer.
        .target(name: "MOStore", dependencies: ["LibPQ", "JSON", "CMWebhook", "MOPolicy", "MOSystem",
                                                .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),

        // The application: config, ingest pipeline, logging, composition (buildReceiver).
        .target(name: "MOReceiver", dependencies: ["MicroHTTPD", "MOStore", "CMWebhook", "MOPolicy", "Curl", "Digest",
                                                   "MOSystem", "MOMedia", "CBuildInfo", "JSON",
                                                   .product(name: "Logging", package: "swift-log"),
                                                   .product(name: "TOMLKit", package: "TOMLKit")],
                swiftSettings: strict),

        // Executables: wiring only.
        .executableTarget(name: "mo-receiver", dependencies: ["MOReceiver", "MOSystem",
                                                              .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),
        .executableTarget(name: "moctl", dependencies: ["MOReceiver", "MOStore", "LibPQ", "JSON", "CMWebhook", "Digest", "MOSystem",
                                                        .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),

        // Test support: private PostgreSQL clusters, a raw HTTP client, fake servers, waiting and locking helpers.
        .target(name: "MOTestSupport", dependencies: ["LibPQ", "MOStore"], swiftSettings: strict),
        // Test support for the pure text and wire-format tests: Tests/Fixtures files and byte-building helpers.
        .target(name: "MOTestFixtures", swiftSettings: strict),

        // One test target per layer, so a change to a wrapper runs its own tests first; MOReceiverTests goes
        // through the daemon.
        .testTarget(name: "JSONTests", dependencies: ["JSON", "MOTestFixtures"], swiftSettings: strict),
        .testTarget(name: "XMLTests", dependencies: ["XML", "MOTestFixtures"], swiftSettings: strict),
        .testTarget(name: "CMWebhookTests", dependencies: ["CMWebhook", "JSON", "XML", "MOTestFixtures"],
                    swiftSettings: strict),
        .testTarget(name: "MOPolicyTests", dependencies: ["MOPolicy", "MOTestFixtures"], swiftSettings: strict),
        .testTarget(name: "MOFuzzTargetsTests", dependencies: ["MOFuzzTargets"], swiftSettings: strict),
        .testTarget(name: "DigestTests", dependencies: ["Digest", "MOTestFixtures"], swiftSettings: strict),
        .testTarget(name: "MOSystemTests", dependencies: ["MOSystem", "MOTestSupport"], swiftSettings: strict),
        .testTarget(name: "MOMediaTests", dependencies: ["MOMedia", "MOSystem", "MOTestSupport"], swiftSettings: strict),
        .testTarget(name: "CurlTests", dependencies: ["Curl", "MOTestSupport"], swiftSettings: strict),
        .testTarget(name: "LibPQTests", dependencies: ["LibPQ", "MOTestSupport"], swiftSettings: strict),
        .testTarget(name: "MicroHTTPDTests", dependencies: ["MicroHTTPD", "MOTestSupport"], swiftSettings: strict),
        .testTarget(name: "MOStoreTests", dependencies: ["MOStore", "LibPQ", "MOTestSupport",
                                                      .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strict),
        .testTarget(name: "MOReceiverTests", dependencies: ["MOReceiver", "MOStore", "MOTestSupport", "LibPQ", "MOPolicy", "Digest",
                                                         .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strict),
    ]
)
