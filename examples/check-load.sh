#!/bin/bash
# Loads every compiled example into the running kernel with `bpftool prog loadall` (libbpf) and checks the
# verdict the catalog promises (see README.md):
#   <out>/*.o                 must load
#   <out>/rejected/*.o        must be refused by the verifier, with the message named in the source's
#                             "// Verifier says: ..." line (rejected/<name>.c beside this script)
#   <out>/toolchains/*.o      *.v4.o, *.v4-nobtf.o load; *.bpfeb.o are refused by libbpf on a little-endian
#                             host (and must load on a big-endian one); objects with a .maps section but no .BTF
#                             are refused ("BTF is required"); legacy_maps.o is refused by libbpf >= 1.0.
# Nothing is attached. Programs are pinned under a private bpffs directory, then unpinned; the script checks that
# every program it loaded is gone from the kernel afterwards, and cleans up on any exit (trap).
#
# Usage: check-load.sh [OUT_DIR]   (default: target/bpf beside this script). Needs root, bpftool, llvm-objdump.
# Exit status: 0 when every object behaved as expected, 1 otherwise, 2 on usage/environment errors.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/target/bpf}
BPFTOOL=${BPFTOOL:-bpftool}
OBJDUMP=${OBJDUMP:-llvm-objdump}

die() { echo "check-load: $*" >&2; exit 2; }
[ -d "$OUT" ] || die "no such directory: $OUT (build first: make -C $HERE OUT=...)"
command -v "$BPFTOOL" >/dev/null || die "bpftool not found"
command -v "$OBJDUMP" >/dev/null || die "$OBJDUMP not found"
[ "$(id -u)" = 0 ] || die "must run as root (loading BPF programs needs CAP_BPF/CAP_SYS_ADMIN)"

# Pin root: /sys/fs/bpf when a bpffs is mounted there, else a private bpffs mounted just for this run.
PRIVATE_MNT=
if [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ]; then
	PIN_ROOT=/sys/fs/bpf/bst-ex-$$
else
	PRIVATE_MNT=$(mktemp -d /tmp/bst-ex-bpffs.XXXXXX) || die "mktemp failed"
	mount -t bpf bst-ex "$PRIVATE_MNT" || { rmdir "$PRIVATE_MNT"; die "cannot mount a bpffs"; }
	PIN_ROOT=$PRIVATE_MNT/bst-ex-$$
fi
LOG=$(mktemp /tmp/bst-ex-log.XXXXXX) || die "mktemp failed"
LOADED_IDS=()

