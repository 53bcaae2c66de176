import SluiceConfig

/// Entity CRUD and API keys: `/v1/{upstreams,routes,tiers,orgs,consumers,jwt-keys}[/{key}]`,
/// `/v1/consumers/{id}/api-keys[/{key_id}]`.
extension ControlAPI {
    func listEntities(_ collection: EntityKind, _ call: APICall) throws -> APIResponse {
        let page = try call.page()
        let entities = try store.list(collection, limit: page.limit, offset: page.offset)
        return .json(200, page.wrap(entities.items.map(\.json), total: entities.total))
    }

    func getEntity(_ collection: EntityKind, _ call: APICall) throws -> APIResponse {
        let id = call.parameter(collection.keyName)
        guard let entity = try store.get(collection, id) else { throw StoreError.notFound("\(collection.singular) \"\(id)\"") }
        return .json(200, entity.json, headers: [("ETag", Self.quotedETag(entity.etag))])
    }

    func createEntity(_ collection: EntityKind, _ call: APICall) throws -> APIResponse {
        let body = try call.jsonBody()
        let entity = try store.create(collection, json: body, actor: call.actor)
        return .json(201, entity.json, headers: [
            ("Location", collection.collectionPath + "/" + PercentEncoding.encodeSegment(entity.id)),
            ("ETag", Self.quotedETag(entity.etag)),
        ])
    }

    func replaceEntity(_ collection: EntityKind, _ call: APICall) throws -> APIResponse {
        let body = try call.jsonBody()
        let entity = try store.replace(collection, call.parameter(collection.keyName), json: body,
                                       ifMatch: call.request.ifMatch, actor: call.actor)
        return .json(200, entity.json, headers: [("ETag", Self.quotedETag(entity.etag))])
    }

    func deleteEntity(_ collection: EntityKind, _ call: APICall) throws -> APIResponse {
        try store.delete(collection, call.parameter(collection.keyName),
                         ifMatch: call.request.ifMatch, actor: call.actor)
        return .noContent
    }

    /// A consumer's API keys, oldest first: ids (to revoke one), the key's first characters and
    /// when it was issued; never the key or its hash.
    func listAPIKeys(_ call: APICall) throws -> APIResponse {
        let consumer = call.parameter("id")
        let page = try call.page()
        let keys = try store.apiKeys(consumerID: consumer).map { record in
            JSONValue.object([
                .init("key_id", .string(record.keyID)),
                .init("consumer", .string(record.consumerID)),
                .init("prefix", .string(record.prefix)),
                .init("created_at", .string(record.createdAt.rfc3339)),
            ])
        }
        return .json(200, page.wrap(all: keys))
    }

    func createAPIKey(_ call: APICall) throws -> APIResponse {
        let consumer = call.parameter("id")
        let issued = try store.createAPIKey(consumerID: consumer, actor: call.actor)
        return .json(201, .object([
            .init("key_id", .string(issued.keyID)),
            .init("consumer", .string(consumer)),
            .init("key", .string(issued.key)),
        ]), headers: [("Location", "/v1/consumers/" + PercentEncoding.encodeSegment(consumer) + "/api-keys/"
                        + PercentEncoding.encodeSegment(issued.keyID))])
    }

    func deleteAPIKey(_ call: APICall) throws -> APIResponse {
        try store.deleteAPIKey(consumerID: call.parameter("id"), keyID: call.parameter("key_id"), actor: call.actor)
        return .noContent
    }

    /// `ETag` field value: the store's tag as a strong entity-tag (RFC 9110 §8.8.3).
    static func quotedETag(_ tag: String) -> String {
        tag.hasPrefix("\"") ? tag : "\"" + tag + "\""
    }
}
