import Foundation

/// The configured tokens: from `--admin-token-file`/`--dataplane-token-file` if given, else from
/// `SLUICE_ADMIN_TOKEN`/`SLUICE_DATAPLANE_TOKEN`. A file's first line is the token (surrounding
/// whitespace trimmed). Values are kept in memory only; nothing here logs them.
public struct ControlTokens: Sendable {
    public var admin: String?
    /// Where the admin token came from, for the audit log: `env:SLUICE_ADMIN_TOKEN` or `file:<path>`.
    public var adminSource: String
    public var dataplane: String?

    public init(admin: String?, adminSource: String = "configured", dataplane: String?) {
        self.admin = admin
        self.adminSource = adminSource
        self.dataplane = dataplane
    }

    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func load(commandLine: ControlCommandLine,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(LoadError) -> ControlTokens {
        var tokens = ControlTokens(admin: nil, dataplane: nil)
        if let path = commandLine.adminTokenFile {
            tokens.admin = try read(path, flag: "--admin-token-file")
            tokens.adminSource = "file:" + path
        } else if let value = environment["SLUICE_ADMIN_TOKEN"], !value.trimmed.isEmpty {
            tokens.admin = value.trimmed
            tokens.adminSource = "env:SLUICE_ADMIN_TOKEN"
        }
        if let path = commandLine.dataplaneTokenFile {
            tokens.dataplane = try read(path, flag: "--dataplane-token-file")
        } else if let value = environment["SLUICE_DATAPLANE_TOKEN"], !value.trimmed.isEmpty {
            tokens.dataplane = value.trimmed
        }
        if let admin = tokens.admin, admin == tokens.dataplane {
            throw LoadError(description: "the admin token and the data-plane token must differ")
        }
        return tokens
    }

    private static func read(_ path: String, flag: String) throws(LoadError) -> String {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LoadError(description: "\(flag) \(path): cannot read the file")
        }
        let token = String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").trimmed
        guard !token.isEmpty else { throw LoadError(description: "\(flag) \(path): the file holds no token") }
        return token
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
