// The libFuzzer driver: `MOFuzz <target> [libFuzzer options] [corpus dirs or files]`.
//
// SwiftPM links an executable built with -sanitize=fuzzer with `main=MOFuzz_main`, so that is the entry point:
// it takes the target name off the arguments (libFuzzer would read it as a corpus directory), remembers it in
// MO_FUZZ_TARGET for the child processes libFuzzer may start (-fork, -merge), and calls LLVMFuzzerRunDriver.
// An invariant a target reports (`FuzzFailure`) is printed and turned into abort(), which libFuzzer records as a
// crash and saves the input.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MOFuzzTargets

nonisolated(unsafe) var selected: FuzzTarget?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let target = selected else { return 0 }
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        try target.run(input)
    } catch {
        printError("invariant broken: \(error)")
        abort()
    }
    return 0
}

/// One line to standard error, unbuffered (the process may abort right after).
func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>,
               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("MOFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    guard let argv else { return 2 }
    let arguments = (0..<Int(argc)).map { argv[$0].map { String(cString: $0) } ?? "" }
    if arguments.count > 1, arguments[1] == "--list" {
        for target in FuzzTarget.all { print("\(target.name)\t\(target.summary)") }
        return 0
    }
    var count = argc
    var vector: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    if arguments.count > 1, let target = FuzzTarget.named(arguments[1]) {
        selected = target
        setenv("MO_FUZZ_TARGET", target.name, 1)
        // Drop argv[1]: move argv[0] one place right and start the vector there.
        argv[1] = argv[0]
        vector = argv + 1
        count -= 1
    } else if let name = getenv("MO_FUZZ_TARGET").map({ String(cString: $0) }), let target = FuzzTarget.named(name) {
        selected = target
    }
    guard selected != nil else {
        printError("usage: MOFuzz <target> [libFuzzer options] [corpus…]; MOFuzz --list names the targets")
        return 2
    }
    return runDriver(&count, &vector, fuzzOne)
}
