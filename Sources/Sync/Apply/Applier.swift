import Foundation
import LDAPModel
import Logging

/// Executes a plan: phase by phase, pipelined, each change guarded by its preconditions, journalled as it lands.
///
/// A change whose preconditions no longer hold is skipped as stale, never forced. A change whose result the
/// directory already holds (a value that exists, a value already gone, an identical entry) counts as done, which
/// is what makes an interrupted run safe to repeat. Busy, unavailable and lost-connection results are retried
/// with exponential backoff and jitter, reconnecting as needed, within a bounded number of attempts and time;
/// refusals (schema, constraint, access) are reported per change and not retried. A change that was sent and never
/// answered is journalled as `unknown` unless a later attempt settles it. A journal line that cannot be written
/// stops the apply before the next write: nothing goes to the directory that the journal does not record.
package final class Applier {
    /// Tuning and the clock, injectable for tests.
    package struct Options: Sendable {
        /// Operations outstanding at once.
        package var window = 32
        /// Changes read and written together: a change's entry is read at most this many changes before its write
        /// goes out (the time between re-read and write on a server without the assertion control).
        package var batch = 256
        /// Attempts per change, the first one included.
        package var maxAttempts = 6
        /// Longest total time spent retrying, in seconds.
        package var maxRetrySeconds = 120.0
        /// The first backoff, doubled on each retry (with up to 50% jitter).
        package var baseDelaySeconds = 0.5
        /// Waits between retries.
        package var sleep: @Sendable (Double) -> Void = { seconds in
            Thread.sleep(forTimeInterval: seconds)
        }

        package init() {}
    }

    let writer: any DirectoryWriter
    let journal: any JournalSink
    let options: Options
    /// Phases, retries (`change.id`, `ldap.dn`, `ldap.result`, `apply.attempt`) and reconnects at debug; a lost
    /// connection the run recovers from at info, since nothing else reports it. Nothing per write that succeeds.
    let logger: Logger
    /// Called after each change with (changes finished, total).
    package var progress: ((Int, Int) -> Void)?

    package init(
        writer: any DirectoryWriter, journal: any JournalSink, options: Options = Options(), logger: Logger = .current
    ) {
        self.writer = writer
        self.journal = journal
        self.options = options
        self.logger = logger
    }

    /// Applies the plan's changes in order: deletes, modifies, creates.
    package func apply(_ plan: Plan) -> ApplyResult {
        var run = Run(plan: plan, applier: self)
        logger.debug(
            "apply",
            metadata: [
                "plan.hash": "\(plan.planHash)", "apply.changes": "\(plan.changes.count)",
                "apply.window": "\(options.window)", "apply.assertions": "\(writer.supportsAssertions)",
            ])
        run.journal(JournalRecord(record: "start", planHash: plan.planHash, time: Self.now()))
        for kind in Plan.ChangeKind.allCases.sorted() where run.result.journalFailure == nil {
            let changes = plan.changes.filter { $0.kind == kind }
            logger.debug("phase", metadata: ["change.kind": "\(kind.rawValue)", "apply.changes": "\(changes.count)"])
            run.phase(changes)
        }
        run.journal(JournalRecord(record: "end", planHash: plan.planHash, time: Self.now()))
        return run.result
    }

    /// ISO 8601 in UTC with milliseconds, formatted by hand: a formatter per journal line would cost more than the
    /// write it describes.
    static func now() -> String {
        let interval = Date().timeIntervalSince1970
        var seconds = time_t(interval)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let milliseconds = Int((interval - Double(seconds)) * 1000)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), milliseconds)
    }
}

/// One apply in progress.
private struct Run {
    let plan: Plan
    let applier: Applier
    var result = ApplyResult()
    var finished = 0

    init(plan: Plan, applier: Applier) {
        self.plan = plan
        self.applier = applier
    }

    var writer: any DirectoryWriter { applier.writer }
    /// What a deleted entry is journalled with: the plan's profile's `recipientAttributes`.
    var profile: Profile { Profile.named(plan.profile) }
    var logger: Logger { applier.logger }

    /// Writes a journal line; the first that fails is kept in the result, and nothing is written after it.
    mutating func journal(_ record: JournalRecord) {
        guard result.journalFailure == nil else {
            return
        }
        do {
            try applier.journal.append(record)
        } catch {
            var failure = "cannot write the journal: \(error.message)"
            if let changeID = record.changeID, let dn = record.dn {
                failure +=
                    record.outcome == .sent
                    ? "; change \(changeID) (\(dn)) was not sent"
                    : "; the outcome of change \(changeID) (\(dn)) is not journalled"
            }
            result.journalFailure = failure
        }
    }

