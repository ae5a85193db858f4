import Crypto
import Foundation
import ObjectStorage
import UploadModel

/// Runs one processing job of a known kind against the stored object.
struct JobExecutor: Sendable {
    let storage: any ObjectStorage
    let execCommand: String?
    let execTimeout: TimeInterval

    func run(_ job: ProcessingJob, session: UploadSession) async -> JobOutcome {
        do {
            switch job.kind {
            case "sha256": return try await sha256(session)
            case "content-type": return try await contentType(session)
            case "exec": return try await exec(session)
            default:
                return .failed(ErrorDetail(code: "unknownJob", message: "no job kind '\(job.kind)'"), retryable: false)
            }
        } catch let error as UploadError {
            return .failed(error.detail, retryable: error.code.httpStatus >= 500)
        } catch {
            return .failed(ErrorDetail(code: "jobError", message: "\(error)"), retryable: true)
        }
    }

    /// The object's SHA-256: the one computed while a single PUT streamed in when there is one,
    /// else the whole object read and hashed (swift-crypto: BoringSSL's SHA-NI code where the CPU
    /// has it). Fails for good when the client declared another digest.
    private func sha256(_ session: UploadSession) async throws -> JobOutcome {
        let digest: String
        if let received = session.receivedSHA256 {
            digest = received
        } else {
            var hasher = SHA256()
            try await storage.read(key: session.objectKey) { chunk in
                hasher.update(data: chunk)
                return true
            }
            digest = Hex.lowercase(hasher.finalize())
        }
        if let declared = session.sha256, declared != digest {
            return .failed(ErrorDetail(code: "sha256Mismatch", message: "declared sha256 \(declared) but the stored bytes hash to \(digest)"), retryable: false)
        }
        return .succeeded(output: digest)
    }

    /// Sniffs the real media type from the first bytes.
    private func contentType(_ session: UploadSession) async throws -> JobOutcome {
        var head: [UInt8] = []
        try await storage.read(key: session.objectKey) { chunk in
            head += chunk.prefix(512 - head.count)
            return head.count < 512
        }
        return .succeeded(output: ContentSniffer.mediaType(of: head))
    }

    /// Runs the operator's command with the file's path; its exit status decides.
    private func exec(_ session: UploadSession) async throws -> JobOutcome {
        guard let command = execCommand, !command.isEmpty else {
            return .failed(ErrorDetail(code: "execNotConfigured", message: "no exec command is configured"), retryable: false)
        }
        let file = try await storage.localFile(key: session.objectKey)
        defer { if file.temporary { try? FileManager.default.removeItem(at: file.url) } }
        let result = try await CommandRunner.run(
            command: command, arguments: [file.url.path],
            environment: ["UPMAN_SESSION_ID": session.id, "UPMAN_GROUP_ID": session.groupId,
                          "UPMAN_FILE_NAME": session.fileName, "UPMAN_OBJECT_KEY": session.objectKey],
            timeout: execTimeout)
        let printed = result.stderr.isEmpty ? result.stdout
            : result.stdout + (result.stdout.isEmpty || result.stdout.hasSuffix("\n") ? "" : "\n") + "--- stderr ---\n" + result.stderr
        if result.timedOut {
            return .failed(ErrorDetail(code: "execTimeout", message: "\(command) ran longer than \(Int(execTimeout)) s and was stopped"),
                           retryable: true, output: printed)
        }
        guard result.status == 0 else {
            let tail = result.stderr.isEmpty ? result.stdout : result.stderr
            return .failed(ErrorDetail(code: "execFailed", message: "\(command) exited with status \(result.status): \(tail)"),
                           retryable: true, output: printed)
        }
        return .succeeded(output: result.stdout)
    }
}
