import SluiceConfig

extension EntityCollection {
    static let upstreams = EntityCollection(
        command: "upstreams", singular: "upstream", identityKey: "name",
        columns: ["NAME", "ALGORITHM", "TARGETS"],
        row: { upstream in
            let targets = (upstream["targets"]?.elements ?? []).map { (target: JSONValue) -> String in
                let weight = target.cell("weight")
                return weight.isEmpty || weight == "1" ? target.cell("url") : "\(target.cell("url"))*\(weight)"
            }
            return [upstream.cell("name"), upstream.cell("algorithm"), targets.joined(separator: ",")]
        },
        fields: { arguments throws(SluicectlError) in
            var members: [JSONValue.Member] = []
            if let name = try arguments.value("--name") { members.append(.init("name", .string(name))) }
            if let algorithm = try arguments.value("--algorithm") { members.append(.init("algorithm", .string(algorithm))) }
            let targets = try arguments.values("--target")
            if !targets.isEmpty { members.append(.init("targets", .array(try targets.map(EntityCollection.target)))) }
            return members
        },
        flagHelp: """
              --name NAME            the upstream's name
              --target URL[:WEIGHT]  a target (repeat for several), e.g. http://10.0.0.5:8080:3
              --algorithm ALG        round_robin (the default and, for now, the only one)
            """)

    static let routes = EntityCollection(
        command: "routes", singular: "route", identityKey: "name",
        columns: ["NAME", "HOSTS", "PREFIX", "METHODS", "UPSTREAM", "AUTH"],
        row: { route in
            func all(_ key: String) -> String { route.cell(key).isEmpty ? "*" : route.cell(key) }
            return [route.cell("name"), all("hosts"), route.cell("path_prefix"), all("methods"),
                    route.cell("upstream"), route.cell("auth")]
        },
        fields: { arguments throws(SluicectlError) in
            var members: [JSONValue.Member] = []
            if let name = try arguments.value("--name") { members.append(.init("name", .string(name))) }
            let hosts = try arguments.values("--host")
            if !hosts.isEmpty { members.append(.init("hosts", .array(hosts.map { .string($0) }))) }
            if let prefix = try arguments.value("--path-prefix") { members.append(.init("path_prefix", .string(prefix))) }
            let methods = try arguments.values("--method")
            if !methods.isEmpty { members.append(.init("methods", .array(methods.map { .string($0.uppercased()) }))) }
            if arguments.flag("--strip-prefix") { members.append(.init("strip_prefix", .bool(true))) }
            if arguments.flag("--no-strip-prefix") { members.append(.init("strip_prefix", .bool(false))) }
            if let upstream = try arguments.value("--upstream") { members.append(.init("upstream", .string(upstream))) }
            if let timeout = try arguments.integer("--timeout-ms") { members.append(.init("timeout_ms", .integer(Int64(timeout)))) }
            if let bytes = try arguments.integer("--max-body-bytes") {
                members.append(.init("max_body_bytes", .integer(Int64(bytes))))
            }
            if let auth = try arguments.value("--auth") { members.append(.init("auth", .string(auth))) }
            if let header = try arguments.value("--api-key-header") { members.append(.init("api_key_header", .string(header))) }
            return members
        },
        flagHelp: """
              --name NAME            the route's name
              --path-prefix PREFIX   e.g. /api (default /)
              --upstream NAME        the upstream it proxies to
              --host HOST            match this Host (repeat for several; default any)
              --method METHOD        match this method (repeat for several; default any)
              --strip-prefix         remove the prefix before proxying (--no-strip-prefix to undo)
              --timeout-ms N         upstream timeout
              --max-body-bytes N     request body limit
              --auth MODE            none, jwt, api_key or jwt_or_api_key
              --api-key-header NAME  the header API keys come in (default X-API-Key)
              (claims_to_headers and rate_limit: use --file)
            """)

    static let tiers = EntityCollection(
        command: "tiers", singular: "tier", identityKey: "name",
        columns: ["NAME"] + limitColumns,
        row: limitRow(identity: "name"),
        fields: limitEntityFields(identityFlag: "--name", identity: "name"),
        flagHelp: """
              --name NAME            the tier's name
            \(limitFlagHelp)
            """)

    static let orgs = EntityCollection(
        command: "orgs", singular: "org", identityKey: "id",
        columns: ["ID"] + limitColumns,
        row: limitRow(identity: "id"),
        fields: limitEntityFields(identityFlag: "--id", identity: "id"),
        flagHelp: """
              --id ID                the org's id (what consumers name in "org")
            \(limitFlagHelp)
              (at least one of --rps, --per-minute, --per-day)
            """)

    /// Tiers and orgs are an identity plus the same four limits: their table columns, row and
    /// fields are these, around their own identity member.
    static let limitColumns = ["RPS", "BURST", "PER_MINUTE", "PER_DAY"]

    static func limitRow(identity: String) -> @Sendable (JSONValue) -> [String] {
        { entity in
            [entity.cell(identity)] + ["requests_per_second", "burst", "requests_per_minute", "requests_per_day"].map { entity.cell($0) }
        }
    }