cleanup() {
	rm -rf "$PIN_ROOT"
	if [ -n "$PRIVATE_MNT" ]; then
		umount "$PRIVATE_MNT" && rmdir "$PRIVATE_MNT"
	fi
	rm -f "$LOG"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

FAILURES=0
pass() { printf 'PASS  %-40s %s\n' "$1" "$2"; }
fail() { printf 'FAIL  %-40s %s\n' "$1" "$2"; FAILURES=$((FAILURES + 1)); }

# Loads $1 into $PIN_ROOT/p; leaves bpftool's output in $LOG. Records the ids of the loaded programs, then unpins.
load() {
	rm -rf "$PIN_ROOT/p"
	mkdir -p "$PIN_ROOT"
	"$BPFTOOL" prog loadall "$1" "$PIN_ROOT/p" >"$LOG" 2>&1
	local rc=$?
	PROGS=
	if [ $rc -eq 0 ]; then
		local pin id
		for pin in "$PIN_ROOT"/p/*; do
			[ -e "$pin" ] || continue
			PROGS="$PROGS $(basename "$pin")"
			id=$("$BPFTOOL" prog show pinned "$pin" 2>/dev/null | sed -n 's/^\([0-9][0-9]*\):.*/\1/p')
			[ -n "$id" ] && LOADED_IDS+=("$id")
		done
	fi
	rm -rf "$PIN_ROOT/p"
	return $rc
}

# The gist of a failed load: libbpf's complaint and the verifier's last word before the end of its log.
why() {
	{ grep -m1 -E '^libbpf: .*(failed|error|not supported|missing|mismatch)' "$LOG"
	  grep -B1 -m1 -E '^processed [0-9]+ insns' "$LOG" | head -1; } | tr '\n' ' '
}

has_section() { "$OBJDUMP" -h "$1" 2>/dev/null | awk '{print $2}' | grep -qx -- "$2"; }
little_endian_host() { [ "$(printf '\001\000' | od -An -tu2 | tr -d ' ')" = 1 ]; }

expect_load() {
	local obj=$1 name=$2
	if load "$obj"; then
		pass "$name" "loaded:$PROGS"
	else
		fail "$name" "expected to load; bpftool said: $(why)"
	fi
}

# $3: extended regex that bpftool's output must contain
expect_refusal() {
	local obj=$1 name=$2 pattern=$3 what=$4
	if load "$obj"; then
		fail "$name" "expected $what, but it loaded:$PROGS"
	elif grep -qE -- "$pattern" "$LOG"; then
		pass "$name" "$what: $(grep -m1 -oE -- "$pattern" "$LOG")"
	else
		fail "$name" "refused, but not with /$pattern/: $(why)"
	fi
}

shopt -s nullglob
objects=("$OUT"/*.o)
[ ${#objects[@]} -gt 0 ] || die "no objects in $OUT"

for obj in "${objects[@]}"; do
	expect_load "$obj" "$(basename "$obj")"
done

for obj in "$OUT"/rejected/*.o; do
	base=$(basename "$obj" .o)
	src=$HERE/rejected/$base.c
	says=
	[ -f "$src" ] && says=$(sed -n 's|^// Verifier says: "\(.*\)"$|\1|p' "$src" | head -1)
	if [ -z "$says" ]; then
		fail "rejected/$base.o" "no '// Verifier says: \"...\"' line in $src"
		continue
	fi
	# A verifier refusal, not a libbpf one: the kernel's log must be there, with the expected message.
	pattern=$(printf '%s' "$says" | sed 's/[][\.*^$()+?{}|]/\\&/g')
	if load "$obj"; then
		fail "rejected/$base.o" "expected a verifier refusal, but it loaded:$PROGS"
	elif ! grep -q -- '-- BEGIN PROG LOAD LOG --' "$LOG"; then
		fail "rejected/$base.o" "refused before reaching the verifier: $(why)"
	elif grep -qE -- "$pattern" "$LOG"; then
		pass "rejected/$base.o" "verifier refused: $says"
	else
		fail "rejected/$base.o" "verifier refused, but without \"$says\": $(why)"
	fi
done

for obj in "$OUT"/toolchains/*.o; do
	name=toolchains/$(basename "$obj")
	case "$obj" in
	*/legacy_maps.o)
		expect_refusal "$obj" "$name" "legacy map definitions in 'maps' section are not supported" \
			"refused by libbpf >= 1.0 (legacy layout)" ;;
	*.bpfeb.o)
		if little_endian_host; then
			expect_refusal "$obj" "$name" "endianness mismatch" "refused by libbpf (big-endian object, little-endian host)"
		else
			expect_load "$obj" "$name"
		fi ;;
	*)
		if has_section "$obj" .maps && ! has_section "$obj" .BTF; then
			expect_refusal "$obj" "$name" "BTF is required" "refused by libbpf (.maps without BTF)"
		else
			expect_load "$obj" "$name"
		fi ;;
	esac
done

# Every program loaded above must be gone once its pins are removed (freeing is deferred: allow a moment).
left=()
for attempt in 1 2 3 4 5 6 7 8 9 10; do
	left=()
	for id in "${LOADED_IDS[@]}"; do
		"$BPFTOOL" prog show id "$id" >/dev/null 2>&1 && left+=("$id")
	done
	[ ${#left[@]} -eq 0 ] && break
	sleep 0.5
done
if [ ${#left[@]} -gt 0 ]; then
	fail "cleanup" "programs still loaded after unpinning: ids ${left[*]}"
else
	pass "cleanup" "all ${#LOADED_IDS[@]} loaded programs released"
fi

echo "check-load: $FAILURES failure(s)"
[ $FAILURES -eq 0 ]
