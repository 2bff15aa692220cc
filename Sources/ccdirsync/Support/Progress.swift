import Foundation

/// A progress bar on standard error, only on a terminal and only for work that has run longer than two seconds.
///
/// Under cron there is no terminal, so nothing of it reaches the mail cron sends.
final class ProgressBar {
    private let label: String
    private let started = Date()
    private var lastDrawn = Date.distantPast
    private var drawn = false
    private let enabled = isatty(STDERR_FILENO) == 1

    init(_ label: String) {
        self.label = label
    }

    func update(_ done: Int, of total: Int) {
        guard enabled, total > 0, Date().timeIntervalSince(started) > 2 else {
            return
        }
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDrawn) > 0.1 else {
            return
        }
        lastDrawn = now
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        Terminal.writeError("\r\(label) [\(bar)] \(done)/\(total)")
        drawn = true
    }

    /// For work of unknown size: a running count.
    func update(count: Int, unit: String) {
        guard enabled, Date().timeIntervalSince(started) > 2 else {
            return
        }
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) > 0.1 else {
            return
        }
        lastDrawn = now
        Terminal.writeError("\r\(label) \(count) \(unit)")
        drawn = true
    }

    func finish() {
        if drawn {
            Terminal.writeError("\r\u{1B}[K")
        }
    }
}
