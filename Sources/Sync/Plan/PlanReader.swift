/// Reads a plan file written the way ccdirsync writes them, or gives up (nil) so `JSONDecoder` reads it instead.
///
/// `apply` cannot write before the whole plan is read and checked, and at 100,000 users the directory waits for
/// the plan's decoding before its first change (docs/BENCHMARKS.md, "Bespoke code kept for speed"). This reader
/// knows the plan's shape, through the same `CodingKeys` the `Codable` conformances use, and builds the values
/// straight from the bytes. It is strict: every member must be there, once, with nothing beside it; numbers are
/// plain integers; strings are valid UTF-8 without raw control characters. Anything else (a file edited by hand,
/// another writer's spelling, an error) makes it return nil, and the caller decodes with `JSONDecoder`, whose result
/// and error messages stay the reference. What this reader does accept, it reads as `JSONDecoder` does (tests
/// compare the two on plans and on thousands of damaged copies of one).
struct PlanReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    /// Bytes of a string with escapes, reused from one string to the next.
    private var scratch: [UInt8] = []

    /// Gives up: the caller falls back to `JSONDecoder`.
    private struct GiveUp: Error {}

    /// The plan in `bytes`, or nil when it is not in the form this reader knows.
    static func read(_ bytes: [UInt8]) -> Plan? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = PlanReader(bytes: buffer)
            guard let plan = try? reader.plan(), reader.atEnd() else {
                return nil
            }
            return plan
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: - The plan's shape

    private mutating func plan() throws(GiveUp) -> Plan {
        var schemaVersion: Int?
        var planHash: String?
        var profile: ProfileName?
        var baseDN: String?
        var container: String?
        var inputs: [Plan.Input]?
        var summary: Plan.Summary?
        var changes: [Plan.Change]?
        var findings: [Plan.Finding]?
        try object { reader, key throws(GiveUp) in
            switch Plan.CodingKeys(rawValue: key) {
            case .schemaVersion: try Self.once(&schemaVersion, try reader.integer())
            case .planHash: try Self.once(&planHash, try reader.string())
            case .profile: try Self.once(&profile, try reader.raw(ProfileName.self))
            case .baseDN: try Self.once(&baseDN, try reader.string())
            case .customRecipientContainer: try Self.once(&container, try reader.string())
            case .inputs: try Self.once(&inputs, try reader.array { reader throws(GiveUp) in try reader.input() })
            case .summary: try Self.once(&summary, try reader.summary())
            case .changes: try Self.once(&changes, try reader.array { reader throws(GiveUp) in try reader.change() })
            case .findings:
                try Self.once(&findings, try reader.array { reader throws(GiveUp) in try reader.finding() })
            case nil: throw GiveUp()
            }
        }
        guard let schemaVersion, let planHash, let profile, let baseDN, let container, let inputs, let summary,
            let changes, let findings
        else {
            throw GiveUp()
        }
        return Plan(
            schemaVersion: schemaVersion, planHash: planHash, profile: profile, baseDN: baseDN,
            customRecipientContainer: container, inputs: inputs, summary: summary, changes: changes, findings: findings)
    }

    private mutating func input() throws(GiveUp) -> Plan.Input {
        var path: String?
        var role: String?
        var sha256: String?
        var users: Int?
        try object { reader, key throws(GiveUp) in
            switch Plan.Input.CodingKeys(rawValue: key) {
            case .path: try Self.once(&path, try reader.string())
            case .role: try Self.once(&role, try reader.string())
            case .sha256: try Self.once(&sha256, try reader.string())
            case .users: try Self.once(&users, try reader.integer())
            case nil: throw GiveUp()
            }
        }
        guard let path, let role, let sha256 else {
            throw GiveUp()
        }
        return Plan.Input(path: path, role: role, sha256: sha256, users: users)
    }

    private mutating func summary() throws(GiveUp) -> Plan.Summary {
        var create: Int?
        var modify: Int?
        var delete: Int?
        var findings: Int?
        var overThreshold: Bool?
        var reasons: [String]?
        try object { reader, key throws(GiveUp) in
            switch Plan.Summary.CodingKeys(rawValue: key) {
            case .create: try Self.once(&create, try reader.integer())
            case .modify: try Self.once(&modify, try reader.integer())
            case .delete: try Self.once(&delete, try reader.integer())
            case .findings: try Self.once(&findings, try reader.integer())
            case .overThreshold: try Self.once(&overThreshold, try reader.boolean())
            case .thresholdReasons: try Self.once(&reasons, try reader.strings())
            case nil: throw GiveUp()
            }
        }
        guard let create, let modify, let delete, let findings, let overThreshold, let reasons else {
            throw GiveUp()
        }
        return Plan.Summary(
            create: create, modify: modify, delete: delete, findings: findings, overThreshold: overThreshold,
            thresholdReasons: reasons)
    }

    private mutating func change() throws(GiveUp) -> Plan.Change {
        var id: Int?
        var kind: Plan.ChangeKind?
        var dn: String?
        var ccmailName: String?
        var situation: Plan.Situation?
        var rule: Plan.Rule?
        var attributes: [String: [String]]?
        var modifications: [Plan.Modification]?
        var before: [String: [String]]?
        var preconditions: [Plan.Precondition]?
        try object { reader, key throws(GiveUp) in
            switch Plan.Change.CodingKeys(rawValue: key) {
            case .id: try Self.once(&id, try reader.integer())
            case .kind: try Self.once(&kind, try reader.raw(Plan.ChangeKind.self))
            case .dn: try Self.once(&dn, try reader.string())
            case .ccmailName: try Self.once(&ccmailName, try reader.string())
            case .situation: try Self.once(&situation, try reader.raw(Plan.Situation.self))
            case .rule: try Self.once(&rule, try reader.raw(Plan.Rule.self))
            case .attributes: try Self.once(&attributes, try reader.valueMap())
            case .modifications:
                try Self.once(&modifications, try reader.array { reader throws(GiveUp) in try reader.modification() })
            case .before: try Self.once(&before, try reader.valueMap())
            case .preconditions:
                try Self.once(&preconditions, try reader.array { reader throws(GiveUp) in try reader.precondition() })
            case nil: throw GiveUp()
            }
        }
        guard let id, let kind, let dn, let ccmailName, let situation, let rule, let attributes, let modifications,
            let before, let preconditions
        else {
            throw GiveUp()
        }
        return Plan.Change(
            id: id, kind: kind, dn: dn, ccmailName: ccmailName, situation: situation, rule: rule,
            attributes: attributes,
            modifications: modifications, before: before, preconditions: preconditions)
    }

    private mutating func modification() throws(GiveUp) -> Plan.Modification {
        var op: Plan.Modification.Operation?
        var attribute: String?
        var values: [String]?
        try object { reader, key throws(GiveUp) in
            switch Plan.Modification.CodingKeys(rawValue: key) {
            case .op: try Self.once(&op, try reader.raw(Plan.Modification.Operation.self))
            case .attribute: try Self.once(&attribute, try reader.string())
            case .values: try Self.once(&values, try reader.strings())
            case nil: throw GiveUp()
            }
        }
        guard let op, let attribute, let values else {
            throw GiveUp()
        }
        return Plan.Modification(op: op, attribute: attribute, values: values)
    }

    private mutating func precondition() throws(GiveUp) -> Plan.Precondition {
        var attribute: String?
        var present: [String]?
        var absent: [String]?
        var others: String?
        try object { reader, key throws(GiveUp) in
            switch Plan.Precondition.CodingKeys(rawValue: key) {
            case .attribute: try Self.once(&attribute, try reader.string())
            case .present: try Self.once(&present, try reader.strings())
            case .absent: try Self.once(&absent, try reader.strings())
            case .noOthersStartingWith: try Self.once(&others, try reader.string())
            case nil: throw GiveUp()
            }
        }
        guard let attribute, let present, let absent else {
            throw GiveUp()
        }
        return Plan.Precondition(attribute: attribute, present: present, absent: absent, noOthersStartingWith: others)
    }

    private mutating func finding() throws(GiveUp) -> Plan.Finding {
        var ccmailName: String?
        var situation: Plan.FindingSituation?
        var detail: String?
        var candidates: [String]?
        try object { reader, key throws(GiveUp) in
            switch Plan.Finding.CodingKeys(rawValue: key) {
            case .ccmailName: try Self.once(&ccmailName, try reader.string())
            case .situation: try Self.once(&situation, try reader.raw(Plan.FindingSituation.self))
            case .detail: try Self.once(&detail, try reader.string())
            case .candidates: try Self.once(&candidates, try reader.strings())
            case nil: throw GiveUp()
            }
        }
        guard let ccmailName, let situation, let detail, let candidates else {
            throw GiveUp()
        }
        return Plan.Finding(ccmailName: ccmailName, situation: situation, detail: detail, candidates: candidates)
    }

    /// `{"attribute": ["value", …], …}`; a name given twice gives up (`JSONDecoder` would keep one of them).
    private mutating func valueMap() throws(GiveUp) -> [String: [String]] {
        var map: [String: [String]] = [:]
        try object { reader, key throws(GiveUp) in
            let values = try reader.strings()
            guard map.updateValue(values, forKey: key) == nil else {
                throw GiveUp()
            }
        }
        return map
    }

    /// Sets a member read for the first time; a member given twice gives up.
    private static func once<Value>(_ slot: inout Value?, _ value: Value) throws(GiveUp) {
        guard slot == nil else {
            throw GiveUp()
        }
        slot = value
    }

    // MARK: - JSON

    /// An object: `member` reads the value of each key (the reader stands on the value).
    private mutating func object(
        _ member: (inout PlanReader, String) throws(GiveUp) -> Void
    ) throws(GiveUp) {
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                return
            default:
                throw GiveUp()
            }
        }
    }

    private mutating func array<Element>(
        _ element: (inout PlanReader) throws(GiveUp) -> Element
    ) throws(GiveUp) -> [Element] {
        try expect(UInt8(ascii: "["))
        var elements: [Element] = []
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return elements
        }
        while true {
            elements.append(try element(&self))
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                return elements
            default:
                throw GiveUp()
            }
        }
    }

    private mutating func strings() throws(GiveUp) -> [String] {
        try array { reader throws(GiveUp) in try reader.string() }
    }

    private mutating func raw<Value: RawRepresentable<String>>(_: Value.Type) throws(GiveUp) -> Value {
        guard let value = Value(rawValue: try string()) else {
            throw GiveUp()
        }
        return value
    }

    /// A plain integer: an optional minus and digits, without a leading zero.
    private mutating func integer() throws(GiveUp) -> Int {
        skipSpace()
        let negative = peek() == UInt8(ascii: "-")
        if negative {
            position += 1
        }
        let start = position
        var value = 0
        while position < bytes.count, (0x30...0x39).contains(bytes[position]) {
            let (times, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowedAgain) = times.addingReportingOverflow(Int(bytes[position] - 0x30))
            guard !overflowed, !overflowedAgain else {
                throw GiveUp()
            }
            value = sum
            position += 1
        }
        let digits = position - start
        guard digits > 0, digits == 1 || bytes[start] != 0x30 else {
            throw GiveUp()
        }
        // A fraction or an exponent: not how ccdirsync writes a count.
        if let next = peek(), next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            throw GiveUp()
        }
        return negative ? -value : value
    }

    private mutating func boolean() throws(GiveUp) -> Bool {
        skipSpace()
        if literal("true") {
            return true
        }
        if literal("false") {
            return false
        }
        throw GiveUp()
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else {
            return false
        }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] {
            return false
        }
        position += count
        return true
    }

    /// A string: valid UTF-8, no raw control characters, the escapes of RFC 8259 (a lone surrogate gives up).
    private mutating func string() throws(GiveUp) -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        // Most strings have no escape: made straight from their bytes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                guard let text else {
                    throw GiveUp()
                }
                return text
            }
            if byte == UInt8(ascii: "\\") {
                break
            }
            guard byte >= 0x20 else {
                throw GiveUp()
            }
            position += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: scratch, as: UTF8.self) else {
                    throw GiveUp()
                }
                return text
            case UInt8(ascii: "\\"):
                try escape()
            default:
                guard byte >= 0x20 else {
                    throw GiveUp()
                }
                scratch.append(byte)
            }
        }
        throw GiveUp()
    }

    /// The escape after a backslash, appended to `scratch` as UTF-8.
    private mutating func escape() throws(GiveUp) {
        guard position < bytes.count else {
            throw GiveUp()
        }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var value = try hex4()
            if (0xD800...0xDBFF).contains(value) {
                guard literal("\\u") else {
                    throw GiveUp()
                }
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw GiveUp()
                }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw GiveUp()
            }
            scratch.append(contentsOf: String(Character(scalar)).utf8)
        default:
            throw GiveUp()
        }
    }

    private mutating func hex4() throws(GiveUp) -> UInt32 {
        guard position + 4 <= bytes.count else {
            throw GiveUp()
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw GiveUp()
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func expect(_ byte: UInt8) throws(GiveUp) {
        skipSpace()
        guard position < bytes.count, bytes[position] == byte else {
            throw GiveUp()
        }
        position += 1
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// Only white space after the plan.
    private mutating func atEnd() -> Bool {
        skipSpace()
        return position == bytes.count
    }
}
