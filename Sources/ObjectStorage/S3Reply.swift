import Foundation
import UploadModel

/// Reads S3's XML answers: the fields upman needs, and errors as coded ``UploadError``s.
public enum S3Reply {
    /// The `<UploadId>` of an InitiateMultipartUploadResult.
    public static func uploadId(_ body: Data) throws(UploadError) -> String {
        guard let root = S3XMLElement.parse(body), isAnswer(root, "InitiateMultipartUpload"),
              let id = root.value("UploadId"), !id.isEmpty
        else {
            throw UploadError(.storageError, "S3 CreateMultipartUpload answered without an UploadId: \(snippet(body))")
        }
        return id
    }

    /// One page of a ListPartsResult: its parts, and the marker of the next page if it is truncated.
    public static func partsPage(_ body: Data) throws(UploadError) -> (parts: [StoredPart], next: Int?) {
        guard let root = S3XMLElement.parse(body), isAnswer(root, "ListParts") else {
            throw UploadError(.storageError, "S3 ListParts answered something else than ListPartsResult: \(snippet(body))")
        }
        let parts = root.all("Part").compactMap { part -> StoredPart? in
            guard let number = part.value("PartNumber").flatMap(Int.init), let etag = part.value("ETag"),
                  let size = part.value("Size").flatMap(Int64.init)
            else { return nil }
            return StoredPart(partNumber: number, etag: etag, size: size)
        }
        let truncated = root.value("IsTruncated")?.lowercased() == "true"
        let next = root.value("NextPartNumberMarker").flatMap(Int.init)
        return (parts, truncated ? next : nil)
    }

    /// The ETag of a CompleteMultipartUploadResult, or nil when the result carries none: Ceph's
    /// radosgw answers 200 with an empty `<ETag></ETag>` for an upload it did complete, so the
    /// caller reads the object's ETag with HeadObject instead. A 200 answer whose body is an
    /// `<Error>` (S3 may fail a complete after it started answering; see the S3 API reference for
    /// CompleteMultipartUpload) is that error; a body that is neither is a ``UploadError/Code/storageError``.
    public static func completedETag(_ body: Data) throws(UploadError) -> String? {
        guard let root = S3XMLElement.parse(body) else {
            throw UploadError(.storageError, "S3 CompleteMultipartUpload answered with a body that is not XML: \(snippet(body))")
        }
        if root.name == "Error" { throw error(status: 200, body: body, operation: "CompleteMultipartUpload") }
        guard isAnswer(root, "CompleteMultipartUpload") else {
            throw UploadError(.storageError, "S3 CompleteMultipartUpload answered something else than CompleteMultipartUploadResult: \(snippet(body))")
        }
        guard let etag = root.value("ETag")?.trimmingCharacters(in: .whitespacesAndNewlines), !etag.isEmpty else { return nil }
        return etag
    }

    /// The `<Code>` of an S3 error body, if the body is one.
    public static func errorCode(_ body: Data) -> String? {
        guard let root = S3XMLElement.parse(body), root.name == "Error" else { return nil }
        return root.value("Code")
    }

    /// An S3 error answer as an ``UploadError``: `NoSuchUpload` → ``UploadError/Code/uploadGone``,
    /// `NoSuchKey`/404 → notFound, `InvalidPart`/`InvalidPartOrder`/`EntityTooSmall` → the codes of the
    /// same names (409: the parts must be sent again, the session stays open), anything else →
    /// storageError (retryable).
    public static func error(status: Int, body: Data, operation: String) -> UploadError {
        let root = S3XMLElement.parse(body)
        let code = root?.name == "Error" ? (root?.value("Code") ?? "") : ""
        let message = root?.value("Message") ?? ""
        let text = "S3 \(operation) failed with HTTP \(status)"
            + (code.isEmpty ? "" : " \(code)") + (message.isEmpty ? "" : ": \(message)")
        switch code {
        case "NoSuchUpload": return UploadError(.uploadGone, text)
        case "NoSuchKey": return UploadError(.notFound, text)
        case "InvalidPart": return UploadError(.invalidPart, text)
        case "InvalidPartOrder": return UploadError(.invalidPartOrder, text)
        case "EntityTooSmall": return UploadError(.entityTooSmall, text)
        case "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId": return UploadError(.storageError, text)
        default:
            if code.isEmpty && status == 404 { return UploadError(.notFound, text) }
            return UploadError(.storageError, text)
        }
    }

    /// `<OperationResult>` as S3 names it, or `<OperationResponse>` as some test servers do.
    private static func isAnswer(_ root: S3XMLElement, _ operation: String) -> Bool {
        root.name == operation + "Result" || root.name == operation + "Response"
    }

    private static func snippet(_ body: Data) -> String {
        String(decoding: body.prefix(200), as: UTF8.self)
    }
}