    static func limitEntityFields(identityFlag: String, identity: String)
        -> @Sendable (inout ArgumentList) throws(SluicectlError) -> [JSONValue.Member] {
        { (arguments: inout ArgumentList) throws(SluicectlError) -> [JSONValue.Member] in
            var members: [JSONValue.Member] = []
            if let value = try arguments.value(identityFlag) { members.append(.init(identity, .string(value))) }
            return members + (try EntityCollection.limitFields(&arguments))
        }
    }

    /// `--rps`, `--burst`, `--per-minute`, `--per-day` as the limit fields of a tier or org.
    static func limitFields(_ arguments: inout ArgumentList) throws(SluicectlError) -> [JSONValue.Member] {
        var members: [JSONValue.Member] = []
        if let rate = try arguments.value("--rps") {
            if let whole = Int64(rate) {
                members.append(.init("requests_per_second", .integer(whole)))
            } else if let number = Double(rate), number.isFinite {
                members.append(.init("requests_per_second", .number(number)))
            } else {
                throw .usage("--rps needs a number, got \"\(rate)\"")
            }
        }
        if let burst = try arguments.integer("--burst") { members.append(.init("burst", .integer(Int64(burst)))) }
        if let perMinute = try arguments.integer("--per-minute") {
            members.append(.init("requests_per_minute", .integer(Int64(perMinute))))
        }
        if let perDay = try arguments.integer("--per-day") { members.append(.init("requests_per_day", .integer(Int64(perDay)))) }
        return members
    }

    static let limitFlagHelp = """
          --rps N                requests per second (may be fractional)
          --burst N              bucket size
          --per-minute N         requests per minute quota
          --per-day N            requests per day quota
        """

    static let consumers = EntityCollection(
        command: "consumers", singular: "consumer", identityKey: "id",
        columns: ["ID", "TIER", "ORG"],
        row: { consumer in [consumer.cell("id"), consumer.cell("tier"), consumer.cell("org")] },
        fields: { arguments throws(SluicectlError) in
            var members: [JSONValue.Member] = []
            if let id = try arguments.value("--id") { members.append(.init("id", .string(id))) }
            if let tier = try arguments.value("--tier") { members.append(.init("tier", .string(tier))) }
            if let org = try arguments.value("--org") { members.append(.init("org", .string(org))) }
            return members
        },
        flagHelp: """
              --id ID                the consumer's id
              --tier NAME            its rate-limit tier
              --org ORG              its organisation
            """)

    static let jwtKeys = EntityCollection(
        command: "jwt-keys", singular: "JWT key", identityKey: "kid",
        columns: ["KID", "ALG", "ISSUER", "AUDIENCES", "LEEWAY"],
        row: { key in [key.cell("kid"), key.cell("alg"), key.cell("issuer"), key.cell("audiences"), key.cell("leeway_seconds")] },
        fields: { arguments throws(SluicectlError) in
            var members: [JSONValue.Member] = []
            if let kid = try arguments.value("--kid") { members.append(.init("kid", .string(kid))) }
            if let alg = try arguments.value("--alg") { members.append(.init("alg", .string(alg))) }
            if let secret = try arguments.value("--secret") { members.append(.init("secret", .string(secret))) }
            if let file = try arguments.value("--public-key-file") {
                let pem = try InputFile.read(file)
                members.append(.init("public_key_pem", .string(String(decoding: pem, as: UTF8.self))))
            }
            if let issuer = try arguments.value("--issuer") { members.append(.init("issuer", .string(issuer))) }
            if let file = try arguments.value("--jwk-file") { members.append(.init("jwk", try InputFile.object(file))) }
            let audiences = try arguments.values("--audience")
            if !audiences.isEmpty { members.append(.init("audiences", .array(audiences.map { .string($0) }))) }
            if let leeway = try arguments.integer("--leeway-seconds") {
                members.append(.init("leeway_seconds", .integer(Int64(leeway))))
            }
            return members
        },
        flagHelp: """
              --kid KID              the key id
              --alg ALG              HS256, RS256, ES256, …
              --secret BASE64        the HMAC secret
              --public-key-file PEM  the public key, read from a file
              --issuer ISS           required iss claim
              --jwk-file FILE        the public key as a JWK JSON object, read from a file
              --audience AUD         an accepted aud claim (repeat for several)
              --leeway-seconds N     clock skew allowed for exp/nbf (0…300, default 30)
            """)

    /// `URL` or `URL:WEIGHT`: a trailing `:N` is a weight when the authority already has a port
    /// (`http://10.0.0.5:8080:3`), else it is the port (`http://10.0.0.5:8080`).
    static func target(_ text: String) throws(SluicectlError) -> JSONValue {
        var authority = Substring(text)
        if let scheme = text.firstRange(of: "://") { authority = text[scheme.upperBound...] }
        if let bracket = authority.lastIndex(of: "]") { authority = authority[authority.index(after: bracket)...] }
        let colons = authority.filter { $0 == ":" }.count
        guard colons >= 2, let colon = text.lastIndex(of: ":") else {
            return .object([.init("url", .string(text))])
        }
        let weightText = text[text.index(after: colon)...]
        guard let weight = Int64(weightText) else { throw .usage("bad --target weight in \"\(text)\"") }
        return .object([.init("url", .string(String(text[..<colon]))), .init("weight", .integer(weight))])
    }
}
