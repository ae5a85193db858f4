#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOFileSystem
import NIOPosix
import UploadClient
import UploadModel

/// Turns the paths given to `upman put` into files to upload: a directory contributes every
/// regular file below it (named by its path from the directory's parent), a file its own name.
///
/// Names are bytes throughout (`DirectoryListing` reads them with readdir), never decoded on the
/// way, so a name that is not UTF-8 is uploaded too, under a lossless name (see `UploadName`).
/// Inside a directory nothing is dropped silently: what cannot be uploaded — a symbolic link
/// (unless `followSymlinks`), a FIFO, socket or device, an unreadable file or directory, an entry
/// that vanished, a directory loop — becomes a `SkippedEntry`. A path given on the command line
/// that is missing, unreadable or not a file or directory is an error (a `CLIError`). Nothing is
/// opened but directories, one at a time, while they are listed on NIO's thread pool.
struct FileCollector: Sendable {
    /// Whether symbolic links inside directories are followed (their files uploaded, their
    /// directories walked) instead of skipped. Paths given on the command line are always followed.
    var followSymlinks = false

    /// What becomes of one directory entry.
    enum Decision: Equatable {
        /// Upload it.
        case file(PathStatus)
        /// Walk it.
        case directory(PathStatus.Identity)
        /// Leave it out, for this reason.
        case skip(String)
    }

    /// The files under `paths`, and what was skipped.
    func collect(_ paths: [FilePath]) async throws -> FileCollection {
        var walk = Walk()
        for path in paths.map(\.bytes) {
            let shown = TerminalText.escaped(UploadName.display(path))
            let status: PathStatus
            switch try await NIOThreadPool.singleton.runIfActive({ PathStatus.of(path, following: true) }) {
            case .failure(let error): throw CLIError("\(shown): \(Self.describe(error))")
            case .success(let found): status = found
            }
            let name = try await baseName(path)
            switch status.kind {
            case .directory:
                try await walkDirectory(path, name: name, identity: status.identity, into: &walk, topLevel: true)
            case .regular:
                guard status.readable else { throw CLIError("\(shown): permission denied") }
                walk.add(path, name: name, status: status)
            default:
                throw CLIError("\(shown): not a regular file or directory (\(status.article))")
            }
        }
        if let name = walk.duplicate {
            throw CLIError(TerminalText.escaped("two files would be uploaded as \(UploadName.display(name)); upload them in separate groups"))
        }
        return FileCollection(files: walk.files(), skipped: walk.skipped)
    }

    /// What becomes of `entry` of a directory whose walk passed through `ancestors`.
    static func decide(_ entry: DirectoryListing.Entry, followSymlinks: Bool, ancestors: Set<PathStatus.Identity>) -> Decision {
        var status: PathStatus
        switch entry.status {
        case .failure(.noSuchFileOrDirectory): return .skip("it vanished while the directory was read")
        case .failure(let error): return .skip("cannot look at it (\(describe(error)))")
        case .success(let found): status = found
        }
        if status.kind == .symlink {
            guard followSymlinks else { return .skip("symbolic link, not followed (--follow-symlinks uploads what it points to)") }
            switch entry.target {
            case .success(let target)?: status = target
            case .failure(.noSuchFileOrDirectory)?, nil: return .skip("symbolic link to nothing (its target does not exist)")
            case .failure(let error)?: return .skip("symbolic link whose target cannot be looked at (\(describe(error)))")
            }
        }
        switch status.kind {
        case .regular:
            return status.readable ? .file(status) : .skip("permission denied")
        case .directory:
            guard !ancestors.contains(status.identity) else {
                return .skip("symbolic link back into a directory above it (a loop), not followed")
            }
            return .directory(status.identity)
        default:
            return .skip("\(status.article), not a regular file")
        }
    }

    /// The files and skips found so far.
    private struct Walk {
        var found: [(name: [UInt8], file: LocalFile)] = []
        var names: Set<[UInt8]> = []
        var duplicate: [UInt8]?
        var skipped: [SkippedEntry] = []

        mutating func add(_ path: [UInt8], name: [UInt8], status: PathStatus) {
            if !names.insert(name).inserted, duplicate == nil { duplicate = name }
            let file = LocalFile(pathBytes: path, uploadName: UploadName.encoded(name), displayName: UploadName.display(name),
                                 size: status.size, modifiedMillis: status.modifiedMillis)
            found.append((name, file))
        }

        mutating func skip(_ path: [UInt8], _ reason: String) {
            skipped.append(SkippedEntry(pathBytes: path, reason: reason))
        }

        func files() -> [LocalFile] {
            found.sorted { $0.name.lexicographicallyPrecedes($1.name) }.map(\.file)
        }
    }

    /// Lists `directory` (closed before going deeper), then takes each entry in byte order.
    private func walkDirectory(_ directory: [UInt8], name: [UInt8], identity: PathStatus.Identity, into walk: inout Walk,
                               topLevel: Bool = false, ancestors: Set<PathStatus.Identity> = []) async throws {
        let follow = followSymlinks
        let listing: DirectoryListing
        switch try await NIOThreadPool.singleton.runIfActive({ DirectoryListing.read(directory, followingLinks: follow) }) {
        case .success(let found):
            listing = found
        case .failure(let error):
            let reason = "cannot read the directory (\(Self.describe(error)))"
            if topLevel { throw CLIError(TerminalText.escaped("\(UploadName.display(directory)): \(reason)")) }
            walk.skip(directory, reason)
            return
        }
        let ancestors = ancestors.union([identity])
        let prefix = directory.last == UInt8(ascii: "/") ? directory : directory + [UInt8(ascii: "/")]
        for entry in listing.entries.sorted(by: { $0.name.lexicographicallyPrecedes($1.name) }) {
            try Task.checkCancellation()
            let path = prefix + entry.name
            switch Self.decide(entry, followSymlinks: followSymlinks, ancestors: ancestors) {
            case .file(let status):
                walk.add(path, name: name + [UInt8(ascii: "/")] + entry.name, status: status)
            case .directory(let identity):
                try await walkDirectory(path, name: name + [UInt8(ascii: "/")] + entry.name, identity: identity, into: &walk,
                                        ancestors: ancestors)
            case .skip(let reason):
                walk.skip(path, reason)
            }
        }
    }

    /// The name a path given on the command line contributes: its last component, the real one
    /// for `.`, `..` and `/`.
    private func baseName(_ path: [UInt8]) async throws -> [UInt8] {
        if let last = Self.lastComponent(path), last != [UInt8(ascii: ".")], last != [UInt8(ascii: "."), UInt8(ascii: ".")] {
            return last
        }
        let real = try await NIOThreadPool.singleton.runIfActive { () -> [UInt8]? in
            guard let resolved = realpath(path.map { CChar(bitPattern: $0) } + [0], nil) else { return nil }
            defer { free(resolved) }
            return FilePath.bytes(of: resolved)
        }
        guard let real, let last = Self.lastComponent(real) else {
            throw CLIError(TerminalText.escaped("\(UploadName.display(path)): cannot tell its name"))
        }
        return last
    }

    /// The last non-empty `/`-separated component of `path`.
    static func lastComponent(_ path: [UInt8]) -> [UInt8]? {
        path.split(separator: UInt8(ascii: "/")).last.map(Array.init)
    }

    /// "no such file or directory", "permission denied", … for `error`.
    static func describe(_ error: Errno) -> String {
        String(cString: strerror(error.rawValue)).lowercased()
    }
}
