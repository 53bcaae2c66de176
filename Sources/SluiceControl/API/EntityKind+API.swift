extension EntityKind {
    /// `/v1/upstreams`.
    public var collectionPath: String { "/v1/" + pathName }
    /// `/v1/upstreams/{name}` (`{id}` for consumers, `{kid}` for JWT keys).
    public var itemPath: String { collectionPath + "/{" + keyName + "}" }
}
