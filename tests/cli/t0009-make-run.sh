#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# `make run`, the README's first command: on a directory without a database it creates a demo
# database, prints a sales consultant's work queue and the stage table; run again, it reuses the
# database. Uses the build directory of $FUNNEL (build/src/funnel -> build), so nothing is rebuilt.
. "$(dirname "$0")/lib.sh"

if ! command -v make >/dev/null 2>&1; then
	skip 'make is not installed'
fi
if [ -z "${FUNNEL_SRC:-}" ] || [ ! -f "$FUNNEL_SRC/Makefile" ]; then
	fail 'FUNNEL_SRC set to the source tree (with its Makefile)' "'${FUNNEL_SRC:-}'"
fi
BUILD_DIR=$(cd "$(dirname "$FUNNEL")/.." && pwd)
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
	fail "a CMake build directory two levels above FUNNEL ($FUNNEL)" "no $BUILD_DIR/CMakeCache.txt"
fi
# run from ctest under `make test`: this make is not a sub-make of that one
unset MAKEFLAGS MFLAGS MAKELEVEL

DB=$TMP/run/funnel.db
mkdir "$TMP/run"
make_run() {
	make -C "$FUNNEL_SRC" run BUILD="$BUILD_DIR" DB="$DB"
}
fdb() {
	"$FUNNEL" --db "$DB" "$@"
}

step 'make run on an empty directory creates a demo database'
run make_run
[ "$T_RC" -eq 0 ] || fail 'make run exit 0' "exit $T_RC"
pass
[ -s "$DB" ] || fail "a database at $DB" 'none'
pass
save run1.out
expect_stdout_contains "created $DB (admin user: admin)"
expect_stdout_matches '^demo: [0-9]+ users, [0-9]+ leads'

step 'it printed the work queue of zhangwei as a table'
expect_stdout_contains '== work queue of zhangwei'
expect_stdout_matches '^id +company +contact +grade +stage +action +due +time left$'
expect_stdout_matches '^[0-9]+ +.+ +[ABC] +.+(overdue [0-9]|left$)'
expect_stdout_matches '^[0-9]+ leads need an action, [0-9]+ overdue$'

step 'and the stage table'
expect_stdout_contains '== funnel stages'
expect_stdout_matches '^# +key +stage +probability +leads here +reached +of first$'
expect_stdout_matches '^1 +acquire +潜在客户获取 +5% +[0-9]+ +[0-9]+ +100\.0%$'
expect_stdout_matches '^6 +won +成交转化与售后 +100% +[0-9]+ +[0-9]+ +[0-9.]+%$'
# the stage table comes after the queue
q_line=$(grep -n '== work queue of' "$TMP/stdout" | cut -d: -f1)
s_line=$(grep -n '== funnel stages' "$TMP/stdout" | cut -d: -f1)
expect_int 'line of the stage table' -gt "$q_line" "$s_line"

step 'the database is the demo: the team and several hundred leads'
expect_ok fdb user list --json
expect_json '[.users[] | select(.role == "sales")] | length' 4
expect_ok fdb lead list --limit 0 --status all --json
getj n_leads '.leads | length'
expect_int 'leads in the demo' -ge 300 "$n_leads"

step 'a second make run reuses the database'
expect_ok fdb lead add --company '只在这个库里有限公司' --contact '标记' --channel sem --phone 13912340001 --json
getj marker '.id'
snapshot_db() {
	db_dump "$DB" >"$TMP/$1"
}
snapshot_db before.dump
run make_run
[ "$T_RC" -eq 0 ] || fail 'second make run exit 0' "exit $T_RC"
pass
expect_stdout_not_contains 'created '
expect_stdout_contains '== work queue of zhangwei'
expect_stdout_contains '== funnel stages'
snapshot_db after.dump
expect_same_file 'database content after the second make run' "$TMP/before.dump" "$TMP/after.dump"
expect_ok fdb lead list --limit 0 --status all --json
expect_json '.leads | length' $((n_leads + 1))
expect_ok fdb lead show "$marker" --json
expect_json '.company' '只在这个库里有限公司'

finish
