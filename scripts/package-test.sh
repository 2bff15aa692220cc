#!/usr/bin/env bash
# make package-test: proves the Debian package on a machine that never saw Swift.
#
#  1. slapd on the host's 127.0.0.1 with the fixture organisation (fixtures/exchange55, as TestSupport's
#     SlapdServer makes it: core.schema + schemas/exchange55.schema, the seed, a service account).
#  2. The binary extracted from the .deb, with /opt/swift hidden (a private mount namespace with a tmpfs over
#     it): --version and a real plan.
#  3. debootstrap a minimal Debian bookworm (from the mirror this machine's apt uses) and, inside it,
#     apt-get install the .deb (apt resolves Depends), then: --version, the man page, the user and state
#     directory postinst made, the inert /etc configuration refused by check, check and plan against the
#     host's slapd as the ccdirsync user, and finally purge.
#
# usage: scripts/package-test.sh ccdirsync_<version>_<arch>.deb   (as root: chroot, mount, debootstrap)
# environment: DEBIAN_MIRROR (default: the first deb.debian.org-style URI of /etc/apt/sources*), SUITE (bookworm)
set -euo pipefail

deb=$(realpath "$1")
here=$(cd "$(dirname "$0")/.." && pwd)
work=$here/.build-release/package-test
root=$work/root
suite=${SUITE:-bookworm}
toolchain=${SWIFT_TOOLCHAIN_DIR:-/opt/swift}
mirror=${DEBIAN_MIRROR:-$( (cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
    2>/dev/null || true) | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n1 | tr -d ' ' || true)}
mirror=${mirror:-http://deb.debian.org/debian}

[ "$(id -u)" = 0 ] || { echo "package-test: run as root (chroot, mount, debootstrap)" >&2; exit 1; }

timings=()
step_start=$SECONDS
step() {
    local now=$SECONDS
    [ -z "${step_name:-}" ] || timings+=("$(printf '%4d s  %s' $((now - step_start)) "$step_name")")
    step_name=$1
    step_start=$now
    echo
    echo "=== $1"
}

slapd_pid=""
cleanup() {
    if [ -n "$slapd_pid" ]; then kill "$slapd_pid" 2>/dev/null || true; fi
    for mount in "$root/proc" "$root/dev/pts"; do
        if mountpoint -q "$mount" 2>/dev/null; then umount "$mount" || umount -l "$mount" || true; fi
    done
}
trap cleanup EXIT

# Never delete through a mount that a previous, interrupted run left behind.
for mount in "$root/proc" "$root/dev/pts"; do
    if mountpoint -q "$mount" 2>/dev/null; then umount "$mount"; fi
done
rm -rf --one-file-system "$work"
mkdir -p "$work"

# --- 1. slapd ---------------------------------------------------------------------------------------------------
step "slapd with the fixture organisation on 127.0.0.1"
slapd_dir=$work/slapd
mkdir -p "$slapd_dir/db"
admin_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
service_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
cat >"$slapd_dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include $here/schemas/exchange55.schema
loglevel 0
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $slapd_dir/slapd.pid
argsfile $slapd_dir/slapd.args
database mdb
maxsize 1073741824
suffix "o=Org"
rootdn "cn=admin,o=Org"
rootpw $admin_password
directory $slapd_dir/db
index objectClass eq
index otherMailbox,Target-Address,uid eq
access to attrs=userPassword by self read by anonymous auth by * none
access to * by dn.exact="cn=ccdirsync,o=Org" write by users read by * none
CONF
cat >"$slapd_dir/service.ldif" <<LDIF
dn: cn=ccdirsync,o=Org
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: ccdirsync
userPassword: $service_password
LDIF
/usr/sbin/slapadd -q -f "$slapd_dir/slapd.conf" -l "$here/fixtures/exchange55/seed.ldif"
/usr/sbin/slapadd -q -f "$slapd_dir/slapd.conf" -l "$slapd_dir/service.ldif"
port=""
for _ in $(seq 50); do
    candidate=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "package-test: no free port" >&2; exit 1; }
