import Crypto

/// The canonical form of a plan that `planHash` covers: compact JSON, keys sorted, strings escaped minimally.
///
/// Written by hand rather than with JSONEncoder, which spends most of a large plan's hashing time on reflection;
/// every field of the plan is here, so editing any of them changes the hash (tests check that).
enum CanonicalJSON {
    static func encode(_ plan: Plan) -> [UInt8] {
        var out = CompactJSON()
        out.plan(plan)
        return out.bytes
    }

    /// The plan file's form: the same members, indented as JSONEncoder's `.prettyPrinted` with sorted keys and
    /// unescaped slashes indents them, byte for byte (tests compare the two), without JSONEncoder's copy of the
    /// whole plan in between.
    static func pretty(_ plan: Plan) -> [UInt8] {
        let out = JSONBytes(pretty: true)
        write(plan, to: out)
        out.bytes.append(0x0A)
        return out.bytes
    }

    /// `pretty(plan)` handed over in pieces of about `chunkSize` bytes as it is written, in order: a plan file of a
    /// million users is hundreds of megabytes, and held whole it was the peak of `ccdirsync plan`'s memory.
    static func pretty(_ plan: Plan, chunkSize: Int, _ chunk: ([UInt8]) -> Void) {
        withoutActuallyEscaping(chunk) { chunk in
            let out = JSONBytes(pretty: true, chunkSize: chunkSize, chunk: chunk)
            write(plan, to: out)
            out.bytes.append(0x0A)
            out.handOver()
        }
    }

    /// The SHA-256 of `encode(plan)`, hashed as it is written: the canonical form of a million-user plan is
    /// hundreds of megabytes that no one needs to hold at once.
    static func sha256(_ plan: Plan) -> SHA256.Digest {
        var out = CompactJSON(hashing: true)
        out.plan(plan)
        return out.finalize()
    }

    /// The plan through the general writer (the pretty form; in compact form the reference `CompactJSON` is
    /// tested against).
    static func write(_ plan: Plan, to out: JSONBytes) {
        out.object { object in
            object.field("baseDN") { $0.string(plan.baseDN) }
            object.field("changes") { $0.array(plan.changes) { out, change in encode(change, into: out) } }
            object.field("customRecipientContainer") { $0.string(plan.customRecipientContainer) }
            object.field("findings") {
                $0.array(plan.findings) { out, finding in
                    out.object { object in
                        object.field("candidates") { $0.strings(finding.candidates) }
                        object.field("ccmailName") { $0.string(finding.ccmailName) }
                        object.field("detail") { $0.string(finding.detail) }
                        object.field("situation") { $0.string(finding.situation.rawValue) }
                    }
                }
            }
            object.field("inputs") {
                $0.array(plan.inputs) { out, input in
                    out.object { object in
                        object.field("path") { $0.string(input.path) }
                        object.field("role") { $0.string(input.role) }
                        object.field("sha256") { $0.string(input.sha256) }
                        if let users = input.users {
                            object.field("users") { $0.number(users) }
                        }
                    }
                }
            }
            object.field("planHash") { $0.string(plan.planHash) }
            object.field("profile") { $0.string(plan.profile.rawValue) }
            object.field("schemaVersion") { $0.number(plan.schemaVersion) }
            object.field("summary") { out in
                out.object { object in
                    object.field("create") { $0.number(plan.summary.create) }
                    object.field("delete") { $0.number(plan.summary.delete) }
                    object.field("findings") { $0.number(plan.summary.findings) }
                    object.field("modify") { $0.number(plan.summary.modify) }
                    object.field("overThreshold") { $0.boolean(plan.summary.overThreshold) }
                    object.field("thresholdReasons") { $0.strings(plan.summary.thresholdReasons) }
                }
            }
        }
    }

