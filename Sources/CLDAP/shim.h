#ifndef CLDAP_SHIM_H
#define CLDAP_SHIM_H

// Only what Swift cannot call directly lives here: every wrapper is `static inline`,
// carries the `cldap_` prefix, and holds no logic.
#include <lber.h>
#include <ldap.h>

/// `LDAP_OPT_ON` is a macro over the address of a library global; Swift imports no such macro.
static inline void *cldap_opt_on(void) { return LDAP_OPT_ON; }

/// `LDAP_OPT_OFF` is a macro with a pointer cast, which Swift does not import.
static inline void *cldap_opt_off(void) { return LDAP_OPT_OFF; }

/// `mod_bvalues` is a macro over the `mod_vals` union; Swift sees only the union.
static inline void cldap_mod_set_bvalues(LDAPMod *mod, struct berval **values) { mod->mod_bvalues = values; }

/// `ber_sockbuf_io_readahead` is a mutable library global; Swift 6 refuses to take its address.
static inline int cldap_add_readahead(Sockbuf *sb) {
    return ber_sockbuf_add_io(sb, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER, NULL);
}

#endif
