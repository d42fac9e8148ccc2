#!/bin/sh
# Seeds the corpora from the repository's fixtures (when missing), then runs
# every target for $1 seconds (default 600), one after another; logs in logs/.
set -u
cd "$(dirname "$0")"
mkdir -p logs corpus/pdf corpus/docx corpus/rule_file corpus/quantity corpus/condition corpus/outline
if [ -z "$(ls corpus/pdf)" ]; then
  cp ../contracts_samples/*.pdf ../tests/fixtures/corrupt/*.pdf corpus/pdf/
  cp ../contracts_samples/*.docx ../tests/fixtures/docx/*.docx corpus/docx/
  cp ../rules/*/*.yaml ../tests/fixtures/rule_errors/*.yaml corpus/rule_file/ 2>/dev/null
  for f in ../contracts_samples/*.txt; do
    split -b 2000 "$f" "corpus/quantity/$(basename "$f" .txt)_"
    split -b 2000 "$f" "corpus/outline/$(basename "$f" .txt)_"
  done
  i=0
  for c in "duration > 12 months" "year < as_of.year - 1" "percent < 100 and not mismatch" \
           "days >= 5 && amount != 3 || duration * 2 > 1 year"; do
    printf '%s' "$c" > "corpus/condition/c$i"; i=$((i + 1))
  done
fi
for t in pdf docx rule_file quantity condition outline; do
  RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="${1:-600}" -rss_limit_mb=2048 -timeout=30 > "logs/$t.log" 2>&1
  echo "$t exit $?" >> logs/summary.txt
done