    private static func encode(_ change: Plan.Change, into out: JSONBytes) {
        out.object { object in
            object.field("attributes") { $0.valueMap(change.attributes) }
            object.field("before") { $0.valueMap(change.before) }
            object.field("ccmailName") { $0.string(change.ccmailName) }
            object.field("dn") { $0.string(change.dn) }
            object.field("id") { $0.number(change.id) }
            object.field("kind") { $0.string(change.kind.rawValue) }
            object.field("modifications") {
                $0.array(change.modifications) { out, modification in
                    out.object { object in
                        object.field("attribute") { $0.string(modification.attribute) }
                        object.field("op") { $0.string(modification.op.rawValue) }
                        object.field("values") { $0.strings(modification.values) }
                    }
                }
            }
            object.field("preconditions") {
                $0.array(change.preconditions) { out, precondition in
                    out.object { object in
                        object.field("absent") { $0.strings(precondition.absent) }
                        object.field("attribute") { $0.string(precondition.attribute) }
                        if let prefix = precondition.noOthersStartingWith {
                            object.field("noOthersStartingWith") { $0.string(prefix) }
                        }
                        object.field("present") { $0.strings(precondition.present) }
                    }
                }
            }
            object.field("rule") { $0.string(change.rule.rawValue) }
            object.field("situation") { $0.string(change.situation.rawValue) }
        }
    }
}

/// The canonical (compact) form of a plan, written straight into one byte array.
///
/// It writes the same bytes as `CanonicalJSON.write` into a compact `JSONBytes` (tests compare the two), but the
/// plan's shape is spelled out: member names are written as constant bytes with their separators, the writer is a
/// value passed `inout` (a class's buffer is checked for exclusive access on every append), and the changes are read
/// in place. Hashing a 100,000-user plan took longer than planning its creates.
struct CompactJSON {
    private(set) var bytes: [UInt8] = []
    /// When hashing, the bytes go into `hasher` every `flushSize` bytes and `bytes` starts over.
    private let hashing: Bool
    private var hasher = SHA256()
    private static let flushSize = 1 << 16

    init(hashing: Bool = false) {
        self.hashing = hashing
        bytes.reserveCapacity(hashing ? Self.flushSize + 4096 : 1 << 20)
    }

    /// The hash of everything written (meaningful for hashing writers only).
    mutating func finalize() -> SHA256.Digest {
        flush()
        return hasher.finalize()
    }

