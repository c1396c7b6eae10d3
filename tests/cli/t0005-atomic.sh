#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# Every write is atomic (funnel.h): a command that fails leaves the database exactly as it was, both
# its content (the SQL dump) and its bytes, including commands that fail after some of their input
# was found good (a valid field next to a bad one, valid calendar lines before a bad one).
. "$(dirname "$0")/lib.sh"

expect_ok f init
expect_ok f user add li --name 李娜 --role sales
expect_ok f user add wu --name 吴刚 --role sales
expect_ok f lead add --company '厦门海纳科技有限公司' --contact '郑' --channel sem --phone 13912340001 --owner li --json
getj id '.id'
expect_ok f lead add --company '青岛蓝海物流有限公司' --contact '于' --channel sem --phone 13912340002 --owner li --json
getj acq '.id'
expect_ok f lead score "$id" --budget 4 --need 3 --decision 3 --urgency 3
expect_ok f lead edit "$id" --amount 50000 --close 2027-01
printf '2027-01-01 holiday 元旦\n' >"$TMP/cal.txt"
expect_ok f calendar import "$TMP/cal.txt"

# refused WORD CMD...: the command exits 1 naming WORD, and the database is untouched, by content and
# by bytes.
refused() {
	cp "$TMP/t.db" "$TMP/bytes.before"
	snapshot atomic
	expect_error "$@"
	expect_unchanged atomic
	expect_same_file 'the database file (bytes) after a failed command' "$TMP/bytes.before" "$TMP/t.db"
	for r_side in "$TMP/t.db-wal" "$TMP/t.db-journal"; do
		if [ -s "$r_side" ]; then
			fail "no $r_side left with content" "$(wc -c <"$r_side") bytes"
		fi
	done
	pass
}

step 'bad scores'
refused budget f lead score "$id" --budget 6 --need 3 --decision 3 --urgency 3
refused urgency f lead score "$id" --budget 3 --need 3 --decision 3 --urgency 0
refused need f lead score "$id" --budget 3 --need three --decision 3 --urgency 3

step 'unknown loss reason, unknown stage, move back without a note'
refused reason f lead lose "$id" --reason nosuch
refused to f lead move "$id" --to nosuch
refused "gate 'propose'" f lead move "$id" --to propose
ready_for "$id" propose
expect_ok f lead move "$id" --to propose
refused note f lead move "$id" --to discover

step 'bad amounts and months'
refused amount f lead edit "$id" --amount '12,5'
refused amount f lead edit "$id" --amount '-3'
refused amount f lead edit "$id" --amount '1.234'
refused amount f lead edit "$id" --amount '1e3'
refused amount f lead edit "$id" --amount '¥100'
refused amount f lead edit "$acq" --amount 100
refused close f lead edit "$id" --close 2027-13
refused close f lead edit "$id" --title '总监' --close 2027-1

step 'a good field next to a bad one changes neither'
refused phone f lead edit "$id" --company '厦门海纳新名有限公司' --phone 123
refused email f lead edit "$id" --contact '郑总' --email 'zheng@'
refused phone f lead edit "$id" --phone '' --email '' --wechat ''
expect_ok f lead show "$id" --json
expect_json '.company + " " + .contact + " " + .phone' '厦门海纳科技有限公司 郑 13912340001'
expect_json '.amount' 5000000

step 'a sales consultant cannot reassign, nor touch leads of others'
refused 'cannot reassign' f --as li lead assign "$id" --owner wu
refused 'cannot' f --as wu lead move "$id" --to negotiate
refused 'cannot' f --as wu lead edit "$id" --title '总监'
refused owner f lead assign "$id" --owner nobody

step 'bad configuration values'
refused score.weight.budget f config set score.weight.budget abc
refused score.weight.budget f config set score.weight.budget 1.234
refused sla.a_hours f config set sla.a_hours -1
refused lang f config set lang fr
refused timezone f config set timezone Mars/Base
refused calendar.workweek f config set calendar.workweek mon,xyz
refused score.grade_a_min f config set score.grade_a_min 5
refused nosuch f config set nosuch 1
refused 'cannot change the configuration' f --as li config set lang en

step 'a calendar file with good lines before a bad line 3'
printf '2027-02-16 holiday 春节\n2027-02-17 holiday 春节\n2027-02-30 holiday 不存在\n' >"$TMP/bad.txt"
refused 'line 3' f calendar import "$TMP/bad.txt"

step 'users, stages, channels, reasons'
refused role f user add zz --name 新人 --role king --team 新团队
refused role f user edit li --name 新名字 --role king
refused login f user add li --name 重复 --role sales
refused active f user edit li --active maybe
refused probability f stage edit won --probability 101
refused name-en f stage edit won --name 赢单 --name-en ''
refused kind f channel add newch --name 新渠道 --kind weird
refused key f channel add sem --name 重复 --kind online
refused key f reason add price --name 重复

