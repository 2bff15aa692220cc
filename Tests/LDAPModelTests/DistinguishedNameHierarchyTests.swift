import LDAPModel
import Testing

@Suite("DistinguishedName hierarchy")
struct DistinguishedNameHierarchyTests {
    let site: DistinguishedName
    let person: DistinguishedName

    init() throws {
        site = try DistinguishedName(parsing: "ou=Site,o=Org")
        person = site.child(RelativeDistinguishedName(type: "cn", value: "Smith, John"))
    }

    @Test func childAndParent() throws {
        #expect(person.description == #"cn=Smith\, John,ou=Site,o=Org"#)
        #expect(person.rdn == RelativeDistinguishedName(type: "CN", value: "smith, john"))
        #expect(person.parent == site)
        #expect(person.parent?.description == "ou=Site,o=Org")
        #expect(site.parent == (try DistinguishedName(parsing: "o=Org")))
        #expect(site.parent?.parent == DistinguishedName.root)
        #expect(site.parent?.parent?.isEmpty == true)
        #expect(DistinguishedName.root.parent == nil)
        #expect(DistinguishedName.root.rdn == nil)
        #expect(!site.isEmpty)
    }

    @Test func descendants() throws {
        #expect(person.isDescendant(of: site))
        #expect(person.isDescendant(of: DistinguishedName.root))
        #expect(try person.isDescendant(of: DistinguishedName(parsing: "o=Org")))
        #expect(try DistinguishedName(parsing: "CN=x,OU=SITE,O=ORG").isDescendant(of: site))
        #expect(!site.isDescendant(of: site))
        #expect(!site.isDescendant(of: person))
        #expect(try !DistinguishedName(parsing: "cn=x,ou=Other,o=Org").isDescendant(of: site))
        #expect(try !DistinguishedName(parsing: "cn=a,o=XOrg").isDescendant(of: DistinguishedName(parsing: "o=Org")))
        #expect(!DistinguishedName.root.isDescendant(of: DistinguishedName.root))
    }

    @Test func within() throws {
        #expect(site.isWithin(site))
        #expect(person.isWithin(site))
        #expect(!site.isWithin(person))
        #expect(DistinguishedName.root.isWithin(DistinguishedName.root))
        #expect(try !DistinguishedName(parsing: "ou=Site,o=Org2").isWithin(DistinguishedName(parsing: "o=Org")))
    }
}
