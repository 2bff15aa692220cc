/// A synthetic cc:Mail organisation and its Exchange directory, deterministic from a seed.
///
/// The mix is what the benchmark issue asks for: users over 20 post offices plus an SMTP gateway; about 60% with
/// a mailbox (a third of those already carrying their MIGRATE value, 5% of users moved to another post office
/// since), custom recipients ccdirsync owns for 30% of the rest, 1% of names disputed (two mailboxes), and foreign
/// objects (connector-made recipients, distribution lists).
struct Organisation {
    /// What the Exchange side holds for one user.
    enum Exchange {
        /// A mailbox carrying the MIGRATE value for `migratePostOffice` (the home one, or an old one).
        case mailboxWithMigrate(migratePostOffice: Int)
        /// A mailbox carrying the user's secondary ccmail address (join rule 3), no MIGRATE yet.
        case mailboxWithProxy
        /// Two mailboxes with the user's name and nothing else: disputed.
        case disputed
        /// A custom recipient ccdirsync made, for `postOffice` (the home one, or an old one).
        case ownedRecipient(postOffice: Int)
        /// A recipient a connector made: represented elsewhere.
        case foreignRecipient
        /// Nothing: ccdirsync will create a custom recipient.
        case nothing
    }

    struct User {
        var index: Int
        var surname: String
        var givenName: String
        /// 1…20, or 0 for the gateway.
        var postOffice: Int
        var exchange: Exchange

        var name: String { "\(surname), \(givenName)" }
        var fan: String { "user\(index)@example.net" }
        var alias: String { "U\(index)" }
    }

    static let postOfficeCount = 20
    static let surnames = [
        "Smith", "Müller", "Dupont", "Garçon", "Rossi", "Øster", "Nélaton", "Jones", "Weiß", "Núñez", "O'Brien",
        "Schön", "Lefèvre", "Åberg", "Kowalski", "Brown",
    ]
    static let givenNames = ["John", "Jürgen", "Hélène", "Mary Ann", "François", "Lucia", "Bjørn", "Sam J.", "Zoë"]

    let users: [User]
    let distributionLists: Int

    init(users count: Int, seed: UInt64) {
        var random = SplitMix(seed: seed)
        var users: [User] = []
        users.reserveCapacity(count)
        for index in 1...count {
            // Unique names: a base surname with the user's number spelled into it.
            let surname = "\(Self.surnames[Int(random.next() % UInt64(Self.surnames.count))])-\(Self.code(index))"
            let given = Self.givenNames[Int(random.next() % UInt64(Self.givenNames.count))]
            let postOffice = random.next() % 50 == 0 ? 0 : 1 + Int(random.next() % UInt64(Self.postOfficeCount))
            let roll = Double(random.next() % 1_000_000) / 1_000_000
            let moved = random.next() % 100 < 5 && postOffice != 0
            let oldPostOffice = postOffice % Self.postOfficeCount + 1
            let exchange: Exchange
            switch roll {
            case ..<0.01:
                exchange = .disputed
            case ..<0.21:
                exchange = .mailboxWithMigrate(migratePostOffice: moved ? oldPostOffice : postOffice)
            case ..<0.61:
                exchange = .mailboxWithProxy
            case ..<0.73:
                exchange = .ownedRecipient(postOffice: moved ? oldPostOffice : postOffice)
            case ..<0.74:
                exchange = .foreignRecipient
            default:
                exchange = .nothing
            }
            users.append(
                User(index: index, surname: surname, givenName: given, postOffice: postOffice, exchange: exchange))
        }
        self.users = users
        distributionLists = max(1, count / 200)
    }

    /// A short letter code for a number (`A`, `B`, … `BA`): names keep letters only, like real surnames.
    static func code(_ number: Int) -> String {
        var value = number
        var letters: [Character] = []
        repeat {
            letters.append(Character(UnicodeScalar(UInt8(65 + value % 26))))
            value /= 26
        } while value > 0
        return String(letters.reversed())
    }

    static func postOfficeName(_ number: Int) -> String {
        number == 0 ? "INTERNET" : "PO" + (number < 10 ? "0" : "") + String(number)
    }
}

/// SplitMix64: small, fast and the same on every machine.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