step 'captures that fail store nothing'
refused channel f lead add --company '新公司' --contact '新人' --channel nosuch --phone 13912340003
refused owner f lead add --company '新公司' --contact '新人' --channel sem --phone 13912340003 --owner nobody
refused captured-at f lead add --company '新公司' --contact '新人' --channel sem --phone 13912340003 \
	--captured-at 2027-01-01

step 'a failure after the first writes: every audit write fails (an injected trigger)'
# The commands above are refused before they write. Here each one gets past its checks and writes
# (the lead, its events, tasks, ...) and then fails on the audit log, its last write: all of it must
# be undone. Without the trigger, the same command succeeds and changes the database.
inject() {
	sqlite3 "$TMP/t.db" "CREATE TRIGGER inject_failure BEFORE INSERT ON audit
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END;" || fail 'sqlite3 creating a trigger' 'an error'
}
uninject() {
	sqlite3 "$TMP/t.db" 'DROP TRIGGER inject_failure;' || fail 'sqlite3 dropping the trigger' 'an error'
}
# fails_late CMD...: CMD fails and changes nothing while audit writes fail; then it succeeds
fails_late() {
	inject
	refused 'injected failure' "$@"
	uninject
	snapshot late
	expect_ok "$@"
	db_dump "$TMP/t.db" >"$TMP/late.after"
	cmp -s "$TMP/late.dump" "$TMP/late.after" && fail "a change made by: $*" 'the same dump'
	pass
}
fails_late f lead add --company '珠海格林电器有限公司' --contact '董' --channel sem --phone 13912340010 --owner wu --json
getj late_id '.id' "$TMP/stdout"
fails_late f lead add --company '珠海格林' --contact '董总' --channel website --phone '139 1234 0010'
fails_late f lead score "$late_id" --budget 2 --need 2 --decision 2 --urgency 2
fails_late f lead edit "$late_id" --title '采购总监' --amount 120000 --close 2027-03
fails_late f --as wu activity add "$late_id" --kind call --summary '电话' --next 2026-12-01T10:00:00+08:00
fails_late f discovery spin "$late_id" --kind P --question '哪里不便' --answer '报表慢' --json
getj late_spin '.id' "$TMP/stdout"
fails_late f discovery contact "$late_id" --name '董总' --role decision_maker
fails_late f discovery note "$late_id" --background '家电' --decision-date 2027-03-31
fails_late f needs add "$late_id" --text '报表整合' --priority 1 --spin "$late_spin"
fails_late f needs confirm "$late_id" --how phone
fails_late f lead move "$late_id" --to propose
fails_late f needs edit "$late_id" 1 --priority 2
fails_late f solution add "$late_id" --need 1 --function '报表模块' --value '省时' --figure 30 --unit %
fails_late f solution present "$late_id" --date 2026-11-27
fails_late f quote add "$late_id" --amount 100000 --discount 20 --json
getj late_quote '.id' "$TMP/stdout"
fails_late f quote approve "$late_quote"
fails_late f obstacle add "$late_id" --type price --text '贵' --json
getj late_obstacle '.id' "$TMP/stdout"
fails_late f obstacle resolve "$late_obstacle"
fails_late f lead move "$late_id" --to discover --note '回到需求'
fails_late f lead assign "$late_id" --owner li --note '调整'
fails_late f lead lose "$late_id" --reason timing --note '明年再说'
fails_late f lead reopen "$late_id" --note '又有预算了'
# the edit above made version 2: the customer confirms it before the lead can pass propose again
fails_late f needs confirm "$late_id" --how meeting
fails_late f deal close "$late_id" --contract HT-LATE --amount 120000 --signed 2026-11-27
fails_late f user add shou --name 售后 --role aftersales
fails_late f aftersales handover "$late_id" --to shou
fails_late f aftersales rate "$late_id" --score 4
fails_late f lead repurchase "$late_id"
fails_late f config set sla.a_hours 36
printf '2027-05-01 holiday 劳动节\n2027-05-08 workday 调休\n' >"$TMP/cal2.txt"
fails_late f calendar import "$TMP/cal2.txt"
fails_late f user add newbie --name 新人 --role sales --team 华北一部
fails_late f user edit newbie --active no
fails_late f channel add douyin --name 抖音 --kind online
fails_late f reason add budget_cut --name 预算削减
fails_late f stage edit won --name 成交

step 'the check itself sees a change: a successful command changes the dump'
snapshot good
expect_ok f lead lose "$id" --reason price
db_dump "$TMP/t.db" >"$TMP/good.after"
cmp -s "$TMP/good.dump" "$TMP/good.after" && fail 'a different dump after lead lose' 'the same dump'
pass
refused 'lost' f lead lose "$id" --reason price

finish
