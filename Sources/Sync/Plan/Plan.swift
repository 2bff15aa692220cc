/// A reviewed-before-written list of changes to the Exchange directory, and everything a reviewer needs to
/// judge it: which inputs it came from, why each change is there, and what was left alone and why.
///
/// A plan is plain data: JSON in `schemas/plan.schema.json`'s shape, deterministic (sorted, no timestamps), and
/// sealed by `planHash`, the SHA-256 of its canonical JSON, so `apply` can prove it runs exactly what was read.
package struct Plan: Sendable, Hashable, Codable {
    /// The member names in the plan file: written by `PlanFile`, read by `JSONDecoder` and `PlanReader`.
    package enum CodingKeys: String, CodingKey {
        case schemaVersion, planHash, profile, baseDN, customRecipientContainer, inputs, summary, changes, findings
    }

    /// The plan format's version; `apply` refuses any other.
    package static let currentSchemaVersion = 1

    package var schemaVersion: Int
    /// SHA-256 (hex) of the canonical JSON of the plan with this field empty.
    package var planHash: String
    package var profile: ProfileName
    /// The base DN that was read, so a plan is not applied to another directory by mistake.
    package var baseDN: String
    /// The custom recipient container of the configuration that made the plan.
    package var customRecipientContainer: String
    /// The files the plan was computed from, with their SHA-256.
    package var inputs: [Input]
    package var summary: Summary
    /// In the order they must run: deletes, then modifies, then creates.
    package var changes: [Change]
    /// What was not changed and why, and what the reviewer should look at.
    package var findings: [Finding]

    package init(
        schemaVersion: Int = Plan.currentSchemaVersion, planHash: String = "", profile: ProfileName, baseDN: String,
        customRecipientContainer: String, inputs: [Input], summary: Summary, changes: [Change], findings: [Finding]
    ) {
        self.schemaVersion = schemaVersion
        self.planHash = planHash
        self.profile = profile
        self.baseDN = baseDN
        self.customRecipientContainer = customRecipientContainer
        self.inputs = inputs
        self.summary = summary
        self.changes = changes
        self.findings = findings
    }

    /// One input file.
    package struct Input: Sendable, Hashable, Codable {
        /// The member names in the plan file: written by `PlanFile`, read by `JSONDecoder` and `PlanReader`.
        package enum CodingKeys: String, CodingKey {
            case path, role, sha256, users
        }

        /// The path as the config file wrote it.
        package var path: String
        /// What the file is: `export` (with its post office) or `mapping`.
        package var role: String
        /// SHA-256 (hex) of the file's bytes.
        package var sha256: String
        /// For an export: how many users the merged directory has homed on its post office. `apply` remembers it
        /// in the state directory, and the next plan compares (`thresholds.exportShrink`).
        package var users: Int?

        package init(path: String, role: String, sha256: String, users: Int? = nil) {
            self.path = path
            self.role = role
            self.sha256 = sha256
            self.users = users
        }

        /// The role of the export taken from `postOffice`.
        package static func exportRole(_ postOffice: String) -> String { "export \(postOffice)" }

        /// The post office of an export's role; nil for any other input.
        package var exportPostOffice: String? {
            role.hasPrefix(Self.exportRole("")) ? String(role.dropFirst(Self.exportRole("").count)) : nil
        }
    }

    /// The counts a reviewer reads first.
    package struct Summary: Sendable, Hashable, Codable {
        /// The member names in the plan file: written by `PlanFile`, read by `JSONDecoder` and `PlanReader`.
        package enum CodingKeys: String, CodingKey {
            case create, modify, delete, findings, overThreshold, thresholdReasons
        }

        package var create: Int
        package var modify: Int
        package var delete: Int
        package var findings: Int
        /// Whether any kind's count or percent is over its threshold: such a plan is applied only with `--approve`.
        package var overThreshold: Bool
        /// One line per threshold that is exceeded, such as `deletes: 60 > 50`.
        package var thresholdReasons: [String]

        package init(
            create: Int = 0, modify: Int = 0, delete: Int = 0, findings: Int = 0, overThreshold: Bool = false,
            thresholdReasons: [String] = []
        ) {
            self.create = create
            self.modify = modify
            self.delete = delete
            self.findings = findings
            self.overThreshold = overThreshold
            self.thresholdReasons = thresholdReasons
        }

        /// Whether the plan changes nothing.
        package var isEmpty: Bool { create + modify + delete == 0 }
    }
}

