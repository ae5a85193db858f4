import Foundation

/// A bucket notification as MinIO (and, with the same `Records`, AWS S3) delivers it.
///
/// MinIO adds `EventName` and `Key` (`bucket/key`) at the top; each record's `s3.object.key` is
/// URL-encoded with a space as `+`. Removal events carry no size or eTag.
struct StorageNotification: Decodable, Sendable {
    /// `s3:ObjectCreated:Put`, … (MinIO only).
    var EventName: String?
    /// `bucket/key` (MinIO only).
    var Key: String?
    /// The events; MinIO sends one per delivery.
    var Records: [Record]?

    /// One event.
    struct Record: Decodable, Sendable {
        var eventSource: String?
        var eventName: String?
        var eventTime: String?
        var s3: S3Entity?
    }

    /// The bucket and object of an event.
    struct S3Entity: Decodable, Sendable {
        var bucket: Bucket?
        var object: Object?
    }

    /// The bucket of an event.
    struct Bucket: Decodable, Sendable {
        var name: String?
    }

    /// The object of an event.
    struct Object: Decodable, Sendable {
        var key: String?
        var size: Int64?
        var eTag: String?
        var sequencer: String?
    }

    /// An event's key as stored: `+` is a space, then percent-decoding.
    static func decodeKey(_ encoded: String) -> String? {
        encoded.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
