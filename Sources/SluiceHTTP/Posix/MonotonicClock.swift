import CSystem
import Glibc

/// Monotonic and wall clocks read through the vDSO (no system call in practice).
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point; never goes backwards.
    @inline(__always)
    public static func nanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// Whole seconds since the Unix epoch, from the coarse real-time clock (for `Date` headers).
    @inline(__always)
    public static func wallSeconds() -> Int {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &spec)
        return Int(spec.tv_sec)
    }

    /// Milliseconds since the Unix epoch from the precise real-time clock (log timestamps).
    @inline(__always)
    public static func wallMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) &* 1000 &+ Int64(spec.tv_nsec / 1_000_000)
    }
}