extension Plan {
    /// The kind of a change, which is also its phase.
    package enum ChangeKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case delete
        case modify
        case create

        /// The phase order: deletes free names and addresses that modifies and creates may reuse.
        package var phase: Int {
            switch self {
            case .delete: 0
            case .modify: 1
            case .create: 2
            }
        }

        package static func < (lhs: ChangeKind, rhs: ChangeKind) -> Bool { lhs.phase < rhs.phase }
    }

    /// Why a change is in the plan (a row of the situation table).
    package enum Situation: String, Sendable, Hashable, Codable, CaseIterable {
        /// A joined mailbox lacks the user's MIGRATE value: add it.
        case migrateMissing
        /// A joined mailbox's MIGRATE value names the user at another post office: replace it.
        case userMoved
        /// A user without a mailbox has no custom recipient: create one.
        case recipientMissing
        /// Our custom recipient no longer says what the cc:Mail directory says: update it in place.
        case recipientChanged
        /// Our custom recipient's cc:Mail user is gone: delete it.
        case userGone
        /// Our custom recipient's cc:Mail user is gone and the policy hides instead of deleting.
        case userGoneHidden
        /// A hidden custom recipient's user is back: show it again.
        case userReturned
        /// The user was joined to a mailbox and `retireOnMatch` deletes our custom recipient.
        case retiredOnMatch
        /// Reverses a change an earlier run applied (`ccdirsync undo`).
        case undo
    }

    /// The rule that decided a change.
    package enum Rule: String, Sendable, Hashable, Codable, CaseIterable {
        /// Join rule 1: the mailbox carries the user's MIGRATE value.
        case migrateValue
        /// Join rule 2: the mapping file.
        case mapping
        /// Join rule 3: a secondary `ccmail` proxy equal to the user's address.
        case ccMailProxy
        /// Join rule 4: surname and given name.
        case name
        /// Not joined to a mailbox: the change is to our own custom recipient.
        case ownRecipient
        /// Taken from a run's journal by `ccdirsync undo`.
        case journal
    }

    /// One value-level change of one attribute.
    package struct Modification: Sendable, Hashable, Codable {
        /// The member names in the plan file: written by `PlanFile`, read by `JSONDecoder` and `PlanReader`.
        package enum CodingKeys: String, CodingKey {
            case op, attribute, values
        }

        package enum Operation: String, Sendable, Hashable, Codable {
            case add
            case delete
        }

        package var op: Operation
        package var attribute: String
        package var values: [String]

        package init(op: Operation, attribute: String, values: [String]) {
            self.op = op
            self.attribute = attribute
            self.values = values
        }
    }

    /// What must still be true of the entry for a change to run: values that must be there, values that must not,
    /// and, with `noOthersStartingWith`, that no value of that kind other than `present` has appeared.
    package struct Precondition: Sendable, Hashable, Codable {
        /// The member names in the plan file: written by `PlanFile`, read by `JSONDecoder` and `PlanReader`.
        package enum CodingKeys: String, CodingKey {
            case attribute, present, absent, noOthersStartingWith
        }

        package var attribute: String
        package var present: [String]
        package var absent: [String]
        /// When set, the attribute holds no value starting with this text other than those in `present` (compared as
        /// the directory compares: `CaseIgnoreMatch`). A MIGRATE add carries `MIGRATE:` (the profile's spelling):
        /// another user's MIGRATE value appearing after the plan makes it a conflict, never a second value. The
        /// empty text stands for every value: the attribute holds exactly `present`.
        package var noOthersStartingWith: String?

        package init(
            attribute: String, present: [String] = [], absent: [String] = [], noOthersStartingWith: String? = nil
        ) {
            self.attribute = attribute
            self.present = present
            self.absent = absent
            self.noOthersStartingWith = noOthersStartingWith
        }
    }

    /// One change to one entry.
    package struct Change: Sendable, Hashable, Codable, Identifiable {
        /// The member names in the plan file: written by `PlanFile`, read by `JSONDecoder` and `PlanReader`.
        package enum CodingKeys: String, CodingKey {
            case id, kind, dn, ccmailName, situation, rule, attributes, modifications, before, preconditions
        }

        /// 1-based, in plan order.
        package var id: Int
        package var kind: ChangeKind
        package var dn: String
        /// The cc:Mail user the change is for.
        package var ccmailName: String
        package var situation: Situation
        package var rule: Rule
        /// For a create: the whole entry. Empty otherwise.
        package var attributes: [String: [String]]
        /// For a modify: the value-level changes, in order. Empty otherwise.
        package var modifications: [Modification]
        /// For a modify or delete: the values of the touched attributes as read (what a reviewer compares with,
        /// and what an undo restores).
        package var before: [String: [String]]
        package var preconditions: [Precondition]

        package init(
            id: Int = 0, kind: ChangeKind, dn: String, ccmailName: String, situation: Situation, rule: Rule,
            attributes: [String: [String]] = [:], modifications: [Modification] = [], before: [String: [String]] = [:],
            preconditions: [Precondition] = []
        ) {
            self.id = id
            self.kind = kind
            self.dn = dn
            self.ccmailName = ccmailName
            self.situation = situation
            self.rule = rule
            self.attributes = attributes
            self.modifications = modifications
            self.before = before
            self.preconditions = preconditions
        }
    }

    /// Why a finding is in the plan.
    package enum FindingSituation: String, Sendable, Hashable, Codable, CaseIterable {
        /// Two or more mailboxes for one user, or one mailbox for two users: nothing written.
        case disputed
        /// A mailbox carries another cc:Mail user's MIGRATE value, or the exports disagree about a user.
        case conflict
        /// The user's address is already held by an object ccdirsync does not own: no custom recipient.
        case representedElsewhere
        /// The user is homed on an Exchange site or excluded post office.
        case excluded
        /// A name match (rule 4) waiting for approval in the mapping file.
        case suggestion
        /// A row of the mapping file that names no user or no mailbox.
        case mappingError
        /// A warning from reading the exports.
        case parseWarning
        /// Our custom recipient's user is not in the exports, but part of an export was not read: the user is
        /// unknown, not gone, and the recipient is kept (no delete, no hide).
        case userUnknown
        /// One address is held by two or more objects (for example a recipient someone made by hand beside ours).
        case duplicateAddress
        /// A value the change would write is longer than the server accepts in its attribute (Active Directory's
        /// `rangeUpper`): the change is left out, since the server would refuse it on every run.
        case valueTooLong
    }

    /// Something a reviewer should know that is not a change.
    package struct Finding: Sendable, Hashable, Codable {
        /// The member names in the plan file: written by `PlanFile`, read by `JSONDecoder` and `PlanReader`.
        package enum CodingKeys: String, CodingKey {
            case ccmailName, situation, detail, candidates
        }

        package var ccmailName: String
        package var situation: FindingSituation
        package var detail: String
        /// The DNs involved (mailboxes, recipients), sorted.
        package var candidates: [String]

        package init(ccmailName: String, situation: FindingSituation, detail: String, candidates: [String] = []) {
            self.ccmailName = ccmailName
            self.situation = situation
            self.detail = detail
            self.candidates = candidates
        }
    }
}
