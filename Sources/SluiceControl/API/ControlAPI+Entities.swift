import SluiceConfig

/// Entity CRUD and API keys: `/v1/{upstreams,routes,tiers,consumers,jwt-keys}[/{key}]`,
/// `/v1/consumers/{id}/api-keys[/{key_id}]`.
extension ControlAPI {
    func listEntities(_ collection: APIEntityCollection, _ call: APICall) throws -> APIResponse {
        let page = try call.page()
        let entities = try store.list(collection.entityKind)
        return .json(200, page.wrap(entities.map(\.json)))
    }

    func getEntity(_ collection: APIEntityCollection, _ call: APICall) throws -> APIResponse {
        let entity = try store.get(collection.entityKind, id: call.parameter(collection.keyName))
        return .json(200, entity.json, headers: [("ETag", Self.quotedETag(entity.etag))])
    }

    func createEntity(_ collection: APIEntityCollection, _ call: APICall) throws -> APIResponse {
        let body = try call.jsonBody()
        let entity = try store.create(collection.entityKind, json: body, actor: call.actor)
        return .json(201, entity.json, headers: [
            ("Location", collection.collectionPath + "/" + PercentEncoding.encodeSegment(entity.id)),
            ("ETag", Self.quotedETag(entity.etag)),
        ])
    }

    func replaceEntity(_ collection: APIEntityCollection, _ call: APICall) throws -> APIResponse {
        let body = try call.jsonBody()
        let entity = try store.replace(collection.entityKind, id: call.parameter(collection.keyName), json: body,
                                       ifMatch: Self.ifMatchTag(call.request.ifMatch), actor: call.actor)
        return .json(200, entity.json, headers: [("ETag", Self.quotedETag(entity.etag))])
    }

    func deleteEntity(_ collection: APIEntityCollection, _ call: APICall) throws -> APIResponse {
        try store.delete(collection.entityKind, id: call.parameter(collection.keyName),
                         ifMatch: Self.ifMatchTag(call.request.ifMatch), actor: call.actor)
        return .noContent
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

    /// The tag an `If-Match` asks for, unquoted; nil for no field or `*` (any current entity).
    static func ifMatchTag(_ field: String?) -> String? {
        guard var text = field.map({ Substring($0).trimmingSpaces }), !text.isEmpty, text != "*" else { return nil }
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\"") && text.hasSuffix("\"") && text.count >= 2 { text = text.dropFirst().dropLast() }
        return String(text)
    }
}