    private mutating func flush() {
        guard hashing, !bytes.isEmpty else {
            return
        }
        hasher.update(data: bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func flushIfFull() {
        if hashing && bytes.count >= Self.flushSize {
            flush()
        }
    }

    /// Constant text: punctuation and member names with their quotes, colons and commas.
    private mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// `count` elements separated by commas (the brackets are the caller's), element `index` written by `element`:
    /// the elements are read where they are, not copied out.
    private mutating func list(_ count: Int, _ element: (inout CompactJSON, Int) -> Void) {
        for index in 0..<count {
            if index > 0 {
                byte(UInt8(ascii: ","))
            }
            element(&self, index)
        }
    }

    mutating func plan(_ plan: Plan) {
        raw("{\"baseDN\":")
        string(plan.baseDN)
        raw(",\"changes\":[")
        // Through a buffer pointer, whose elements are read in place: the array's subscript copied each change out.
        plan.changes.withUnsafeBufferPointer { changes in
            list(changes.count) { out, index in
                out.change(changes[index])
                out.flushIfFull()
            }
        }
        raw("],\"customRecipientContainer\":")
        string(plan.customRecipientContainer)
        raw(",\"findings\":[")
        list(plan.findings.count) { out, index in
            out.raw("{\"candidates\":")
            out.strings(plan.findings[index].candidates)
            out.raw(",\"ccmailName\":")
            out.string(plan.findings[index].ccmailName)
            out.raw(",\"detail\":")
            out.string(plan.findings[index].detail)
            out.raw(",\"situation\":")
            out.string(plan.findings[index].situation.rawValue)
            out.byte(UInt8(ascii: "}"))
            out.flushIfFull()
        }
        raw("],\"inputs\":[")
        list(plan.inputs.count) { out, index in
            out.raw("{\"path\":")
            out.string(plan.inputs[index].path)
            out.raw(",\"role\":")
            out.string(plan.inputs[index].role)
            out.raw(",\"sha256\":")
            out.string(plan.inputs[index].sha256)
            if let users = plan.inputs[index].users {
                out.raw(",\"users\":")
                out.number(users)
            }
            out.byte(UInt8(ascii: "}"))
        }
        raw("],\"planHash\":")
        string(plan.planHash)
        raw(",\"profile\":")
        string(plan.profile.rawValue)
        raw(",\"schemaVersion\":")
        number(plan.schemaVersion)
        raw(",\"summary\":{\"create\":")
        number(plan.summary.create)
        raw(",\"delete\":")
        number(plan.summary.delete)
        raw(",\"findings\":")
        number(plan.summary.findings)
        raw(",\"modify\":")
        number(plan.summary.modify)
        raw(",\"overThreshold\":")
        plan.summary.overThreshold ? raw("true") : raw("false")
        raw(",\"thresholdReasons\":")
        strings(plan.summary.thresholdReasons)
        raw("}}")
    }

    private mutating func change(_ change: Plan.Change) {
        raw("{\"attributes\":")
        valueMap(change.attributes)
        raw(",\"before\":")
        valueMap(change.before)
        raw(",\"ccmailName\":")
        string(change.ccmailName)
        raw(",\"dn\":")
        string(change.dn)
        raw(",\"id\":")
        number(change.id)
        raw(",\"kind\":")
        string(change.kind.rawValue)
        raw(",\"modifications\":[")
        list(change.modifications.count) { out, index in
            out.raw("{\"attribute\":")
            out.string(change.modifications[index].attribute)
            out.raw(",\"op\":")
            out.string(change.modifications[index].op.rawValue)
            out.raw(",\"values\":")
            out.strings(change.modifications[index].values)
            out.byte(UInt8(ascii: "}"))
        }
        raw("],\"preconditions\":[")
        list(change.preconditions.count) { out, index in
            out.raw("{\"absent\":")
            out.strings(change.preconditions[index].absent)
            out.raw(",\"attribute\":")
            out.string(change.preconditions[index].attribute)
            if let prefix = change.preconditions[index].noOthersStartingWith {
                out.raw(",\"noOthersStartingWith\":")
                out.string(prefix)
            }
            out.raw(",\"present\":")
            out.strings(change.preconditions[index].present)
            out.byte(UInt8(ascii: "}"))
        }
        raw("],\"rule\":")
        string(change.rule.rawValue)
        raw(",\"situation\":")
        string(change.situation.rawValue)
        byte(UInt8(ascii: "}"))
    }

    /// `{"attribute":["value",…],…}` with the attributes sorted (by `String`'s order, as `JSONBytes` sorts them).
    ///
    /// The table's positions are put in order on the stack and each member is read in place: sorting the members
    /// themselves made an array of them, with their value lists retained, for every map of every change.
    private mutating func valueMap(_ map: [String: [String]]) {
        byte(UInt8(ascii: "{"))
        withUnsafeTemporaryAllocation(of: Dictionary<String, [String]>.Index.self, capacity: map.count) { order in
            var count = 0
            for index in map.indices {
                order.initializeElement(at: count, to: index)
                count += 1
            }
            // Insertion sort: a change's maps hold a dozen attributes at most.
            for next in 1..<max(count, 1) {
                var position = next
                while position > 0, map[order[position]].key < map[order[position - 1]].key {
                    order.swapAt(position, position - 1)
                    position -= 1
                }
            }
            for position in 0..<count {
                if position > 0 {
                    byte(UInt8(ascii: ","))
                }
                string(map[order[position]].key)
                byte(UInt8(ascii: ":"))
                strings(map[order[position]].value)
            }
            _ = order.prefix(count).deinitialize()
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func strings(_ values: [String]) {
        byte(UInt8(ascii: "["))
        list(values.count) { out, index in
            out.string(values[index])
        }
        byte(UInt8(ascii: "]"))
    }

    private mutating func number(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string: `"` and `\` escaped, control characters as `\u00XX`, everything else as UTF-8.
    private mutating func string(_ value: String) {
        byte(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            // Most strings need no escape: copy them whole.
            guard utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    bytes.append(UInt8(ascii: "\\"))
                    bytes.append(byte)
                case 0..<0x20:
                    bytes.append(contentsOf: [
                        UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                        Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0x0F)],
                    ])
                default:
                    bytes.append(byte)
                }
            }
        }
        byte(UInt8(ascii: "\""))
    }
}

/// A JSON writer into one growing byte buffer; callers give keys in sorted order.
///
/// A class, so nested objects append to the same buffer instead of copying it.
final class JSONBytes {
    var bytes: [UInt8] = []

    /// Indented, `"key" : value`, one member or element per line, as JSONEncoder's `.prettyPrinted` writes.
    private let pretty: Bool
    private var depth = 0
    /// When set, `bytes` is handed to this and started over once it holds `chunkSize` bytes (checked before each
    /// member or element).
    private let chunk: (([UInt8]) -> Void)?
    private let chunkSize: Int

    init(pretty: Bool = false, chunkSize: Int = Int.max, chunk: (([UInt8]) -> Void)? = nil) {
        self.pretty = pretty
        self.chunk = chunk
        self.chunkSize = chunkSize
    }

    /// Hands what is written so far to `chunk` (when there is one) and starts over.
    func handOver() {
        guard let chunk, !bytes.isEmpty else {
            return
        }
        chunk(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// Before a member or element: the comma, and in pretty form the line break and indentation.
    fileprivate func separator(first: Bool) {
        if bytes.count >= chunkSize {
            handOver()
        }
        if !first {
            bytes.append(UInt8(ascii: ","))
        }
        if pretty {
            bytes.append(0x0A)
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
        }
    }

    /// Closes a container; in pretty form on a line of its own, and an empty one as `[`, a blank line, `]`, as
    /// JSONEncoder writes it.
    private func close(_ bracket: UInt8, empty: Bool) {
        depth -= 1
        if pretty {
            bytes.append(0x0A)
            if empty {
                bytes.append(0x0A)
            }
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
        }
        bytes.append(bracket)
    }

    /// Members of one object, comma-separated.
    struct ObjectWriter {
        fileprivate let out: JSONBytes
        fileprivate var first = true

        mutating func field(_ key: String, _ value: (JSONBytes) -> Void) {
            out.separator(first: first)
            first = false
            out.string(key)
            if out.pretty {
                out.bytes.append(UInt8(ascii: " "))
            }
            out.bytes.append(UInt8(ascii: ":"))
            if out.pretty {
                out.bytes.append(UInt8(ascii: " "))
            }
            value(out)
        }
    }

    func object(_ body: (inout ObjectWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        depth += 1
        var writer = ObjectWriter(out: self)
        body(&writer)
        close(UInt8(ascii: "}"), empty: writer.first)
    }

    func array<Element>(_ elements: [Element], _ body: (JSONBytes, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        depth += 1
        for (index, element) in elements.enumerated() {
            separator(first: index == 0)
            body(self, element)
        }
        close(UInt8(ascii: "]"), empty: elements.isEmpty)
    }

    func strings(_ values: [String]) {
        array(values) { out, value in out.string(value) }
    }

    /// `{"attribute":["value",…],…}` with the attributes sorted.
    func valueMap(_ map: [String: [String]]) {
        object { object in
            for key in map.keys.sorted() {
                object.field(key) { $0.strings(map[key] ?? []) }
            }
        }
    }

    func number(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    func boolean(_ value: Bool) {
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// The letter of JSON's two-character escape of a control character (`\b \t \n \f \r`), if it has one.
    private static func shortEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x08: UInt8(ascii: "b")
        case 0x09: UInt8(ascii: "t")
        case 0x0A: UInt8(ascii: "n")
        case 0x0C: UInt8(ascii: "f")
        case 0x0D: UInt8(ascii: "r")
        default: nil
        }
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\u00XX`, everything else as UTF-8.
    func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escape: copy them whole.
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0..<0x20 where pretty && Self.shortEscape(byte) != nil:
                // JSONEncoder's short forms; the canonical form (and so the hash) keeps `\u00XX` for every one.
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(Self.shortEscape(byte) ?? byte)
            case 0..<0x20:
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0x0F)],
                ])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
