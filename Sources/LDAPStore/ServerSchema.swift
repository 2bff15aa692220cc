import LDAPClient
import LDAPModel
import Sync

/// What a server's schema says about the names a profile uses: which attributes and object classes exist, the
/// longest value each attribute accepts, and whether the server reports a bind identity's effective rights.
///
/// `check` shows it; `plan`, `sync` and `undo` refuse to go on without the profile's names, because a server
/// evaluates a filter on an attribute it does not know as Undefined, not as an error (Active Directory without the
/// Exchange schema finds no mailbox, and every user would be planned a custom recipient).
package struct ServerSchema: Sendable {
    /// The attribute type names the subschema defines.
    package var attributes: SchemaNames
    /// The object class names the subschema defines.
    package var classes: SchemaNames
    /// The bounds the server publishes: Active Directory's `rangeUpper` on its attributeSchema objects, or a
    /// `{length}` after an attribute type's SYNTAX (inherited through SUP) in the subschema.
    package var limits: AttributeLimits

    /// The constructed attributes that report what the bound identity may write and create (Active Directory's).
    package static let effectiveRightsAttributes = ["allowedAttributesEffective", "allowedChildClassesEffective"]

    /// Whether the server reports effective rights (`allowedAttributesEffective`, `allowedChildClassesEffective`).
    package var offersEffectiveRights: Bool {
        Self.effectiveRightsAttributes.allSatisfy(attributes.contains)
    }

    /// The attributes `profile` reads or writes, `objectClass` aside.
    package static func attributeNames(of profile: Profile) -> [String] {
        profile.recipientAttributes.filter { $0.lowercased() != "objectclass" }
    }

    /// The object classes `profile` finds mailboxes by and creates custom recipients with.
    package static func classNames(of profile: Profile) -> [String] {
        var seen = Set<String>()
        return (profile.mailboxClasses + profile.customRecipientObjectClasses).filter {
            seen.insert($0.lowercased()).inserted
        }
    }

    /// What `profile` needs that this schema lacks, as `attribute <name>` and `object class <name>`, sorted by kind
    /// and name; empty when nothing is missing.
    package func missing(for profile: Profile) -> [String] {
        Self.attributeNames(of: profile).filter { !attributes.contains($0) }.sorted().map { "attribute \($0)" }
            + Self.classNames(of: profile).filter { !classes.contains($0) }.sorted().map { "object class \($0)" }
    }

    /// Why a schema could not be read.
    package struct ReadError: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    /// Reads the subschema the root DSE names, and on Active Directory the `rangeUpper` of `profile`'s attributes
    /// from the schema naming context.
    package static func read(from connection: LDAPConnection, for profile: Profile) throws -> ServerSchema {
        guard
            let root = try connection.read(
                DistinguishedName.root, attributes: ["subschemaSubentry", "schemaNamingContext"]),
            let subentryText = root.strings("subschemaSubentry").first
        else {
            throw ReadError(description: "the server does not publish a subschemaSubentry")
        }
        let subentry = try DistinguishedName(parsing: subentryText)
        let schema = try connection.searchAll(
            base: subentry, scope: .base, filter: .equality("objectClass", "subschema"),
            attributes: ["attributeTypes", "objectClasses"], pageSize: nil
        ).first
        let attributeTypes = SchemaDefinitions(schema?.strings("attributeTypes") ?? [])
        var limits = attributeTypes.lengthBounds
        if let context = root.strings("schemaNamingContext").first {
            limits = limits.overridden(
                by: try rangeUppers(
                    below: try DistinguishedName(parsing: context), names: attributeNames(of: profile),
                    connection: connection))
        }
        return ServerSchema(
            attributes: attributeTypes.names, classes: SchemaDefinitions(schema?.strings("objectClasses") ?? []).names,
            limits: limits)
    }

    /// Active Directory's `rangeUpper` of the attributeSchema objects for `names`.
    private static func rangeUppers(
        below context: DistinguishedName, names: [String], connection: LDAPConnection
    ) throws -> AttributeLimits {
        let entries = try connection.searchAll(
            base: context, scope: .oneLevel,
            filter: .and([
                .equality("objectClass", "attributeSchema"),
                .or(names.map { .equality("lDAPDisplayName", $0) }),
            ]),
            attributes: ["lDAPDisplayName", "rangeUpper"], pageSize: nil)
        var bounds: [String: Int] = [:]
        for entry in entries {
            if let name = entry.strings("lDAPDisplayName").first,
                let bound = entry.strings("rangeUpper").first.flatMap({ Int($0) })
            {
                bounds[name] = bound
            }
        }
        return AttributeLimits(bounds)
    }
}

