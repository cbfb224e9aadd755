/// Linear, not "fast": a tenfold input may take at most thirty times as long (quadratic work would take a
/// hundred times), measured in the same run so the load of a shared machine cancels out.
public func growth(_ work: (Int) throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    try work(1)  // warm-up
    let small = try clock.measure { try work(1) }
    let large = try clock.measure { try work(10) }
    return Double(large / .microseconds(1)) / max(1, Double(small / .microseconds(1)))
}
