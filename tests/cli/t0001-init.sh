#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# funnel init: a new database with the defaults; never over an existing one; --demo is deterministic
# (same --seed and --now, same data) and has the team and the history the SPEC's §1 describes.
. "$(dirname "$0")/lib.sh"

step 'commands on a database that does not exist fail and create nothing'
expect_error "funnel init" f lead list
[ ! -e "$TMP/t.db" ] || fail "no file at $TMP/t.db" "a file was created"
pass

step 'init creates the database with the admin user and the defaults'
expect_ok f init
expect_stdout_contains "created $TMP/t.db"
[ -s "$TMP/t.db" ] || fail "a non-empty file $TMP/t.db" "none"
pass
expect_ok f user list --json
expect_json '.users | length' 1
expect_json '.users[0].login + " " + .users[0].role' 'admin admin'
expect_ok f stage list --json
expect_json '[.stages[].key] | join(",")' 'acquire,qualify,discover,propose,negotiate,won'
expect_json '[.stages[].reached] | add' 0
expect_ok f lead list --limit 0 --status all --json
expect_json '.leads | length' 0
expect_ok f channel list --json
expect_json '[.channels[].key] | join(",")' \
	'vertical_media,sem,social,website,trade_show,partner_referral,salon,customer_referral,repurchase,other'
expect_ok f reason list --json
expect_json '.reasons | length' 8

step 'a second init on the same path exits 1 and changes nothing'
cp "$TMP/t.db" "$TMP/before.db"
expect_error 'already exists' f init
expect_same_file 'the database file after a refused init' "$TMP/before.db" "$TMP/t.db"
expect_error 'already exists' f init --demo
expect_same_file 'the database file after a refused init --demo' "$TMP/before.db" "$TMP/t.db"

step 'init --seed without --demo is a usage error'
expect_usage 'seed' "$FUNNEL" --db "$TMP/seed.db" --now "$NOW" init --seed 3
[ ! -e "$TMP/seed.db" ] || fail "no file at $TMP/seed.db" "a file was created"
pass

step 'init --demo --seed 7 twice gives the same data'
DEMO_NOW=2026-11-27T10:00:00+08:00
demo() { # demo NAME CMD...: run a funnel command on demo database NAME
	d_name=$1
	shift
	"$FUNNEL" --db "$TMP/$d_name.db" --now "$DEMO_NOW" "$@"
}
expect_ok demo d1 init --demo --seed 7 --json
expect_json '.demo' true
getj n_leads '.stats.leads'
expect_int 'demo leads' -ge 300 "$n_leads"
expect_int 'demo leads' -le 1000 "$n_leads"
getj n_won '.stats.won'
expect_int 'demo won' -gt 0 "$n_won"
getj n_lost '.stats.lost'
expect_int 'demo lost' -gt 0 "$n_lost"
getj n_invalid '.stats.invalid'
expect_int 'demo invalid' -gt 0 "$n_invalid"
save d1.init
expect_ok demo d2 init --demo --seed 7 --json
expect_json '.db' "$TMP/d2.db"
# the stats say the same apart from the path
jq 'del(.db)' "$TMP/d1.init" >"$TMP/d1.stats"
jq 'del(.db)' "$TMP/stdout" >"$TMP/d2.stats"
expect_same_file 'init --json stats of the two demos' "$TMP/d1.stats" "$TMP/d2.stats"
for what in 'lead list --limit 0 --json' 'lead list --limit 0 --status all --json' 'stage list --json' \
	'user list --json' "queue --owner zhangwei --json" 'audit --limit 0 --json'; do
	# shellcheck disable=SC2086 # the words of $what are the command
	expect_ok demo d1 $what
	save d1.out
	# shellcheck disable=SC2086
	expect_ok demo d2 $what
	save d2.out
	expect_same_file "funnel $what on the two demos" "$TMP/d1.out" "$TMP/d2.out"
done
db_dump "$TMP/d1.db" >"$TMP/d1.sql"
db_dump "$TMP/d2.db" >"$TMP/d2.sql"
expect_same_file 'SQL dump of the two demos' "$TMP/d1.sql" "$TMP/d2.sql"

step 'another seed gives other data'
expect_ok demo d3 init --demo --seed 8
expect_ok demo d3 lead list --limit 0 --status all --json
save d3.out
expect_ok demo d1 lead list --limit 0 --status all --json
cmp -s "$TMP/stdout" "$TMP/d3.out" && fail 'seed 8 data different from seed 7' 'the same lead list'
pass

step 'the demo counts agree with the lead list'
expect_ok demo d1 lead list --limit 0 --status all --json
expect_json '.leads | length' "$n_leads"
expect_json '[.leads[] | select(.status == "won")] | length' "$n_won"
expect_json '[.leads[] | select(.status == "lost")] | length' "$n_lost"
expect_json '[.leads[] | select(.status == "invalid")] | length' "$n_invalid"
expect_json '[.leads[] | select(.status == "lost" and .lost_reason == null)] | length' 0
expect_json '[.leads[] | select(.status == "invalid" and .invalid_reason == null)] | length' 0
expect_json '[.leads[] | select(.captured_at > "2026-11-27T10:00:00+08:00")] | length' 0
# the default list leaves out invalid and merged leads
expect_ok demo d1 lead list --limit 0 --json
expect_json '[.leads[] | select(.status == "invalid" or .status == "merged")] | length' 0
getj n_listed '.leads | length'
expect_int 'leads in the default list' -lt "$n_leads" "$n_listed"
expect_ok demo d1 stage list --json
expect_json '.stages[5].reached' "$n_won"
expect_json '.stages[0].reached' "$n_listed"

step 'the demo team: a manager, four sales consultants, marketing and after-sales'
expect_ok demo d1 user list --json
expect_json '[.users[] | select(.role == "admin")] | length' 1
expect_json '[.users[] | select(.role == "manager")] | length' 1
expect_json '[.users[] | select(.role == "sales")] | length' 4
expect_json '[.users[] | select(.role == "marketing")] | length' 1
expect_json '[.users[] | select(.role == "aftersales")] | length' 1
expect_json '[.users[] | select(.login == "zhangwei")][0].role' sales
expect_json '[.users[] | select(.active | not)] | length' 0

step "a sales consultant's queue has overdue items first"
expect_ok demo d1 queue --as zhangwei --json
getj n_queue '.queue | length'
getj n_overdue '[.queue[] | select(.overdue)] | length'
expect_int 'overdue items in the queue of zhangwei' -ge 1 "$n_overdue"
expect_int 'items in the queue of zhangwei' -gt "$n_overdue" "$n_queue"
expect_json '.queue[0].overdue' true
expect_json '.queue[0].seconds_left < 0' true
# overdue first, then the rest: no overdue item after a pending one
expect_json '[.queue[].overdue] | . == (sort | reverse)' true
# due times ascending within the overdue ones
expect_json '[.queue[] | select(.overdue) | .due_at] | . == sort' true
expect_ok demo d1 queue --as zhangwei
expect_stdout_contains 'overdue'
expect_stdout_contains "$n_queue leads need an action, $n_overdue overdue"

step "the queue belongs to its owner"
expect_ok demo d1 lead list --limit 0 --owner zhangwei --json
jq '[.leads[].id]' "$TMP/stdout" >"$TMP/own.ids"
expect_ok demo d1 queue --as zhangwei --json
expect_json "[.queue[].id] - $(jq -c . "$TMP/own.ids") | length" 0

finish
