#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# funnel import --history (issue 5, "Moving over from another CRM"; docs/import-history.md): the real
# export of ../shared/data/crm-sales-opportunities (8,800 opportunities, nobody's fixture) imported
# completely in one run: exact counts by outcome and stage, the users and teams made, every quirk
# reported with its count; the funnel, time-in-stage and team reports over that history against
# the same figures computed independently from the CSV (sqlite3's own .import and jq); a second run
# that changes nothing; and what is refused before anything is written: a wrong --date-format, an
# ambiguous date file, an unmapped stage, unknown owners, history options without --history.
. "$(dirname "$0")/lib.sh"

DATA=$FUNNEL_SRC/../shared/data/crm-sales-opportunities
[ -d "$DATA" ] || skip "no data set at $DATA (CI clones shared/ beside the project)"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is needed for the independent figures (scripts/install-deps)"
HIST=$FUNNEL_TEST_DATA/history
MAP='Prospecting=qualify,Engaging=discover,Won=won,Lost=lost'

# The import of the worked example, with any extra options.
import_all() {
	f import --history "$DATA/sales_pipeline.csv" --stage-map "$MAP" --teams "$DATA/sales_teams.csv" \
		--accounts "$DATA/accounts.csv" --products "$DATA/products.csv" --currency USD "$@"
}

# csv_sql SQL: SQL over the pipeline file loaded as it is into table p by sqlite3's .import.
csv_sql() {
	sqlite3 -batch -noheader -csv :memory: ".import '$DATA/sales_pipeline.csv' p" "$1"
}

step "a new database in the data set's currency"
expect_ok f init
expect_ok f config set currency USD
expect_ok f user add mk --name 'Ma Ke' --role marketing

step 'refused before anything is written'
snapshot before
expect_error "engage_date: '20-10-16' on line 2 is not a date in DD-MM-YYYY" import_all --create-users \
	--date-format DD-MM-YYYY
expect_stderr_contains 'date-format'
expect_error "'XX' is not a date format" import_all --create-users --date-format XX
expect_error "'DD-MM-' is not a date format (it has fewer than three parts)" import_all --create-users --date-format DD-MM-
expect_error 'engage_date: the dates fit both DD/MM/YYYY and MM/DD/YYYY' \
	f import --history "$HIST/ambiguous.csv" --create-users
expect_stderr_contains 'give --date-format'
expect_error "the file's stages 'Engaging' (1589 rows), 'Prospecting' (500 rows) are not mapped" \
	f import --history "$DATA/sales_pipeline.csv" --create-users --currency USD
expect_error "30 owners of the file are not users ('Moses Frase', 'Darcel Schlecht', 'Zane Levy'" import_all
expect_stderr_contains 'give --create-users'
expect_error 'the file is in EUR and funnel keeps USD' f import --history "$DATA/sales_pipeline.csv" \
	--stage-map "$MAP" --create-users --currency EUR
expect_usage '--stage-map goes with --history' f import "$DATA/sales_pipeline.csv" --stage-map "$MAP"
expect_error "cannot import another CRM's history" import_all --create-users --as mk
expect_unchanged before

step 'a dry run says it all and writes nothing'
expect_ok import_all --create-users --dry-run --json
expect_json '[.created, .won, .lost, .open, .undone] | map(tostring) | join(" ")' '8800 4238 2473 2089 true'
expect_unchanged before

step "on the export's last day before noon, its dates of that day are not in the future"
n=$(csv_sql "SELECT count(*) FROM p WHERE close_date = '31-12-17'")
expect_eq 'won and lost on 31-12-17' 24 "$n"
now=$NOW
NOW=2017-12-31T09:00:00+08:00
expect_ok import_all --create-users --dry-run --json
NOW=$now
expect_json '[.created, .rejected, .as_of] | map(tostring) | join(" ")' '8800 0 2017-12-31'
expect_unchanged before

step 'an unreadable date rejects its row, not the file, detected or given'
sed -e '2s/^\(\([^,]*,\)\{6\}\)[^,]*/\131-02-17/' -e '5s/^\(\([^,]*,\)\{6\}\)[^,]*/\1n\/a/' \
	"$DATA/sales_pipeline.csv" >"$TMP/baddate.csv"
for fmt in '' DD-MM-YY; do
	set --
	[ -z "$fmt" ] || set -- --date-format "$fmt"
	run f import --history "$TMP/baddate.csv" --stage-map "$MAP" --create-users --currency USD --dry-run --json \
		--report "$TMP/baddate-report.csv" "$@"
	expect_eq "exit status (--date-format '$fmt')" 0 "$T_RC"
	getj got '[.created, .rejected, .date_format, (.quirks[] | select(.key == "bad_date") | .count)]
		| map(tostring) | join(" ")'
	expect_eq "created, rejected, format, bad_date (--date-format '$fmt')" '8798 2 DD-MM-YY 2' "$got"
	grep -qF "baddate.csv,2,rejected,close_date: '31-02-17' read as DD-MM-YY is a day that does not exist,1C1I7A6R" \
		"$TMP/baddate-report.csv" || fail 'line 2 rejected for its day' "$(grep 1C1I7A6R "$TMP/baddate-report.csv")"
	grep -qF "baddate.csv,5,rejected,close_date: 'n/a' is not a date in DD-MM-YY,MV1LWRNH" "$TMP/baddate-report.csv" ||
		fail 'line 5 rejected for its date' "$(grep MV1LWRNH "$TMP/baddate-report.csv")"
	pass
