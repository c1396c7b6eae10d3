# tests/cli/lib.sh - shared helpers of the CLI scenario scripts (sourced, POSIX sh).
#
# A script does:
#     . "$(dirname "$0")/lib.sh"
#     step 'what is being tried'
#     expect_ok f init
#     expect_exit 1 f init
#     expect_json '.status' open
#     ...
#     finish
#
# Environment (set by CTest): FUNNEL = the built binary, FUNNEL_SRC = the source tree,
# FUNNEL_TEST_DATA = tests/data. NOW may be set before sourcing to change the default clock.
#
# The helpers: f (funnel on $TMP/t.db at $NOW), step, run; checks expect_ok, expect_exit N,
# expect_error WORD, expect_usage WORD (exit 1 / 2 with one line on stderr naming WORD),
# expect_stdout_contains, expect_stdout_not_contains, expect_stdout_matches, expect_stderr_contains,
# expect_json FILTER VALUE, expect_eq, expect_ne, expect_int, expect_same_file; getj VAR FILTER
# (jq on the last stdout); save; snapshot NAME / expect_unchanged NAME (the database's SQL dump);
# db_dump; ready_for ID STAGE (satisfy the stage gates with the sale commands); skip REASON; finish.
#
# Each expect_* is one check. The first failing check prints which script, which step, the command,
# what was expected and what came out, and exits 1. A script that ends without calling finish fails
# too, so a script cut short by a typo cannot pass.

if [ -z "${FUNNEL:-}" ]; then
	echo "FAIL ${0##*/}: FUNNEL is not set (run through ctest, or FUNNEL=build/src/funnel sh $0)" >&2
	exit 1
fi
case $FUNNEL in
/*) ;;
*) FUNNEL=$(pwd)/$FUNNEL ;;
esac
if [ ! -x "$FUNNEL" ]; then
	echo "FAIL ${0##*/}: FUNNEL='$FUNNEL' is not an executable" >&2
	exit 1
fi
if ! command -v jq >/dev/null 2>&1; then
	echo "FAIL ${0##*/}: jq is required (scripts/install-deps installs it)" >&2
	exit 1
fi

