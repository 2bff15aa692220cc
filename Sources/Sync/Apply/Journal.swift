import Foundation

/// One line of a run's journal: what was applied to one entry, with the values before and after.
///
/// The journal is written line by line as results arrive, so a run killed at any moment leaves an exact record of
/// the writes that landed; `undo` turns it into a plan that reverses them.
package struct JournalRecord: Sendable, Hashable, Codable {
    /// How the change ended.
    package enum Outcome: String, Sendable, Hashable, Codable {
        /// About to be sent: the result follows in a later line, unless the run was killed first (then the write
        /// may or may not have landed, and `undo` treats it as possibly applied). Written once per attempt, and only
        /// for an attempt that goes out (never on a connection already known to be lost).
        case sent
        /// The server accepted the write.
        case applied
        /// The directory already held the change's result (a re-run after an interruption).
        case alreadyDone
        /// The preconditions no longer held: skipped, never forced.
        case stale
        /// The server refused it, or it could not be sent.
        case failed
        /// Sent, but its answer never came (the connection was lost, or the operation timed out and was abandoned):
        /// it may or may not have landed. `undo` reverses it like an applied change, guarded by preconditions that
        /// make the reversal stale, and harmless, if it did not land.
        case unknown
    }

    /// `start` (the first line of a run), `change`, or `end`.
    package var record: String
    package var planHash: String
    /// ISO 8601, UTC.
    package var time: String
    package var changeID: Int?
    package var kind: Plan.ChangeKind?
    package var dn: String?
    package var ccmailName: String?
    package var situation: Plan.Situation?
    package var outcome: Outcome?
    /// The modifications sent (modify).
    package var modifications: [Plan.Modification]?
    /// The entry as created (create), or as it was just before it was deleted (delete): the profile's
    /// `recipientAttributes` that held values, what recreates it.
    package var entry: [String: [String]]?
    /// For a modify: the touched attributes' values before and after.
    package var before: [String: [String]]?
    package var after: [String: [String]]?
    /// For stale, failed and unknown changes: why.
    package var reason: String?

    package init(
        record: String, planHash: String, time: String, changeID: Int? = nil, kind: Plan.ChangeKind? = nil,
        dn: String? = nil, ccmailName: String? = nil, situation: Plan.Situation? = nil, outcome: Outcome? = nil,
        modifications: [Plan.Modification]? = nil, entry: [String: [String]]? = nil,
        before: [String: [String]]? = nil, after: [String: [String]]? = nil, reason: String? = nil
    ) {
        self.record = record
        self.planHash = planHash
        self.time = time
        self.changeID = changeID
        self.kind = kind
        self.dn = dn
        self.ccmailName = ccmailName
        self.situation = situation
        self.outcome = outcome
        self.modifications = modifications
        self.entry = entry
        self.before = before
        self.after = after
        self.reason = reason
    }

    /// One JSON line in the plan format's canonical form (`JSONWriter`): keys sorted, absent fields left out, the
    /// modifications and value maps spelled as a plan spells them.
    package var line: [UInt8] {
        var out = JSONWriter(.canonical)
        out.beginObject()
        if let after {
            out.key("after")
            out.valueMap(after)
        }
        if let before {
            out.key("before")
            out.valueMap(before)
        }
        if let ccmailName {
            out.key("ccmailName")
            out.string(ccmailName)
        }
        if let changeID {
            out.key("changeID")
            out.number(changeID)
        }
        if let dn {
            out.key("dn")
            out.string(dn)
        }
        if let entry {
            out.key("entry")
            out.valueMap(entry)
        }
        if let kind {
            out.key("kind")
            out.string(kind.rawValue)
        }
        if let modifications {
            out.key("modifications")
            Plan.Modification.write(modifications, to: &out)
        }
        if let outcome {
            out.key("outcome")
            out.string(outcome.rawValue)
        }
        out.key("planHash")
        out.string(planHash)
        if let reason {
            out.key("reason")
            out.string(reason)
        }
        out.key("record")
        out.string(record)
        if let situation {
            out.key("situation")
            out.string(situation.rawValue)
        }
        out.key("time")
        out.string(time)
        out.endObject()
        out.newline()
        return out.bytes
    }

    /// Reads a journal; a last line cut short by a kill is ignored, any other bad line is an error naming it.
    package static func read(_ bytes: [UInt8], file: String) throws(PlanFile.Error) -> [JournalRecord] {
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        var records: [JournalRecord] = []
        let decoder = JSONDecoder()
        for (index, line) in lines.enumerated() where !line.isEmpty {
            do {
                records.append(try decoder.decode(JournalRecord.self, from: Data(line)))
            } catch {
                if index == lines.count - 1 {
                    break
                }
                throw PlanFile.Error(file: "\(file):\(index + 1)", message: "not a journal record: \(error)")
            }
        }
        return records
    }
}

/// Where the applier writes its journal lines.
package protocol JournalSink: AnyObject {
    /// Writes one line; a line that cannot be written stops the apply: the write it describes, if any, and every
    /// later one are not sent.
    func append(_ record: JournalRecord) throws(JournalWriteError)
}

/// A journal line that could not be written, in the operating system's words.
package struct JournalWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}

/// Keeps journal lines in memory (tests, and runs without a state directory).
package final class MemoryJournal: JournalSink {
    package private(set) var records: [JournalRecord] = []

    package init() {}

    package func append(_ record: JournalRecord) {
        records.append(record)
    }
}