done
expect_unchanged before

step 'the import: every opportunity, in one run'
expect_ok import_all --create-users --report "$TMP/report.csv" --json
save import.json
expect_json '[.rows, .created, .won, .lost, .open, .rejected, .skipped] | map(tostring) | join(" ")' \
	'8800 8800 4238 2473 2089 0 0'
expect_json '.open_by_stage | to_entries | map("\(.key)=\(.value)") | join(" ")' 'qualify=500 discover=1589'
expect_json '.lost_by_stage | to_entries | map("\(.key)=\(.value)") | join(" ")' 'discover=2473'
expect_json '[.users_created, .managers_created, .teams_created] | map(tostring) | join(" ")' '41 6 6'
expect_json '[.date_format, (.date_detected | tostring), .as_of, .engaged_stage, .lost_at] | join(" ")' \
	'DD-MM-YY true 2017-12-31 discover discover'
expect_json '[.won_amount, .open_amount] | map(tostring) | join(" ")' '1000553400 496621500'
expect_json '.unknown_columns' ''
# every quirk of the data set, with its count
want='product_spelling=1480 sector_spelling=12 country_spelling=1 agent_without_opportunities=5'
want="$want no_account=1425 no_created_date=500 same_but_id=461 quarters_agree=15011"
expect_json '[.quirks[] | select(.key != "side_columns") | "\(.key)=\(.count)"] | join(" ")' "$want"
want="sector 'technolgy' (12 accounts, 1165 opportunities) read as 'technology': one letter from a known"
expect_json '.quirks[] | select(.key == "sector_spelling") | .message' \
	"$want industry (--keep-spelling keeps the file's spelling)"
expect_json '.quirks[] | select(.key == "product_spelling") | .message | test("GTXPro.*GTX Pro")' true
expect_json '.quirks[] | select(.key == "country_spelling") | .message | test("Philipines.*Philippines")' true

step 'the counts against the CSV itself (sqlite3 .import)'
n=$(csv_sql "SELECT count(*) FROM p WHERE deal_stage = 'Won'")
expect_eq 'won in the CSV' 4238 "$n"
n=$(csv_sql "SELECT count(*) FROM p WHERE deal_stage = 'Engaging'")
getj got '.open_by_stage.discover' "$TMP/import.json"
expect_eq 'open at discover = Engaging rows' "$n" "$got"
n=$(csv_sql "SELECT count(*) FROM p WHERE account = ''")
getj got '.quirks[] | select(.key == "no_account") | .count' "$TMP/import.json"
expect_eq 'no account' "$n" "$got"
n=$(csv_sql "SELECT count(*) FROM p WHERE product = 'GTXPro'")
getj got '.quirks[] | select(.key == "product_spelling") | .count' "$TMP/import.json"
expect_eq 'GTXPro rows' "$n" "$got"
n=$(csv_sql "SELECT sum(close_value) * 100 FROM p WHERE deal_stage = 'Won'")
getj got '.won_amount' "$TMP/import.json"
expect_eq 'won amount in cents' "$n" "$got"

