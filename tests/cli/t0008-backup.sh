#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# funnel backup FILE (SPEC §10): a consistent copy that funnel opens with the same leads and the
# same content; the source is not changed; an existing FILE (even empty) is refused and kept.
. "$(dirname "$0")/lib.sh"

step 'a database with some history'
expect_ok f init --demo --seed 3
expect_ok f lead add --company '合肥科大讯联有限公司' --contact '方' --channel sem --phone 13912340001 --json
getj id '.id'
expect_ok f lead score "$id" --budget 4 --need 4 --decision 4 --urgency 4
expect_ok f lead list --limit 0 --status all --json
save leads.src
getj n_leads '.leads | length'
expect_int 'leads in the source' -gt 100 "$n_leads"
snapshot src

step 'backup FILE writes a database that funnel opens, with the same leads'
expect_ok f backup "$TMP/copy.db"
expect_stdout_contains "backup written to $TMP/copy.db"
expect_eq 'the backup is readable by its owner only (it holds contact data)' 600 "$(stat -c %a "$TMP/copy.db")"
[ -s "$TMP/copy.db" ] || fail "a non-empty $TMP/copy.db" 'none'
pass
copy() {
	"$FUNNEL" --db "$TMP/copy.db" --now "$NOW" "$@"
}
expect_ok copy lead list --limit 0 --status all --json
expect_same_file 'lead list of the backup' "$TMP/leads.src" "$TMP/stdout"
expect_ok copy lead show "$id" --json
expect_json '.grade + " " + .company' 'A 合肥科大讯联有限公司'
expect_ok copy user list --json
expect_json '[.users[].login] | index("zhangwei") != null' true

step 'the backup has the same content, and the source is unchanged'
db_dump "$TMP/copy.db" >"$TMP/copy.dump"
expect_same_file 'SQL dump of the backup and of the source' "$TMP/src.dump" "$TMP/copy.dump"
expect_unchanged src
run sqlite3 "$TMP/copy.db" 'PRAGMA integrity_check;'
expect_eq 'integrity_check of the backup' ok "$(cat "$TMP/stdout")"

step 'the backup is independent of the source'
expect_ok copy lead move "$id" --to discover
expect_ok f lead show "$id" --json
expect_json '.stage' qualify
expect_ok copy lead show "$id" --json
expect_json '.stage' discover

step 'backup --json'
expect_ok f backup "$TMP/copy2.db" --json
expect_json '.backup' "$TMP/copy2.db"

step 'backup to an existing file exits 1 and leaves the file as it was'
cp "$TMP/copy.db" "$TMP/copy.keep"
expect_error 'already exists' f backup "$TMP/copy.db"
expect_stderr_contains "$TMP/copy.db"
expect_same_file 'the existing file after a refused backup' "$TMP/copy.keep" "$TMP/copy.db"
: >"$TMP/empty.db"
expect_error 'already exists' f backup "$TMP/empty.db"
[ ! -s "$TMP/empty.db" ] || fail "$TMP/empty.db still empty" "$(wc -c <"$TMP/empty.db") bytes"
pass
expect_error 'cannot create' f backup "$TMP/no/such/dir/x.db"
expect_usage 'missing argument FILE' f backup

step 'a backup holds every lead with its contact data: only the admin makes one (SPEC §8)'
for who in wangqiang zhangwei zhaomin sunli; do
	expect_error 'cannot back up the database' f --as "$who" backup "$TMP/by-$who.db"
	[ ! -e "$TMP/by-$who.db" ] || fail "no $TMP/by-$who.db" 'a file'
	pass
done
expect_unchanged src

finish