: "${NOW:=2026-11-27T10:00:00+08:00}"
T_NAME=${0##*/}
T_CHECKS=0
T_STEP='(setup)'
T_DONE=0
T_CMD=''
T_RC=0

TMP=$(mktemp -d "${TMPDIR:-/tmp}/funnel-cli.XXXXXX") || {
	echo "FAIL $T_NAME: cannot create a temporary directory" >&2
	exit 1
}
t_cleanup() {
	t_rc=$?
	rm -rf "$TMP"
	if [ "$t_rc" -eq 0 ] && [ "$T_DONE" -ne 1 ]; then
		echo "FAIL $T_NAME: the script ended after $T_CHECKS checks without reaching 'finish' (last step: $T_STEP)" >&2
		exit 1
	fi
	exit "$t_rc"
}
trap t_cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

# Nothing from the caller's environment may pick the database or the user.
unset FUNNEL_DB FUNNEL_USER
export LC_ALL=C.UTF-8

# The funnel binary on the test database with the test clock.
f() {
	"$FUNNEL" --db "$TMP/t.db" --now "$NOW" "$@"
}

# Name what the following checks are about; it is printed when one fails.
step() {
	T_STEP=$*
}

# ---- failing ----

t_show_file() {
	if [ -s "$2" ]; then
		echo "  $1:"
		head -n 25 "$2" | sed 's/^/    | /'
		t_lines=$(wc -l <"$2")
		[ "$t_lines" -gt 25 ] && echo "    | ... ($t_lines lines)"
	else
		echo "  $1: (empty)"
	fi
	return 0
}

# fail EXPECTED GOT: report the current check and stop the script.
fail() {
	{
		echo "FAIL $T_NAME, check $((T_CHECKS + 1)), step: $T_STEP"
		[ -n "$T_CMD" ] && echo "  command:  $T_CMD (exit $T_RC)"
		echo "  expected: $1"
		echo "  got:      $2"
		if [ -n "$T_CMD" ]; then
			t_show_file stdout "$TMP/stdout"
			t_show_file stderr "$TMP/stderr"
		fi
	} >&2
	exit 1
}

pass() {
	T_CHECKS=$((T_CHECKS + 1))
}

# ---- running commands ----

# run CMD...: run a command, keeping its stdout, stderr and exit status for the checks that follow
# ($TMP/stdout, $TMP/stderr, $T_RC). Makes no check itself.
run() {
	T_CMD=$*
	T_CMD=${T_CMD#"$FUNNEL "}
	"$@" >"$TMP/stdout" 2>"$TMP/stderr"
	T_RC=$?
	return 0
}

# expect_ok CMD...: the command exits 0 and writes nothing on stderr.
expect_ok() {
	run "$@"
	[ "$T_RC" -eq 0 ] || fail "exit 0" "exit $T_RC"
	[ ! -s "$TMP/stderr" ] || fail "nothing on stderr" "$(head -n 3 "$TMP/stderr")"
	pass
}

# expect_exit N CMD...: the command exits N; for 1 and 2, with exactly one line on stderr and
# nothing on stdout.
expect_exit() {
	t_want=$1
	shift
	run "$@"
	[ "$T_RC" -eq "$t_want" ] || fail "exit $t_want" "exit $T_RC"
	if [ "$t_want" -eq 1 ] || [ "$t_want" -eq 2 ]; then
		t_n=$(wc -l <"$TMP/stderr")
		[ "$t_n" -eq 1 ] || fail "exactly one line on stderr" "$t_n lines"
		[ ! -s "$TMP/stdout" ] || fail "nothing on stdout" "$(head -n 3 "$TMP/stdout")"
	fi
	pass
}

# expect_error WORD CMD...: the command exits 1 with one line on stderr that contains WORD (the
# field or the problem it names).
expect_error() {
	t_word=$1
	shift
	expect_exit 1 "$@"
	grep -qF -- "$t_word" "$TMP/stderr" || fail "stderr mentioning '$t_word'" "$(cat "$TMP/stderr")"
	pass
}

# expect_usage WORD CMD...: the same for a usage error (exit 2).
expect_usage() {
	t_word=$1
	shift
	expect_exit 2 "$@"
	grep -qF -- "$t_word" "$TMP/stderr" || fail "stderr mentioning '$t_word'" "$(cat "$TMP/stderr")"
	pass
}

# ---- checking the output of the last command ----

expect_stdout_contains() {
	grep -qF -- "$1" "$TMP/stdout" || fail "stdout containing '$1'" "no such text"
	pass
}

expect_stdout_not_contains() {
	! grep -qF -- "$1" "$TMP/stdout" || fail "stdout without '$1'" "$(grep -F -- "$1" "$TMP/stdout" | head -n 3)"
	pass
}

expect_stderr_contains() {
	grep -qF -- "$1" "$TMP/stderr" || fail "stderr containing '$1'" "$(cat "$TMP/stderr")"
	pass
}

# expect_stdout_matches ERE: some line of stdout matches the extended regular expression.
expect_stdout_matches() {
	grep -qE -- "$1" "$TMP/stdout" || fail "a line of stdout matching /$1/" "none"
	pass
}

# getj VAR FILTER [FILE]: set VAR to jq -r FILTER applied to the last stdout (or FILE). Output that
# is not JSON, or a filter jq cannot apply, fails the check being made.
getj() {
	case $1 in
	'' | *[!A-Za-z0-9_]* | [0-9]*)
		echo "getj: bad variable name '$1'" >&2
		exit 1
		;;
	esac
	jq -r "$2" "${3:-$TMP/stdout}" >"$TMP/jq.out" 2>"$TMP/jq.err" ||
		fail "JSON to which '$2' applies" "$(head -n 2 "$TMP/jq.err")"
	eval "$1=\$(cat \"\$TMP/jq.out\")"
}

# expect_json FILTER VALUE: jq -r FILTER on the last stdout prints exactly VALUE.
expect_json() {
	t_got=
	getj t_got "$1"
	[ "$t_got" = "$2" ] || fail "$1 = '$2'" "'$t_got'"
	pass
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1 = '$2'" "'$3'"
	pass
}

# expect_ne WHAT UNWANTED ACTUAL
expect_ne() {
	[ "$2" != "$3" ] || fail "$1 other than '$2'" "'$3'"
	pass
}

# expect_int WHAT OP N ACTUAL: an integer comparison, OP one of -eq -ne -lt -le -gt -ge.
expect_int() {
	case $4 in
	'' | *[!0-9-]*) fail "$1: an integer $2 $3" "'$4'" ;;
	esac
	case $2 in
	-eq | -ne | -lt | -le | -gt | -ge) ;;
	*) fail "expect_int: an operator -eq -ne -lt -le -gt -ge" "'$2'" ;;
	esac
	test "$4" "$2" "$3" || fail "$1 $2 $3" "$4"
	pass
}