step 'the report file: every line not taken as it is'
n=$(grep -c ',created,' "$TMP/report.csv")
# the rows with a note: no account, no engage date, GTXPro, or the same as another but for the id
want=$(csv_sql "SELECT count(*) FROM p WHERE account = '' OR engage_date = '' OR product = 'GTXPro'
	OR (sales_agent, product, account, deal_stage, engage_date, close_date, close_value) IN
	(SELECT sales_agent, product, account, deal_stage, engage_date, close_date, close_value FROM p
	 GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING count(*) > 1)")
expect_eq 'created rows with a note' "$want" "$n"
n=$(grep -c ',noted,' "$TMP/report.csv")
expect_eq 'noted lines: 12 technolgy, 1 Philipines, 5 agents without opportunities' 18 "$n"
n=$(grep -c ',rejected,' "$TMP/report.csv" || true)
expect_eq 'rejected lines' 0 "$n"
grep -q "sales_pipeline.csv,3,created,product 'GTXPro' read as 'GTX Pro',Z063OYW0,Isdom,2" "$TMP/report.csv" ||
	fail 'a report line for Z063OYW0 (line 3, GTXPro, lead 2)' "$(grep Z063OYW0 "$TMP/report.csv")"
pass

step 'the users: logins from the names, managers and one team each'
expect_ok f user list --json
expect_json '[.users[] | select(.login == "moses.frase") | .name, .role, .team] | join("|")' \
	'Moses Frase|sales|Central (Dustin Brinkmann)'
expect_json '[.users[] | select(.role == "manager") | .login] | sort | join(" ")' \
	'cara.losch celia.rouche dustin.brinkmann melvin.marxen rocco.neubert summer.sewald'
expect_json '[.users[] | .team | select(. != null)] | unique | length' 6
expect_json '[.users[] | select(.role == "sales")] | length' 35
expect_json '[.users[] | select(.login == "carl.lin") | .team] | join("")' 'West (Summer Sewald)'

step 'the funnel and time in stage of the imported history'
expect_ok f report funnel --json
expect_json '[.groups[0].stages[] | "\(.key)=\(.reached)/\(.lost)/\(.open)"] | join(" ")' \
	'acquire=8800/0/0 qualify=8800/0/500 discover=8300/2473/1589 propose=4238/0/0 negotiate=4238/0/0 won=4238/0/0'
expect_json '[.groups[0].won_count, .groups[0].won_amount] | map(tostring) | join(" ")' '4238 1000553400'
getj median '.groups[0].cycle_days.median'
# the same median (nearest rank) in SQL over the CSV: days from engage to close of the won deals
want=$(csv_sql "WITH w AS (SELECT julianday('20' || substr(close_date, 7, 2) || '-' || substr(close_date, 4, 2) || '-'
	|| substr(close_date, 1, 2)) - julianday('20' || substr(engage_date, 7, 2) || '-' || substr(engage_date, 4, 2)
	|| '-' || substr(engage_date, 1, 2)) AS d FROM p WHERE deal_stage = 'Won')
	SELECT CAST(d AS INTEGER) FROM w ORDER BY d LIMIT 1 OFFSET (SELECT (count(*) + 1) / 2 - 1 FROM w)")
expect_eq 'median days engage -> close of the won deals (report vs SQL over the CSV)' "$want" "$median"
expect_eq 'that median' 57 "$median"
expect_ok f report stages --json
expect_json '[.groups[0].transitions[] | "\(.from)>\(.to)=\(.count):\(.median)"] | join(" ")' \
	'acquire>qualify=8800:0 qualify>discover=8300:0 discover>propose=4238:57 propose>negotiate=4238:0 negotiate>won=4238:0'

step "the team report: each rep's wins and losses against jq over the CSV"
expect_ok f report team --json
save team.json
jq -R -s -r 'split("\n") | .[1:] | map(rtrimstr("\r") | select(length > 0) | split(",")) | group_by(.[1]) |
	map({agent: .[0][1], won: map(select(.[4] == "Won")) | length, lost: map(select(.[4] == "Lost")) | length})
	| map("\(.agent | ascii_downcase | gsub(" "; "."))=\(.won)/\(.lost)") | sort | join(" ")' \
	"$DATA/sales_pipeline.csv" >"$TMP/want.txt"
getj got '[.reps[] | "\(.key)=\(.won_count)/\(.lost_count)"] | sort | join(" ")' "$TMP/team.json"
expect_eq 'won/lost per rep' "$(cat "$TMP/want.txt")" "$got"
getj got '.reps[] | select(.key == "darcel.schlecht") | .win_rate * 1000 | round' "$TMP/team.json"
want=$(csv_sql "SELECT CAST(round(1000.0 * sum(deal_stage = 'Won') / sum(deal_stage IN ('Won', 'Lost'))) AS INTEGER)
	FROM p WHERE sales_agent = 'Darcel Schlecht'")
expect_eq "Darcel Schlecht's win rate (per mille)" "$want" "$got"

step 'an imported opportunity is a lead like any other'
expect_ok f lead list --status open --owner moses.frase --limit 1 --json
getj id '.leads[0].id'
expect_ok f lead edit "$id" --amount 5000
expect_ok f lead show "$id" --json
expect_json '.amount' 500000

step 'a second run creates nothing'
snapshot second
expect_ok import_all --create-users --json
expect_json '[.created, .skipped, .users_created, .teams_created] | map(tostring) | join(" ")' '0 8800 0 0'
expect_unchanged second

step '--strict with a rejected row: nothing is imported, exit 1'
printf '%s\n' 'opportunity_id,sales_agent,deal_stage,engage_date,close_date,close_value' \
	'S1,Moses Frase,Won,20-10-16,25-10-16,100' 'S2,Moses Frase,Won,20-10-16,25-10-16,abc' >"$TMP/strict.csv"
snapshot strict
run f import --history "$TMP/strict.csv" --strict
expect_eq 'exit status' 1 "$T_RC"
expect_stdout_contains "nothing imported from the history of $TMP/strict.csv: 2 opportunities"
expect_eq 'last line of stderr' 'funnel: strict: 1 row was rejected, so nothing was imported' "$(tail -n 1 "$TMP/stderr")"
expect_unchanged strict
run f --json import --history "$TMP/strict.csv" --strict
expect_eq 'exit status' 1 "$T_RC"
expect_json '"\(.undone) \(.rejected) \(.created)"' 'true 1 1'
expect_unchanged strict
expect_ok f import --history "$TMP/strict.csv" --dry-run --strict

finish
