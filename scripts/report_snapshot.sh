#!/usr/bin/env bash
# Writes every report format of both built-in packs over the samples, the CUAD
# dev corpus (when ../shared is beside the checkout) and the test fixtures into
# OUT_DIR, so a refactor can be checked byte for byte:
#   scripts/report_snapshot.sh /tmp/before && (change, build) &&
#   scripts/report_snapshot.sh /tmp/after && diff -r /tmp/before /tmp/after
set -uo pipefail
out=${1:?usage: report_snapshot.sh OUT_DIR [BINARY]}
bin=${2:-target/release/redflag}
cd "$(dirname "$0")/.."
mkdir -p "$out"
inputs=(contracts_samples tests/fixtures/docx tests/fixtures/corrupt tests/fixtures/cuad/contracts)
[ -d ../shared/corpora/cuad-dev/contracts ] && inputs+=(../shared/corpora/cuad-dev/contracts)
for pack in payer commercial; do
  for fmt in json jsonl sarif markdown html csv human; do
    "$bin" audit --pack "$pack" --format "$fmt" --fail-on never --as-of 2026-11-26 "${inputs[@]}" \
      >"$out/$pack.$fmt" 2>"$out/$pack.$fmt.stderr"
    echo "exit $?" >>"$out/$pack.$fmt.stderr"
  done
done
for f in contracts_samples/* tests/fixtures/docx/*.docx; do
  name=$(basename "$f")
  for mode in "" --json --outline; do
    "$bin" extract $mode "$f" >"$out/extract.$name$mode" 2>&1
  done
done
"$bin" rules list --pack all >"$out/rules.list"
"$bin" rules list --pack all --format json >"$out/rules.list.json"
"$bin" rules test >"$out/rules.test" 2>&1