# expect_same_file WHAT A B: two files have the same content (a diff is shown when not).
expect_same_file() {
	if ! cmp -s "$2" "$3"; then
		T_CMD=''
		fail "$1: identical" "different:
$(diff -u "$2" "$3" | head -n 30)"
	fi
	pass
}

# save NAME: keep the last stdout as $TMP/NAME.
save() {
	cp "$TMP/stdout" "$TMP/$1"
}

# ---- the database ----

# db_dump [DB]: the SQL dump of a database (the test one by default) on stdout.
db_dump() {
	sqlite3 "${1:-$TMP/t.db}" .dump
}

# snapshot NAME: remember the content of the test database.
snapshot() {
	db_dump "$TMP/t.db" >"$TMP/$1.dump" || {
		T_CMD=''
		fail "a dump of $TMP/t.db" "sqlite3 failed"
	}
}

# expect_unchanged NAME: the test database has the content it had at snapshot NAME.
expect_unchanged() {
	db_dump "$TMP/t.db" >"$TMP/$1.after"
	expect_same_file "database content after a failed command (snapshot $1)" "$TMP/$1.dump" "$TMP/$1.after"
}

# ---- the sale ----

# ready_for ID STAGE [GLOBAL OPTION...]: give lead ID what the stage gates (SPEC §2) ask on its way
# to STAGE, through the sale commands, each one a check. propose: a needs list confirmed by the
# customer; negotiate: that and a solution item; won: both and the deal, which `deal close` records
# and which wins the lead (so `ready_for ID won` leaves the lead won, at the last stage). The global
# options (--as, --now) go to every command; the deal is signed on the day of --now, else of $NOW.
ready_for() {
	rf_id=$1
	rf_stage=$2
	shift 2
	case $rf_stage in
	propose | negotiate | won) ;;
	*) fail "ready_for: a stage with a gate (propose, negotiate, won)" "'$rf_stage'" ;;
	esac
	rf_day=$NOW
	rf_prev=
	for rf_a in "$@"; do
		[ "$rf_prev" = --now ] && rf_day=$rf_a
		rf_prev=$rf_a
	done
	rf_day=$(printf '%s' "$rf_day" | cut -c1-10)
	expect_ok f "$@" needs add "$rf_id" --text "lead $rf_id: what the customer needs" --priority 1 --json
	rf_num=
	getj rf_num '[.items[].num] | max'
	expect_ok f "$@" needs confirm "$rf_id" --how meeting --json
	expect_json '.confirmed' true
	[ "$rf_stage" = propose ] && return 0
	expect_ok f "$@" solution add "$rf_id" --need "$rf_num" --function "lead $rf_id: what the product does" \
		--value "lead $rf_id: what it brings" --json
	[ "$rf_stage" = negotiate ] && return 0
	expect_ok f "$@" deal close "$rf_id" --contract "HT-$rf_id" --amount 100000 --signed "$rf_day" --json
	expect_json '.status + " " + .deal.contract_no' "won HT-$rf_id"
}

# skip REASON: end the script as passed without running the rest, saying why ("skip: ...").
skip() {
	echo "skip: $T_NAME: $*"
	T_DONE=1
	exit 0
}

finish() {
	T_DONE=1
	echo "ok $T_NAME: $T_CHECKS checks"
	exit 0
}
