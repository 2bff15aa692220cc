import Config

/// The configurations the tests start from, and the one place that loads YAML text for them.
enum ConfigExamples {
    /// Where the in-memory configs pretend to live: relative paths resolve against its folder.
    static let file = "/etc/ccdirsync/ccdirsync.yaml"

    /// The example of the product issue, verbatim (line numbers below depend on it).
    static let issue = """
        version: 1
        profile: exchange55                 # or exchange2000
        ldap: {url: ldap://127.0.0.1:3890, bindDN: "cn=admin,o=Org", passwordFile: secret.txt, tls: {mode: none, caFile: ca.pem, verify: true}, baseDN: "ou=Site,o=Org", pageSize: 500}   # tls.mode: none | starttls | ldaps
        ccmail:
          codepage: CP850
          exports: [{postOffice: PO1, path: po1.exp}, {postOffice: PO2, path: po2.exp}]
          gateways: {INTERNET: ccmail}      # or smtp
          excludePostOffices: []
        exchange: {customRecipientContainer: "cn=ccMail Users,ou=Site,o=Org", displayName: "{given} {sur}", mailTemplate: "{alias}@org.example", x400Template: "c=US;a= ;p=Org;o=Site;s={sur};g={given}"}
        match: {mappingFile: mapping.csv, byName: suggest}   # byName: apply lets name matches write
        policy: {onMissing: delete, retireOnMatch: false}    # onMissing: hide
        thresholds: {deletes: {count: 50, percent: 20}, modifies: {count: 5000, percent: 50}, creates: {count: 5000, percent: 100}}
        state: {directory: state}
        """

    /// Only the required keys of an exchange2000 config, in block style.
    static let minimal = """
        version: 1
        profile: exchange2000
        ldap:
          url: ldaps://dc1.example.org
          bindDN: "CN=svc-ccdirsync,OU=Service,DC=example,DC=org"
          passwordEnv: CCDIRSYNC_PASSWORD
          baseDN: "DC=example,DC=org"
        ccmail:
          exports:
            - {postOffice: LONDON, path: /data/london.exp}
        exchange:
          customRecipientContainer: "OU=ccMail,DC=example,DC=org"
        """

    static func load(_ yaml: String, file: String = file) throws(ConfigurationError) -> Configuration {
        try ConfigurationLoader.load(yaml: yaml, file: file)
    }
}
