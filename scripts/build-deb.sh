#!/usr/bin/env bash
# Turns an install tree (`make install DESTDIR=<root> PREFIX=/usr ...`, see `make package`) into
# ccdirsync_<version>_<arch>.deb with dpkg-deb, the way Debian lays a package out: man pages and
# changelog gzipped, the licence as /usr/share/doc/ccdirsync/copyright, the example configuration
# also as the conffile /etc/ccdirsync/ccdirsync.yaml, and Depends derived by dpkg-shlibdeps from the
# libraries the binary links (plus adduser, which postinst uses).
#
# usage: scripts/build-deb.sh <install tree> <version> <output folder>
# environment: MAINTAINER (the Maintainer field), SOURCE_DATE_EPOCH (file times; default: now)
set -euo pipefail

root=$(realpath "$1")
version=$2
out=$3
here=$(cd "$(dirname "$0")/.." && pwd)
maintainer=${MAINTAINER:-ccdirsync maintainers <ccdirsync@example.org>}
epoch=${SOURCE_DATE_EPOCH:-$(date +%s)}
arch=$(dpkg --print-architecture)
doc=$root/usr/share/doc/ccdirsync
binary=$root/usr/bin/ccdirsync

[ -x "$binary" ] || { echo "build-deb: $binary missing: run make install DESTDIR=$root PREFIX=/usr first" >&2; exit 1; }

# Documentation as Debian ships it.
gzip -9nf "$root"/usr/share/man/man1/*.1
rm -f "$doc/LICENSE"
install -m 0644 "$here/dist/debian/copyright" "$doc/copyright"
# A native package's changelog.gz is in Debian's changelog format; the upstream one stays beside it.
{
    echo "ccdirsync ($version) unstable; urgency=medium"
    echo
    echo "  * Release $version; the changes are in /usr/share/doc/ccdirsync/CHANGELOG.md.gz."
    echo
    echo " -- $maintainer  $(date -u -R -d "@$epoch")"
} | gzip -9n >"$doc/changelog.gz"
gzip -9nf "$doc/CHANGELOG.md" "$doc/README.md"

install -D -m 0644 "$here/dist/debian/lintian-overrides" "$root/usr/share/lintian/overrides/ccdirsync"

# The example configuration is the conffile: inert until edited (see its first lines).
install -D -m 0644 "$here/dist/ccdirsync.yaml" "$root/etc/ccdirsync/ccdirsync.yaml"

# Depends: what the binary links, as Debian's shlibs and symbols files name it.
# dpkg-shlibdeps works in a source tree: debian/control, and the binary in debian/<package>/ (a hard link).
mkdir -p "$out"
shlibs_dir=$(mktemp -d -p "$out")
trap 'rm -rf "$shlibs_dir"' EXIT
mkdir -p "$shlibs_dir/debian/ccdirsync/usr/bin" "$shlibs_dir/debian/ccdirsync/DEBIAN"
printf 'Source: ccdirsync\n\nPackage: ccdirsync\nArchitecture: any\n' >"$shlibs_dir/debian/control"
ln "$binary" "$shlibs_dir/debian/ccdirsync/usr/bin/ccdirsync"
shlibs=$(cd "$shlibs_dir" && dpkg-shlibdeps -O debian/ccdirsync/usr/bin/ccdirsync | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "build-deb: dpkg-shlibdeps found no libraries" >&2; exit 1; }
depends="$shlibs, adduser"

# Control area.
mkdir -p "$root/DEBIAN"
install -m 0755 "$here/dist/debian/postinst" "$here/dist/debian/prerm" "$here/dist/debian/postrm" "$root/DEBIAN/"
echo /etc/ccdirsync/ccdirsync.yaml >"$root/DEBIAN/conffiles"
chmod 0644 "$root/DEBIAN/conffiles"
(cd "$root" && find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\0' | LC_ALL=C sort -z \
    | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@INSTALLED_SIZE@|$installed_size|" -e "s|@DEPENDS@|$depends|" \
    "$here/dist/debian/control.in" >"$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/control"

# Modes and times as a package has them, whatever the umask and the build's clock said.
find "$root" -type d -exec chmod 0755 {} +
find "$root" -exec touch -h -d "@$epoch" {} +

mkdir -p "$out"
deb=$out/ccdirsync_${version}_${arch}.deb
SOURCE_DATE_EPOCH=$epoch dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
