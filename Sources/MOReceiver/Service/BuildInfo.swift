import CBuildInfo

/// What this binary is: the release version (the `VERSION` file, semantic versioning), the git commit it was built
/// from (`-dirty` when the tree had uncommitted changes, `unknown` outside a checkout) and the Swift compiler that
/// built it. Constants; read from any thread. Printed by `--version` and exported as `mo_receiver_build_info`.
public enum BuildInfo {
    public static let version = String(cString: mo_build_version())
    public static let commit = String(cString: mo_build_commit())

    /// The compiler's language version, major and minor (Swift has no run-time API for it).
    public static let swiftVersion: String = {
        #if compiler(>=6.5)
        return "6.5 or later"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }()

    /// `1.0.0 (commit 4243345abcde, Swift 6.3)`: what `--version` prints after the program's name.
    public static var description: String {
        "\(version) (commit \(commit), Swift \(swiftVersion))"
    }
}
