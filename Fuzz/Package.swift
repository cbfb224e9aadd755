// swift-tools-version:6.0
// The libFuzzer driver (docs/fuzzing.md). A package of its own because `-sanitize=fuzzer` makes SwiftPM link an
// executable with libFuzzer's main, which an ordinary `swift build` of the root package cannot do. Build it with
// scripts/fuzz.sh, which passes `-Xswiftc -sanitize=fuzzer,address` so our code in the root package is
// instrumented too.
import PackageDescription

let package = Package(
    name: "mo-receiver-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "mo-receiver", path: "..")],
    targets: [
        // -parse-as-library: main.swift has no top-level code; its `MOFuzz_main` (what SwiftPM links as main)
        // hands control to libFuzzer's driver.
        .executableTarget(name: "MOFuzz", dependencies: [.product(name: "MOFuzzTargets", package: "mo-receiver")],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ]
)