    /// Whether the run goes on: false once a journal line could not be written.
    var journalling: Bool { result.journalFailure == nil }

    /// One phase, in batches of `options.batch` changes: each batch is read and then written before the next is
    /// read, so a change's re-read (on a server without the assertion control, the only check of its preconditions)
    /// is never more than one batch older than its write. The retry time bound holds for the whole phase.
    mutating func phase(_ changes: [Plan.Change]) {
        let started = Date()
        let size = max(1, applier.options.batch)
        for start in stride(from: changes.startIndex, to: changes.endIndex, by: size) where journalling {
            batch(changes[start..<min(start + size, changes.endIndex)], started: started)
        }
    }

    /// One batch: check what must be read first, send the rest pipelined, retry what may succeed later.
    mutating func batch(_ changes: ArraySlice<Plan.Change>, started: Date) {
        var pending: [Pending] = []
        for change in changes {
            guard journalling else {
                return
            }
            if let prepared = prepare(change) {
                pending.append(prepared)
            }
        }
        var attempt = 1
        var lastFailures: [Int: WriteFailure] = [:]
        while !pending.isEmpty, journalling {
            var retry: [Pending] = []
            let operations = pending.map(\.operation)
            var outcomes = [WriteOutcome?](repeating: nil, count: operations.count)
            var wentOut = [Bool](repeating: false, count: operations.count)
            writer.write(operations, window: applier.options.window) { index in
                // A write whose line cannot be written is not sent, and nothing after it.
                sent(pending[index])
                wentOut[index] = journalling
                return journalling
            } onResult: { index, outcome in
                // Successes are journalled as they arrive; anything else may need a read, which must wait until
                // no write is outstanding on the connection.
                if case .success = outcome {
                    applied(pending[index].change, deletedEntry: pending[index].deletedEntry)
                } else {
                    outcomes[index] = outcome
                }
            }
            guard journalling else {
                return
            }
            var lostConnection = false
            for (index, var item) in pending.enumerated() {
                guard let outcome = outcomes[index], journalling else {
                    continue
                }
                if wentOut[index], case .failure(let failure) = outcome, failure.isUnanswered {
                    item.unanswered = true
                }
                switch settle(item, outcome) {
                case .finished:
                    break
                case .retry(let next, let failure):
                    lastFailures[next.change.id] = failure
                    lostConnection = lostConnection || failure.isConnectionLost
                    retry.append(next)
                    logger.debug(
                        "retrying",
                        metadata: [
                            "change.id": "\(next.change.id)", "ldap.dn": "\(next.change.dn)",
                            "ldap.result": "\(failure)", "apply.attempt": "\(attempt)",
                        ])
                }
            }
            attempt += 1
            let elapsed = Date().timeIntervalSince(started)
            guard !retry.isEmpty, attempt <= applier.options.maxAttempts, elapsed < applier.options.maxRetrySeconds
            else {
                if !retry.isEmpty {
                    logger.debug(
                        "giving up", metadata: ["apply.attempts": "\(attempt - 1)", "apply.changes": "\(retry.count)"])
                }
                for item in retry {
                    let failure = lastFailures[item.change.id]
                    fail(
                        item.change, reason: "gave up after \(attempt - 1) attempts: \(failure?.description ?? "")",
                        code: failure?.code, unavailable: failure?.isTransient ?? false, after: item)
                }
                return
            }
            let delay = applier.options.baseDelaySeconds * pow(2, Double(attempt - 2))
            applier.options.sleep(delay * Double.random(in: 1...1.5))
            if lostConnection {
                logger.info(
                    "connection lost; reconnecting",
                    metadata: ["apply.attempt": "\(attempt)", "apply.changes": "\(retry.count)"])
                do {
                    try writer.reconnect()
                } catch {
                    // The retries go out anyway and fail as not sent; the last attempt's failure is what is reported.
                    logger.info("cannot reconnect", metadata: ["ldap.result": "\(error)"])
                }
            }
            pending = retry.compactMap { item in item.reprepare ? prepare(item.change, after: item) : item }
        }
    }