/usr/sbin/slapd -f "$slapd_dir/slapd.conf" -h "ldap://127.0.0.1:$port/"
for _ in $(seq 100); do
    [ -s "$slapd_dir/slapd.pid" ] && slapd_pid=$(cat "$slapd_dir/slapd.pid")
    if [ -n "$slapd_pid" ] && ldapwhoami -x -H "ldap://127.0.0.1:$port" -D "cn=ccdirsync,o=Org" \
        -w "$service_password" >/dev/null 2>&1; then break; fi
    sleep 0.1
done
ldapwhoami -x -H "ldap://127.0.0.1:$port" -D "cn=ccdirsync,o=Org" -w "$service_password"
echo "slapd $slapd_pid on ldap://127.0.0.1:$port"

# The configuration the package is tried with: the fixture exports beside it, the service account's password.
fixture_config() { # folder
    mkdir -p "$1"
    cp "$here"/fixtures/ccmail/{london,paris,zurich}.exp "$1/"
    printf '%s' "$service_password" >"$1/password"
    chmod 0600 "$1/password"
    cat >"$1/ccdirsync.yaml" <<YAML
version: 1
profile: exchange55
ldap:
  url: ldap://127.0.0.1:$port
  bindDN: "cn=ccdirsync,o=Org"
  passwordFile: password
  tls: {mode: none}          # a throwaway server on loopback
  baseDN: "ou=Site,o=Org"
ccmail:
  codepage: CP850
  exports:
    - {postOffice: LONDON, path: london.exp}
    - {postOffice: PARIS, path: paris.exp}
    - {postOffice: ZURICH, path: zurich.exp}
  gateways: {INTERNET: ccmail}
exchange:
  customRecipientContainer: "cn=ccMail Users,ou=Site,o=Org"
  mailTemplate: "{alias}@org.example"
  x400Template: "c=US;a= ;p=Org;o=Site;s={sur};g={given};"
state: {directory: state}
YAML
}

expect_status() { # expected, command...
    local expected=$1 status=0
    shift
    "$@" || status=$?
    if [ "$status" != "$expected" ]; then
        echo "package-test: '$*' exited $status, expected $expected" >&2
        exit 1
    fi
    echo "(exit $status, as expected)"
}

# --- 2. the toolchain hidden ------------------------------------------------------------------------------------
step "the .deb's binary with $toolchain hidden (unshare -m, tmpfs over it)"
extracted=$work/extracted
dpkg-deb -x "$deb" "$extracted"
fixture_config "$work/hidden"
unshare -m bash -euo pipefail -c '
    mount -t tmpfs -o size=1m none "$1"
    echo "$1 now holds: [$(ls -A "$1")]"
    if ldd "$2" | grep -E "swift|not found"; then echo "still needs the toolchain" >&2; exit 1; fi
    "$2" --version
    status=0
    "$2" plan --config "$3" --detailed-exitcode >"$4" || status=$?
    head -n 2 "$4"
    [ "$status" = 2 ] || { echo "plan exited $status, expected 2" >&2; exit 1; }
    echo "(plan exit 2: changes pending, as expected)"
' hide "$toolchain" "$extracted/usr/bin/ccdirsync" "$work/hidden/ccdirsync.yaml" "$work/hidden/plan.txt"

# --- 3. a fresh Debian ------------------------------------------------------------------------------------------
step "debootstrap --variant=minbase $suite from $mirror"
debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log"; exit 1; }
echo "root: $(du -sh --one-file-system "$root" | cut -f1); Swift inside: $(ls -d "$root"/opt/swift "$root"/usr/lib/swift \
    2>/dev/null || echo none)"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --bind /dev/pts "$root/dev/pts" 2>/dev/null || true   # apt's terminal log; harmless without
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root "$@"; }

