import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The browser uploader that `upman serve` hands out: the page at `GET /` and `GET /upload`, its
/// script, and the client module at `GET /upman-client.js`, all embedded in the binary (no
/// external assets: it works offline on a LAN).
enum WebPages {
    /// A served file: its bytes and media type.
    struct Asset: Sendable {
        let bytes: [UInt8]
        let mediaType: String
    }

    /// Every asset by path.
    static let assets: [String: Asset] = [
        "/": Asset(bytes: PackageResources.index_html, mediaType: "text/html; charset=utf-8"),
        "/upload": Asset(bytes: PackageResources.index_html, mediaType: "text/html; charset=utf-8"),
        "/upload-page.js": Asset(bytes: PackageResources.upload_page_js, mediaType: "text/javascript; charset=utf-8"),
        "/upman-client.js": Asset(bytes: PackageResources.upman_client_js, mediaType: "text/javascript; charset=utf-8"),
    ]

    /// The response for `path`: the asset, with a Content-Security-Policy that lets the page talk
    /// to this server and to `storageOrigin` (the origin its part PUTs go to: an S3 endpoint, or
    /// this server at the address it signs URLs for) only.
    static func response(for path: String, storageOrigin: String?) -> Response? {
        guard let asset = assets[path] else { return nil }
        var headers = HTTPFields()
        headers[.contentType] = asset.mediaType
        headers[.cacheControl] = "no-cache"
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        let connect = ["'self'", storageOrigin].compactMap { $0 }.joined(separator: " ")
        headers[.contentSecurityPolicy] =
            "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src \(connect); img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
