import NIOCore
import UploadModel

/// One committed event with its SSE frame (`id:`, `event:`, `data:` lines), encoded once at publish
/// time and shared by every subscriber that is sent it.
public struct FramedEvent: Sendable {
    /// The event.
    public let event: UploadEvent
    /// Its `text/event-stream` frame (WHATWG HTML §9.2, "Server-sent events").
    public let frame: ByteBuffer

    /// Encodes `event`'s frame.
    public init(_ event: UploadEvent) {
        self.event = event
        self.frame = ByteBuffer(string: event.sseFrame)
    }
}