    /// A change ready to send.
    struct Pending {
        var change: Plan.Change
        var operation: WriteOperation
        /// The entry as read just before a delete, the values that recreate it (for the journal and undo).
        var deletedEntry: [String: [String]]?
        /// Whether to re-read before the next attempt (a partial modify, or a read that failed).
        var reprepare = false
        /// Whether an earlier attempt was sent and never answered: it may have landed.
        var unanswered = false
    }

    enum Settlement {
        case finished
        case retry(Pending, WriteFailure)
    }

    /// Reads what must be read before sending, and settles changes that need no write; nil when settled.
    ///
    /// `previous` is the change's earlier attempt, when it is retried: whether it went unanswered, and the entry
    /// read before a delete, stay with the change.
    mutating func prepare(_ change: Plan.Change, after previous: Pending? = nil) -> Pending? {
        // The plan names entries as the server spelled them; they are written to under that spelling.
        guard let dn = try? DistinguishedName(parsing: change.dn, keepingSpelling: true) else {
            fail(change, reason: "'\(change.dn)' is not a DN", code: nil, unavailable: false)
            return nil
        }
        let mustRead = change.kind == .delete || !writer.supportsAssertions || Effect.needsRead(change)
        var entry: Entry?
        if mustRead {
            do {
                entry = try read(dn)
            } catch  where !error.isUnavailable {
                // The server answered, and the entry cannot be read whole: nothing is judged, or written, on part of it.
                fail(change, reason: "\(error)", code: error.resultCode, unavailable: false, after: previous)
                return nil
            } catch {
                // The server is not answering: send anyway, the write will fail and be retried.
                var pending = previous ?? Pending(change: change, operation: operation(change, dn: dn))
                pending.reprepare = true
                return pending
            }
            if Effect.holds(change, on: entry) {
                done(change, entry: entry, after: previous)
                return nil
            }
            if let reason = Effect.stale(change, on: entry) {
                stale(change, reason: reason)
                return nil
            }
        }
        return Pending(
            change: change, operation: operation(change, dn: dn),
            deletedEntry: change.kind == .delete
                ? entry.map { profile.recreatable(Effect.values($0)) } ?? previous?.deletedEntry : nil,
            unanswered: previous?.unanswered ?? false)
    }

    func operation(_ change: Plan.Change, dn: DistinguishedName) -> WriteOperation {
        let assertion = writer.supportsAssertions ? Effect.assertion(change) : nil
        switch change.kind {
        case .create:
            let attributes = change.attributes.sorted { $0.key < $1.key }.map { Attribute($0.key, strings: $0.value) }
            return WriteOperation(.add(Entry(dn: dn, attributes: attributes)))
        case .modify:
            let modifications = change.modifications.map { modification in
                modification.op == .add
                    ? Modification.add(modification.attribute, strings: modification.values)
                    : Modification.delete(modification.attribute, strings: modification.values)
            }
            return WriteOperation(.modify(dn, modifications), assertion: assertion)
        case .delete:
            return WriteOperation(.delete(dn), assertion: assertion)
        }
    }

    /// What a result means for the change.
    mutating func settle(_ item: Pending, _ outcome: WriteOutcome) -> Settlement {
        let change = item.change
        switch outcome {
        case .success:
            applied(change, deletedEntry: item.deletedEntry)
            return .finished
        case .failure(let failure) where failure.isTransient:
            var next = item
            next.reprepare = next.reprepare || change.kind != .delete
            return .retry(next, failure)
        case .failure(let failure):
            let ambiguous = [
                WriteFailure.assertionFailed, WriteFailure.noSuchObject, WriteFailure.attributeOrValueExists,
                WriteFailure.noSuchAttribute, WriteFailure.entryAlreadyExists,
            ]
            guard ambiguous.contains(failure.code),
                let dn = try? DistinguishedName(parsing: change.dn, keepingSpelling: true)
            else {
                fail(change, reason: failure.description, code: failure.code, unavailable: false, after: item)
                return .finished
            }
            let entry: Entry?
            do {
                entry = try read(dn)
            } catch  where !error.isUnavailable {
                fail(change, reason: "\(error)", code: error.resultCode, unavailable: false, after: item)
                return .finished
            } catch {
                var next = item
                next.reprepare = true
                return .retry(next, WriteFailure(code: error.resultCode ?? 81, message: error.message))
            }
            if Effect.holds(change, on: entry) {
                done(change, entry: entry, after: item)
            } else if let reason = Effect.stale(change, on: entry) {
                stale(change, reason: "\(reason) (\(failure.description))")
            } else if change.kind == .modify, failure.code != WriteFailure.assertionFailed,
                let remaining = Effect.remaining(change, on: entry)
            {
                // Part of the modify is already there (an interrupted run): send what is left.
                var next = item
                next.change.modifications = remaining
                next.operation = operation(next.change, dn: dn)
                return .retry(next, failure)
            } else {
                fail(change, reason: failure.description, code: failure.code, unavailable: false, after: item)
            }
            return .finished
        }
    }

