/// The OpenAPI 3.0.3 description of upman's HTTP API, served at `GET /api/v1/openapi.yaml`.
///
/// The document is the resource `openapi.yaml` beside this file, embedded in the binary at build time.
enum OpenAPIDocument {
    /// The document as YAML, exactly as `openapi.yaml` holds it.
    static let yaml = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
}
