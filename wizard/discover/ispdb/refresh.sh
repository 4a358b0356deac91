#!/usr/bin/env bash
# Refreshes postino's copy of Thunderbird's ISP database from a checkout of
# https://github.com/thunderbird/autoconfig:
#
#   git clone https://github.com/thunderbird/autoconfig /tmp/autoconfig
#   bash wizard/discover/ispdb/refresh.sh /tmp/autoconfig
#
# It replaces the XML files beside this script with the checkout's ispdb/
# folder (a file without the .xml ending gets it), keeps the licence
# notice, writes README.md with the checkout's commit, then runs the
# tests that read every entry and list where the copy and providers.yaml
# differ. Review `git diff` and the tests' log before committing.
set -euo pipefail

usage() {
	echo "usage: $0 AUTOCONFIG_CHECKOUT" >&2
	exit 2
}
[ $# -eq 1 ] || usage
src=$1
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)

if [ ! -d "$src/ispdb" ]; then
	echo "$src has no ispdb folder: is it a checkout of thunderbird/autoconfig?" >&2
	exit 2
fi
if ! commit=$(git -C "$src" rev-parse --verify HEAD 2>/dev/null); then
	echo "$src is not a git checkout: the copy must name the commit it came from." >&2
	exit 2
fi
date=$(git -C "$src" log -1 --format=%cs HEAD)
if [ -n "$(git -C "$src" status --porcelain -- ispdb)" ]; then
	echo "$src/ispdb has changes that are not committed: the copy would not match commit $commit." >&2
	exit 2
fi

# The new files go to a folder of their own first, so that a failure
# leaves the old copy whole.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shopt -s nullglob
for f in "$src"/ispdb/*; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	case $name in
	*.xml) ;;
	.* | *.md | *.txt | *.py | *.sh | *.json | *.yaml | *.yml) continue ;;
	*) name=$name.xml ;;
	esac
	if ! grep -q '<clientConfig' "$f"; then
		echo "skipped $f: not a clientConfig file" >&2
		continue
	fi
	cp "$f" "$tmp/$name"
done
files=("$tmp"/*.xml)
if [ ${#files[@]} -eq 0 ]; then
	echo "$src/ispdb holds no clientConfig file." >&2
	exit 1
fi

# Every <domain> element outside comments, as the tests count them.
domains=$(for f in "${files[@]}"; do
	perl -0pe 's/<!--.*?-->//gs' "$f" | grep -o '<domain>[^<]*</domain>' || true
done | sed -e 's/<[^>]*>//g' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | tr 'A-Z' 'a-z' | sort -u | grep -c . || true)

for l in LICENSE LICENSE.txt LICENSE.md COPYING; do
	if [ -f "$src/$l" ]; then
		if ! grep -q "Mozilla Public License" "$src/$l"; then
			echo "$src/$l is not the Mozilla Public License: check the licence before copying." >&2
			exit 1
		fi
		cp "$src/$l" "$tmp/LICENSE"
		break
	fi
done
[ -f "$tmp/LICENSE" ] || cp "$here/LICENSE" "$tmp/LICENSE"

cat >"$tmp/README.md" <<EOF
# Thunderbird's ISP database, as built into postino

The files of the Thunderbird ISP database (ISPDB) as published in the
public repository https://github.com/thunderbird/autoconfig, folder
\`ispdb/\`, at commit $commit ($date):
${#files[@]} clientConfig files covering $domains domains. Licensed under the
Mozilla Public License 2.0 (LICENSE beside this file); keep that notice
with any copy. The files are copied unchanged.

Each file is the answer that \`https://autoconfig.thunderbird.net/v1.1/DOMAIN\`
serves for every \`<domain>\` it lists. postino embeds them
(\`wizard/discover/ispdb.go\`), indexes their domains at the first lookup
that needs them and parses one file per lookup. They rank below the
providers files and below the online database, whose data is newer, and
they answer \`postino detect --offline\`.

What postino does not take from them: the servers listed in \`ispdbLeftOut\`
(\`wizard/discover/ispdb.go\`), each checked against the provider's own
pages, and servers without encryption, which are never proposed (a
provider that lists no other gets none). docs/ARCHITECTURE.md, "Finding
settings", records the checks.

To refresh: \`bash wizard/discover/ispdb/refresh.sh PATH/TO/autoconfig\`
from a checkout of that repository at the commit wanted.
EOF

find "$here" -maxdepth 1 -type f -name '*.xml' -delete
cp "$tmp"/*.xml "$tmp/LICENSE" "$tmp/README.md" "$here/"
echo "copied ${#files[@]} files covering $domains domains from commit $commit ($date)"

cd "$repo"
go test ./wizard/discover/ -run 'TestBuiltinISPDB' -v