step "apt-get install ./$(basename "$deb") inside (Depends resolved by apt)"
cp "$deb" "$root/tmp/"
in_root apt-get update -q >"$work/apt-update.log" 2>&1 || { tail -n 20 "$work/apt-update.log"; exit 1; }
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" \
    | tee "$work/apt-install.log" | sed -n '/NEW packages/,/upgraded/p'
in_root dpkg-query -W -f='${Package} ${Version} ${Status}\n' ccdirsync

step "inside: --version, ldd, man page, user, state directory, units not enabled"
in_root ccdirsync --version
if in_root ldd /usr/bin/ccdirsync | grep -E "swift|not found"; then echo "package-test: missing libraries" >&2; exit 1; fi
in_root ldd /usr/bin/ccdirsync | awk '{print "  " $1 " => " $3}'
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends man-db >"$work/man-db.log" 2>&1 \
    || { tail -n 20 "$work/man-db.log"; exit 1; }
in_root man -P cat ccdirsync 2>/dev/null | head -n 8
in_root man -w ccdirsync ccdirsync.sync
in_root whatis ccdirsync.plan
in_root id ccdirsync
in_root stat -c '%A %U:%G %n' /var/lib/ccdirsync /etc/ccdirsync/ccdirsync.yaml
in_root dpkg-query -W -f='conffiles:${Conffiles}\n' ccdirsync
in_root ls /lib/systemd/system/ccdirsync.service /lib/systemd/system/ccdirsync.timer \
    /usr/share/bash-completion/completions/ccdirsync /usr/share/zsh/vendor-completions/_ccdirsync \
    /usr/share/fish/vendor_completions.d/ccdirsync.fish /usr/share/doc/ccdirsync/examples/ccdirsync.yaml
if [ -e "$root/etc/systemd/system/timers.target.wants/ccdirsync.timer" ]; then
    echo "package-test: the timer is enabled" >&2
    exit 1
fi
echo "timer not enabled"

step "inside: the inert /etc/ccdirsync/ccdirsync.yaml is refused by check"
status=0
in_root chroot --userspec=ccdirsync:ccdirsync / ccdirsync check --config /etc/ccdirsync/ccdirsync.yaml || status=$?
[ "$status" != 0 ] || { echo "package-test: check accepted the unedited example" >&2; exit 1; }
echo "(exit $status: refused until edited, as expected)"

step "inside, as user ccdirsync: check and plan against slapd on the host's 127.0.0.1:$port"
fixture_config "$root/var/lib/ccdirsync/package-test"
in_root chown -R ccdirsync:ccdirsync /var/lib/ccdirsync/package-test
as_ccdirsync() { in_root chroot --userspec=ccdirsync:ccdirsync / "$@"; }
expect_status 0 as_ccdirsync ccdirsync check --config /var/lib/ccdirsync/package-test/ccdirsync.yaml
status=0
as_ccdirsync ccdirsync plan --config /var/lib/ccdirsync/package-test/ccdirsync.yaml --detailed-exitcode \
    --out /var/lib/ccdirsync/package-test/plan.json >"$work/plan.txt" || status=$?
head -n 2 "$work/plan.txt"
[ "$status" = 2 ] || { echo "package-test: plan exited $status, expected 2" >&2; exit 1; }
echo "(plan exit 2: changes pending, as expected; the full report is in $work/plan.txt)"

step "inside: apt-get purge ccdirsync"
in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q ccdirsync >"$work/purge.log" 2>&1 \
    || { tail -n 20 "$work/purge.log"; exit 1; }
for gone in /usr/bin/ccdirsync /etc/ccdirsync /var/lib/ccdirsync; do
    [ ! -e "$root$gone" ] || { echo "package-test: $gone is still there after purge" >&2; exit 1; }
done
echo "binary, /etc/ccdirsync and /var/lib/ccdirsync gone"

step done
echo
echo "package-test passed: $(basename "$deb") on a fresh $suite"
printf '%s\n' "${timings[@]}"
echo "total: $SECONDS s"
