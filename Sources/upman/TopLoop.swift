import Dashboard
import Dispatch
import Foundation
import Synchronization
import Terminal
import UploadClient
import UploadModel

/// Runs the live dashboard: one thread owns the terminal and the dashboard state and sleeps in
/// `poll` until a key arrives or the inbox is posted to (event feed, action results, signals);
/// it redraws only when something changed or when something on screen changes by itself (an age
/// passing a unit, a speed decaying, an upload becoming stalled); a frame that did not change
/// writes nothing, and an idle screen whose ages are past a minute sleeps for minutes.
///
/// Every read of the ``DashboardSource`` (SQLite through ``ReaderSource``, or HTTP through
/// ``RemoteSource`` with `--server`) happens on that thread, which may block; none on the
/// cooperative pool. With a remote source the first read may fail (the server is away): the
/// dashboard then opens empty, shows the connection as reconnecting and tries again until it loads.
final class TopLoop: @unchecked Sendable {
    private let source: any DashboardSource
    /// Whether the source is the server's snapshot endpoint (no database is open).
    private let remote: Bool
    private let serverURL: URL
    private let token: String?
    private let theme: Theme
    private let colorMode: ColorMode
    private let readOnly: Bool
    private let inbox: DashboardInbox
    private let trace: FrameTrace?
    /// How often the source is checked while the server's stream is away: the database often; a
    /// remote server less often, since each check is a request that the terminal thread waits for.
    private var watchInterval: TimeInterval { remote ? 2 : 0.5 }
    /// The event feed, once started (it starts when the dashboard has loaded).
    private let feedTask = Mutex<Task<Void, Never>?>(nil)

    init(source: any DashboardSource, remote: Bool = false, serverURL: URL, token: String?, theme: Theme, colorMode: ColorMode,
         readOnly: Bool, trace: FrameTrace? = nil) throws {
        self.trace = trace
        self.source = source
        self.remote = remote
        self.serverURL = serverURL
        self.token = token
        self.theme = theme
        self.colorMode = colorMode
        self.readOnly = readOnly
        inbox = try DashboardInbox()
    }

    /// Runs until the operator quits (or SIGTERM / SIGHUP).
    func run() async throws {
        let signals = watchSignals()
        let outcome: Result<Void, Error> = await withCheckedContinuation { continuation in
            let thread = Thread { [self] in
                continuation.resume(returning: Result { try self.loop() })
            }
            thread.name = "upman-top-terminal"
            thread.start()
        }
        feedTask.withLock { $0?.cancel() }
        signals.forEach { $0.cancel() }
        try outcome.get()
    }

    /// Follows the server's event feed from `start`, posting its items to the inbox.
    private func startFeed(after start: Int64) {
        guard let token else { return }
        let feed = EventFeed(server: serverURL, token: token)
        let inbox = self.inbox
        feedTask.withLock { task in
            task?.cancel()
            task = Task {
                for await item in feed.items(after: start) { inbox.post(.feed(item, arrived: Date())) }
            }
        }
    }

    /// The dashboard, loaded on this (the terminal) thread. A database that cannot be read ends the
    /// command; a server that cannot be reached leaves the dashboard empty (`loaded` false).
    private func makeDashboard() throws -> (Dashboard, loaded: Bool) {
        let label = serverURL.absoluteString
        do {
            let dashboard = try Dashboard(source: source, readOnly: readOnly, serverLabel: label, deferTotals: true)
            if token == nil {
                dashboard.setConnection(.databaseOnly)
                dashboard.setStatus("no token for \(label): watching the database; actions need --token or --data", style: .error)
            }
            startFeed(after: dashboard.lastEventId)
            return (dashboard, true)
        } catch where remote {
            let dashboard = Dashboard(unloaded: source, readOnly: readOnly, serverLabel: label)
            dashboard.setConnection(.reconnecting(attempt: 1, reason: "\(error)"))
            dashboard.setStatus("\(error)", style: .error)
            return (dashboard, false)
        }
    }

    /// What a failed read says on the status line.
    private func readFailure(_ error: any Error) -> String {
        remote ? "\(error)" : "cannot read the database: \(error)"
    }

