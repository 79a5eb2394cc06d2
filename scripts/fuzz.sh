#!/usr/bin/env bash
# Fuzzes Ployer's parsers of outside input (the ployer-input crate) with cargo-fuzz: each
# target in fuzz/fuzz_targets for SECONDS seconds (default 5), starting from the seeds in
# fuzz/seeds/<target>. New corpus entries go to a temporary directory, so a run leaves the
# checkout as it was; a crash stops the script with the input saved under fuzz/artifacts/.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   scripts/fuzz.sh            every target for 5 s (what scripts/test.sh runs)
#   scripts/fuzz.sh 600 dotenv one target for ten minutes
#
# Needs a nightly toolchain and cargo-fuzz (scripts/setup.sh --with-test-fixtures installs
# both). The targets build without a sanitizer: ployer-input forbids unsafe code, so what a
# fuzzer finds there is a panic, an overflow (debug assertions are on) or a broken property,
# and an address-sanitised build would cost minutes more on every CI run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-5}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2; }
shift $(($# > 0 ? 1 : 0))
toolchain=${PLOYER_FUZZ_TOOLCHAIN:-nightly}
fuzz=(cargo "+$toolchain" fuzz)

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <("${fuzz[@]}" list)
fi

started=$SECONDS
"${fuzz[@]}" build --sanitizer none
printf 'fuzz: built %d targets in %d s\n' "${#targets[@]}" $((SECONDS - started))

corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
for target in "${targets[@]}"; do
  mkdir -p "$corpus/$target"
  seeds=()
  [ -d "fuzz/seeds/$target" ] && seeds=("fuzz/seeds/$target")
  printf 'fuzz: %s for %d s\n' "$target" "$seconds"
  # The first corpus directory is where libFuzzer writes what it finds: the temporary one.
  # -rss_limit_mb: the targets hold a few inputs at a time; a leak shows long before this.
  "${fuzz[@]}" run --sanitizer none "$target" "$corpus/$target" "${seeds[@]}" -- \
    -max_total_time="$seconds" -rss_limit_mb=1024 -print_final_stats=1 2>"$corpus/$target.log" \
    || { tail -n 40 "$corpus/$target.log" >&2; echo "fuzz: $target failed; the input is in fuzz/artifacts/$target/" >&2; exit 1; }
  grep -E '^stat::number_of_executed_units' "$corpus/$target.log" | sed "s/^/fuzz: $target: /" || true
done
printf 'fuzz: %d targets, %d s in all\n' "${#targets[@]}" $((SECONDS - started))
