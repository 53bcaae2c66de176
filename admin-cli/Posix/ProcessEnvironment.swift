import Glibc

/// The environment variables sluicectl reads (`SLUICE_SERVER`, `SLUICE_ADMIN_TOKEN`).
///
/// C-facing: getenv(3), whose result is copied into a `String` at once (nothing else changes the
/// environment in this single-threaded process).
struct ProcessEnvironment {
    var server: String?
    var token: String?

    static func current() -> ProcessEnvironment {
        ProcessEnvironment(server: variable("SLUICE_SERVER"), token: variable("SLUICE_ADMIN_TOKEN"))
    }

    private static func variable(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
}