/// The names defined in schema definitions such as `( 2.5.4.3 NAME ( 'cn' 'commonName' ) ... )`.
package struct SchemaNames: Sendable {
    private var names: Set<String> = []

    package init(_ names: some Sequence<String>) {
        self.names = Set(names.map { $0.lowercased() })
    }

    package func contains(_ name: String) -> Bool {
        names.contains(name.lowercased())
    }
}

/// RFC 4512 definitions (attribute types or object classes) read for their names, SUP and SYNTAX length.
struct SchemaDefinitions {
    /// One definition's parts that matter here.
    struct Definition {
        var names: [String] = []
        var superior: String?
        /// The `{length}` after the SYNTAX OID, when there is one.
        var length: Int?
    }

    let definitions: [Definition]

    init(_ texts: [String]) {
        definitions = texts.map(Self.parse)
    }

    var names: SchemaNames {
        SchemaNames(definitions.flatMap(\.names))
    }

    /// Each named attribute's length bound, its own or its nearest superior's.
    var lengthBounds: AttributeLimits {
        var byName: [String: Definition] = [:]
        for definition in definitions {
            for name in definition.names {
                byName[name.lowercased()] = definition
            }
        }
        var bounds: [String: Int] = [:]
        for (name, definition) in byName {
            var current: Definition? = definition
            var steps = 0
            // SUP chains are short; the step bound keeps a cyclic schema from looping.
            while let found = current, steps < 16 {
                if let length = found.length {
                    bounds[name] = length
                    break
                }
                current = found.superior.flatMap { byName[$0.lowercased()] }
                steps += 1
            }
        }
        return AttributeLimits(bounds)
    }

    /// The RFC 4512 keywords that stand alone, without a value.
    static let flags: Set<String> = [
        "OBSOLETE", "ABSTRACT", "STRUCTURAL", "AUXILIARY", "SINGLE-VALUE", "COLLECTIVE", "NO-USER-MODIFICATION",
    ]

    /// Splits a definition into words, parentheses and quoted strings, and reads NAME, SUP and SYNTAX; a keyword
    /// is only a keyword outside quotes (a DESC may say anything).
    static func parse(_ text: String) -> Definition {
        var tokens: [(text: String, quoted: Bool)] = []
        var current = ""
        var quoted = false
        func flush() {
            if !current.isEmpty {
                tokens.append((current, false))
            }
            current = ""
        }
        for character in text {
            if quoted {
                if character == "'" {
                    tokens.append((current, true))
                    current = ""
                    quoted = false
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "'":
                flush()
                quoted = true
            case "(", ")":
                flush()
                tokens.append((String(character), false))
            case " ", "\t", "\n", "\r":
                flush()
            default:
                current.append(character)
            }
        }
        flush()
        // The values after the keyword at `keyword` (one token, or a parenthesised list), and where the next
        // keyword may start: a value such as `SUP name` is never read as a keyword.
        func values(after keyword: Int) -> (values: [String], next: Int) {
            guard keyword + 1 < tokens.count else { return ([], keyword + 1) }
            if tokens[keyword + 1].text != "(" || tokens[keyword + 1].quoted {
                return ([tokens[keyword + 1].text], keyword + 2)
            }
            let list = tokens[(keyword + 2)...].prefix { $0.text != ")" || $0.quoted }
            return (list.map(\.text).filter { $0 != "$" }, keyword + 3 + list.count)
        }
        var definition = Definition()
        var index = 2  // after the opening parenthesis and the numeric OID
        while index < tokens.count {
            guard !tokens[index].quoted else {
                index += 1
                continue
            }
            // Another keyword's list, such as `MAY ( name $ cn )`: its names are values, not keywords.
            if tokens[index].text == "(" {
                index += 1
                while index < tokens.count, tokens[index].text != ")" || tokens[index].quoted {
                    index += 1
                }
                index += 1
                continue
            }
            let keyword = tokens[index].text.uppercased()
            guard !Self.flags.contains(keyword) else {
                index += 1
                continue
            }
            // Every other keyword has a value or a list, skipped whole (`MUST name` names an attribute).
            let (values, next) = values(after: index)
            switch keyword {
            case "NAME": definition.names = values
            case "SUP": definition.superior = values.first
            case "SYNTAX":
                if let syntax = values.first, let open = syntax.firstIndex(of: "{") {
                    definition.length = Int(syntax[syntax.index(after: open)...].prefix { $0 != "}" })
                }
            default: break
            }
            index = next
        }
        return definition
    }
}
