/// `X-Request-Id` values: a valid incoming one is kept, otherwise one is generated per worker.
///
/// Generated ids are 16 lowercase hex digits of splitmix64(seed + counter): a bijection of the
/// counter, so ids never repeat within a worker, and the random per-worker seed makes ids of
/// different workers and processes collide only by chance (2^-64 per pair). No `String`, no
/// Foundation, no allocation: digits go into a caller-owned array.
public struct RequestIDGenerator {
    private var counter: UInt64
    private let seed: UInt64

    public init(seed: UInt64 = UInt64.random(in: .min ... .max)) {
        self.seed = seed
        counter = 0
    }

    /// Appends the next id (16 bytes) to `out`.
    public mutating func appendNext(to out: inout [UInt8]) {
        counter &+= 1
        var z = seed &+ counter &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        var shift: UInt64 = 60
        while true {
            let digit = UInt8(truncatingIfNeeded: (z >> shift) & 0xF)
            out.append(digit < 10 ? 0x30 &+ digit : 0x61 &+ digit &- 10)
            if shift == 0 { break }
            shift &-= 4
        }
    }

    /// Whether an incoming id is kept: 1…128 bytes of `[A-Za-z0-9._-]`.
    public static func isValid(_ value: UnsafeRawBufferPointer) -> Bool {
        guard value.count >= 1, value.count <= 128 else { return false }
        for byte in value {
            let isAlnum = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
            if !(isAlnum || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")) {
                return false
            }
        }
        return true
    }
}