    /// The terminal thread's loop.
    private func loop() throws {
        let (dashboard, loadedAtStart) = try makeDashboard()
        var loaded = loadedAtStart
        var loadAttempts = 1
        guard let screen = TerminalScreen(theme: theme, colorMode: colorMode) else {
            throw CLIError("this terminal cannot show the dashboard (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset")); use `upman top --once`")
        }
        defer { screen.end() }
        var lastWatch = loaded ? Date.distantPast : Date()
        var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: inbox.readDescriptor, events: Int16(POLLIN), revents: 0)]
        while true {
            // Sleep until a key, a message, the next change on screen (an age, a speed, a
            // stall), or the next database read that is due.
            let now = Date()
            // At most a quarter second: a resize (SIGWINCH) may be delivered to another thread and
            // not wake poll; ncurses reports it as a key at the next read. A wake that finds
            // nothing to do draws nothing.
            var until = now.addingTimeInterval(dashboard.connection == .live ? 0.25 : min(0.25, watchInterval))
            if let next = dashboard.nextChange, next < until { until = next }
            if loaded, let read = dashboard.nextRead, read < until { until = read }
            let wait = Int32(max(0, min(250, until.timeIntervalSince(now) * 1000 + 1)))
            _ = poll(&descriptors, 2, dashboard.needsRender ? 0 : wait)
            let time = Date()
            var keys = 0
            var events: [Date] = []
            var arrivals: [Date] = []
            for event in screen.readEvents() {
                switch event {
                case .resize:
                    dashboard.setStatus("", now: time)
                case .key(let key):
                    keys += 1
                    for effect in dashboard.handle(key, now: time) {
                        switch effect {
                        case .quit: return
                        case .repaint: screen.invalidate()
                        case .perform(let action): perform(action, dashboard: dashboard)
                        }
                    }
                }
            }
            for message in inbox.drain() {
                switch message {
                case .quit:
                    return
                case .actionFinished(let text, let succeeded):
                    dashboard.setStatus(text, style: succeeded ? .success : .error, now: time)
                case .feed(let item, let arrived):
                    if trace != nil, case .event(let event) = item {
                        events.append(event.createdAt)
                        arrivals.append(arrived)
                    }
                    handle(item, dashboard: dashboard, now: time)
                }
            }
            if !loaded, time.timeIntervalSince(lastWatch) >= min(Double(loadAttempts), 5) * watchInterval / 2 {
                // The server was away at the start: try again, less often the longer it stays away.
                lastWatch = time
                loadAttempts += 1
                do {
                    try dashboard.reload(now: time, deferTotals: true)
                    loaded = true
                    dashboard.setConnection(.connecting)
                    dashboard.setStatus("", now: time)
                    startFeed(after: dashboard.lastEventId)
                } catch {
                    dashboard.setConnection(.reconnecting(attempt: loadAttempts, reason: "\(error)"))
                    dashboard.setStatus(readFailure(error), style: .error, now: time)
                }
            } else if loaded, dashboard.connection != .live, time.timeIntervalSince(lastWatch) >= watchInterval {
                lastWatch = time
                do { try dashboard.catchUpFromSource(now: time) } catch {
                    dashboard.setStatus(readFailure(error), style: .error, now: time)
                }
            }
            if dashboard.needsRender || dashboard.nextChange.map({ $0 <= time }) ?? false {
                let grid = dashboard.render(width: screen.width, height: screen.height, now: time)
                let written = screen.present(grid)
                dashboard.rendered()
                trace?.frame(rowsWritten: written, keyReadAt: keys > 0 ? time : nil, eventTimes: events, arrivalTimes: arrivals)
            }
            // Counts, totals and problems are read after the frame (the first frame comes first,
            // and a key's or an event's frame never waits for their scans); what changed is drawn
            // by the next turn, at once.
            if loaded {
                do { try dashboard.refresh(now: Date()) } catch {
                    dashboard.setStatus(readFailure(error), style: .error, now: time)
                }
            }
        }
    }

    private func handle(_ item: FeedItem, dashboard: Dashboard, now: Date) {
        switch item {
        case .event(let event):
            dashboard.apply(event, now: now)
        case .connected:
            dashboard.setConnection(.live)
        case .reconnecting(let attempt, let reason, _):
            dashboard.setConnection(.reconnecting(attempt: attempt, reason: reason))
        case .reset:
            do { try dashboard.reload(now: now) } catch {
                dashboard.setStatus(readFailure(error), style: .error, now: now)
            }
        }
    }

    /// Sends an operator action to the controller off the terminal thread; its result comes
    /// back through the inbox.
    private func perform(_ action: OperatorAction, dashboard: Dashboard) {
        guard let token else {
            dashboard.setStatus("no token: cannot \(action.verb.rawValue) (pass --token or --data)", style: .error)
            return
        }
        let client = ControllerClient(server: serverURL, token: token, timeout: .seconds(15))
        let inbox = self.inbox
        Task {
            do {
                let text = try await Self.send(action, client: client)
                inbox.post(.actionFinished(text, succeeded: true))
            } catch {
                inbox.post(.actionFinished("\(action.verb.rawValue) \(action.subject) failed: \(error)", succeeded: false))
            }
        }
    }

    /// Calls the controller and says what happened.
    static func send(_ action: OperatorAction, client: ControllerClient) async throws -> String {
        let target = ControllerRequest.Target(groupId: action.groupId, sessionId: action.sessionId, jobId: action.jobId,
                                              partNumbers: action.partNumbers)
        switch action.verb {
        case .retry:
            let retried = try await client.retry(target)
            var pieces: [String] = []
            if !retried.parts.isEmpty { pieces.append("\(retried.parts.count) part\(retried.parts.count == 1 ? "" : "s")") }
            if !retried.jobs.isEmpty { pieces.append("\(retried.jobs.count) job\(retried.jobs.count == 1 ? "" : "s")") }
            if !retried.sessions.isEmpty && pieces.isEmpty {
                pieces.append("\(retried.sessions.count) file\(retried.sessions.count == 1 ? "" : "s")")
            }
            return pieces.isEmpty ? "retry \(action.subject): nothing had failed" : "retried \(pieces.joined(separator: " and ")) (\(action.subject))"
        case .cancel:
            if let sessionId = action.sessionId {
                let session = try await client.cancel(sessionId: sessionId, reason: "cancelled from upman top")
                return "cancelled \(action.subject): now \(session.status.rawValue)"
            }
            let group = try await client.cancel(groupId: action.groupId ?? "", reason: "cancelled from upman top")
            return "cancelled \(action.subject): now \(group.status.rawValue)"
        case .delete:
            try await client.delete(target)
            return "deleted \(action.subject)"
        }
    }

    /// SIGTERM and SIGHUP end the dashboard cleanly (the terminal is restored).
    private func watchSignals() -> [DispatchSourceSignal] {
        [SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let inbox = self.inbox
            source.setEventHandler { inbox.post(.quit) }
            source.resume()
            return source
        }
    }
}
