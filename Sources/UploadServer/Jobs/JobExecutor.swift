import ObjectStorage
import UploadModel

/// Runs one processing job: finds its kind in ``JobKinds`` and turns what the run threw into a
/// failed ``JobOutcome`` (retryable unless the error is a client's 4xx).
struct JobExecutor: Sendable {
    let storage: any ObjectStorage
    let configuration: ServerConfiguration

    func run(_ job: ProcessingJob, session: UploadSession) async -> JobOutcome {
        guard let kind = JobKinds.named(job.kind) else {
            return .failed(ErrorDetail(code: "unknownJob", message: "no job kind '\(job.kind)'"), retryable: false)
        }
        do {
            return try await kind.run(JobContext(session: session, storage: storage, configuration: configuration))
        } catch let error as UploadError {
            return .failed(error.detail, retryable: error.code.httpStatus >= 500)
        } catch {
            return .failed(ErrorDetail(code: "jobError", message: "\(error)"), retryable: true)
        }
    }
}
