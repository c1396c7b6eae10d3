#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# The command line itself (SPEC §9): help and version, usage errors (exit 2), global options anywhere
# on the line and in --opt=value form, $FUNNEL_DB and $FUNNEL_USER as defaults, --as attribution,
# a bad --now, and every command's --help.
. "$(dirname "$0")/lib.sh"

step 'version and help'
expect_ok "$FUNNEL" --version
expect_stdout_matches '^funnel [0-9]+\.[0-9]+\.[0-9]+$'
expect_ok "$FUNNEL" --help
expect_stdout_contains 'usage: funnel [global options] NOUN VERB [options]'
save help.txt
expect_ok "$FUNNEL" help
expect_same_file 'funnel help and funnel --help' "$TMP/help.txt" "$TMP/stdout"
# every line of the command overview is one indented line: "  noun verb   sentence"
sed -n '/^Commands:$/,/^$/p' "$TMP/help.txt" | sed '1d;$d' >"$TMP/overview.txt"
n_cmds=$(wc -l <"$TMP/overview.txt")
expect_int 'commands in the overview' -ge 20 "$n_cmds"
bad=$(grep -v '^  [a-z]' "$TMP/overview.txt" || true)
expect_eq 'overview lines not starting with two spaces and a command' '' "$bad"

step "every command's --help exits 0 and shows its usage"
sed 's/^  \([a-z]*\)\( [a-z]*\)\{0,1\}  .*/\1\2/' "$TMP/overview.txt" | sed 's/ *$//' >"$TMP/commands.txt"
while IFS= read -r cmd; do
	# shellcheck disable=SC2086 # "noun verb" are two words
	expect_ok "$FUNNEL" $cmd --help
	expect_stdout_contains "usage: funnel $cmd"
	expect_stdout_contains 'Global options'
done <"$TMP/commands.txt"
expect_ok "$FUNNEL" lead --help
expect_stdout_contains 'funnel lead add'
expect_stdout_contains 'funnel lead move'

step 'usage errors exit 2 with one line on stderr'
run "$FUNNEL"
expect_eq 'exit of funnel without arguments' 2 "$T_RC"
expect_stderr_contains 'usage: funnel'
expect_usage "unknown command 'frobnicate'" "$FUNNEL" frobnicate
expect_usage "unknown command 'lead frobnicate' (see 'funnel lead --help')" "$FUNNEL" lead frobnicate
expect_usage "missing arguments ID NUM (see 'funnel needs remove --help')" "$FUNNEL" needs remove
expect_usage "missing argument NUM (see 'funnel needs remove --help')" "$FUNNEL" needs remove 5
expect_usage '--db needs a value' "$FUNNEL" stage list --db
expect_usage "'xx'" "$FUNNEL" --lang xx stage list
run "$FUNNEL" lead
expect_eq 'exit of funnel lead' 2 "$T_RC"
expect_stderr_contains 'funnel lead add'

step 'global options anywhere on the line, and --opt=value'
expect_ok f init
expect_ok f user add li --name 李娜 --role sales
expect_ok "$FUNNEL" stage --db "$TMP/t.db" list --json
expect_json '.stages | length' 6
expect_ok "$FUNNEL" --db="$TMP/t.db" --now="$NOW" --lang=en stage list
expect_stdout_contains 'Lead acquisition'
expect_ok "$FUNNEL" lead add --company '珠海横琴科技有限公司' --db "$TMP/t.db" --contact '梁' --json --channel sem \
	--now 2026-11-20T08:00:00+08:00 --phone 13912340001
expect_json '.captured_at' '2026-11-20T08:00:00+08:00'
getj id '.id'

step 'FUNNEL_DB and FUNNEL_USER are the defaults; --db and --as win'
# in_tmp CMD...: run CMD in $TMP (where a default ./funnel.db would be)
in_tmp() {
	(cd "$TMP" && "$@")
}
expect_ok in_tmp env FUNNEL_DB="$TMP/t.db" "$FUNNEL" lead show "$id" --json
expect_json '.company' '珠海横琴科技有限公司'
expect_ok f --as li lead score "$id" --budget 3 --need 3 --decision 3 --urgency 3
run env FUNNEL_DB="$TMP/none.db" FUNNEL_USER=li "$FUNNEL" --db "$TMP/t.db" --now "$NOW" lead move "$id" --to discover
expect_eq 'exit of lead move with FUNNEL_USER=li' 0 "$T_RC"
ready_for "$id" propose
run env FUNNEL_USER=li "$FUNNEL" --db "$TMP/t.db" --now "$NOW" --as admin lead move "$id" --to propose
expect_eq 'exit of lead move with FUNNEL_USER=li --as admin' 0 "$T_RC"
[ ! -e "$TMP/none.db" ] || fail "no $TMP/none.db" 'it was created'
pass
expect_ok f lead show "$id" --json
expect_json '[.stage_events[] | .kind + ":" + .user] | join(",")' 'capture:admin,forward:li,forward:li,forward:admin'
expect_error 'nobody' env FUNNEL_USER=nobody "$FUNNEL" --db "$TMP/t.db" lead list
expect_error "no database at 'funnel.db'" in_tmp "$FUNNEL" lead list
[ ! -e "$TMP/funnel.db" ] || fail "no $TMP/funnel.db" 'it was created'
pass

step 'a deactivated user cannot act'
expect_ok f user edit li --active no
expect_error 'deactivated' f --as li lead list
expect_ok f user edit li --active yes

step 'a bad --now exits 1 naming now'
expect_error 'now' "$FUNNEL" --db "$TMP/t.db" --now yesterday lead list
expect_error 'now' "$FUNNEL" --db "$TMP/t.db" --now 2026-02-30 lead list
expect_ok "$FUNNEL" --db "$TMP/t.db" --now 2026-11-27 lead show "$id" --json
expect_ok "$FUNNEL" --db "$TMP/t.db" --now 2026-11-27T02:00:00Z lead add --company '时区样例有限公司' \
	--contact '时' --channel sem --phone 13912340002 --json
expect_json '.captured_at' '2026-11-27T10:00:00+08:00'
expect_ok "$FUNNEL" --db "$TMP/t.db" --now '2026-11-29 10:00' lead add --company '空格时间有限公司' \
	--contact '空' --channel sem --phone 13912340003 --json
expect_json '.captured_at' '2026-11-29T10:00:00+08:00'

step 'errors go to stderr even with --json'
expect_error 'no lead 999' f --json lead show 999
expect_usage 'id' f lead show 0

finish