    /// Reads an entry as it is now, every value of it: an attribute the server sends in parts (AD above
    /// MaxValRange) is read whole, so that no precondition or effect is judged on some of its values.
    func read(_ dn: DistinguishedName) throws(DirectoryStoreError) -> Entry? {
        guard let entry = try writer.read(dn, attributes: []) else {
            return nil
        }
        return try RemainingValues.complete(entry) { name throws(DirectoryStoreError) in
            try writer.read(dn, attributes: [name])
        }
    }

    /// Journals the intent just before the operation goes out (once per attempt that can go out): a write that
    /// lands is in the journal even if the run is killed before its result arrives.
    mutating func sent(_ item: Pending) {
        var line = JournalRecord(
            record: "change", planHash: plan.planHash, time: Applier.now(), changeID: item.change.id,
            kind: item.change.kind, dn: item.change.dn, ccmailName: item.change.ccmailName,
            situation: item.change.situation, outcome: .sent)
        switch item.change.kind {
        case .create:
            line.entry = item.change.attributes
        case .modify:
            line.modifications = item.change.modifications
            line.before = item.change.before
            line.after = item.change.valuesAfter
        case .delete:
            line.entry = item.deletedEntry
        }
        journal(line)
    }

    mutating func applied(_ change: Plan.Change, deletedEntry: [String: [String]]?) {
        result.count(change.kind)
        record(change, outcome: .applied, entry: change.kind == .delete ? deletedEntry : nil)
    }

    /// The directory holds the change's result. After an attempt that went unanswered that result may be this
    /// run's own write, so the journal says `unknown` and `undo` reverses it (guarded by its preconditions).
    mutating func done(_ change: Plan.Change, entry: Entry?, after item: Pending? = nil) {
        result.alreadyDone += 1
        if let item, item.unanswered {
            record(
                change, outcome: .unknown, entry: item.deletedEntry,
                reason: "sent without an answer; the directory now holds its result")
        } else {
            record(change, outcome: .alreadyDone, entry: nil)
        }
    }

    mutating func stale(_ change: Plan.Change, reason: String) {
        logger.debug(
            "stale", metadata: ["change.id": "\(change.id)", "ldap.dn": "\(change.dn)", "apply.reason": "\(reason)"])
        result.stale.append(ApplyResult.Problem(change: change, reason: reason))
        record(change, outcome: .stale, entry: nil, reason: reason)
    }

    /// The change did not land, or (`item` went unanswered) may have landed: journalled as `unknown` then.
    mutating func fail(
        _ change: Plan.Change, reason: String, code: Int?, unavailable: Bool, after item: Pending? = nil
    ) {
        let unanswered = item?.unanswered ?? false
        let reason = unanswered ? "outcome unknown, an attempt was sent and never answered; \(reason)" : reason
        result.failed.append(
            ApplyResult.Problem(change: change, reason: reason, code: code, wasUnavailable: unavailable))
        record(change, outcome: unanswered ? .unknown : .failed, entry: item?.deletedEntry, reason: reason)
    }

    mutating func record(
        _ change: Plan.Change, outcome: JournalRecord.Outcome, entry: [String: [String]]?, reason: String? = nil
    ) {
        var line = JournalRecord(
            record: "change", planHash: plan.planHash, time: Applier.now(), changeID: change.id, kind: change.kind,
            dn: change.dn, ccmailName: change.ccmailName, situation: change.situation, outcome: outcome,
            reason: reason)
        if outcome == .applied || outcome == .unknown {
            switch change.kind {
            case .create:
                line.entry = change.attributes
            case .modify:
                line.modifications = change.modifications
                line.before = change.before
                line.after = change.valuesAfter
            case .delete:
                line.entry = entry
            }
        }
        journal(line)
        finished += 1
        applier.progress?(finished, plan.changes.count)
    }
}
