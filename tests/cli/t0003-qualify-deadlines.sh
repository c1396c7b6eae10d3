#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# Scoring, grades and follow-up deadlines (SPEC §4): the grade edges (15 is A, 8 is B, 7 is C), the A
# deadline 48 h after grading, the B deadline at 23:59:59 of the 3rd working day, the working-day
# calendar (import, a bad file imports nothing), and how activities meet a deadline (met, met late),
# or not (overdue, first in the work queue).
. "$(dirname "$0")/lib.sh"

# NOW is Friday 2026-11-27 10:00 in Shanghai.
expect_ok f init
expect_ok f user add li --name 李娜 --role sales

n_lead=0
new_lead() { # new_lead: add a lead owned by li; its id in $id
	n_lead=$((n_lead + 1))
	expect_ok f lead add --company "华信样例$n_lead 有限公司" --contact "客户$n_lead" --channel website \
		--phone "1391234$(printf %04d "$n_lead")" --owner li --json
	getj id '.id'
}

step 'score 4+4+4+3 = 15 is grade A, due 48 hours after grading'
new_lead
lead_a=$id
expect_ok f lead score "$lead_a" --budget 4 --need 4 --decision 4 --urgency 3 --json
expect_json '.grade' A
expect_json '.score.total' 15
expect_json '[.score.budget, .score.need, .score.decision, .score.urgency] | join(",")' '4,4,4,3'
expect_json '.stage + " " + .status' 'qualify open'
expect_json '.graded_at' '2026-11-27T10:00:00+08:00'
expect_json '.sla_due_at' '2026-11-29T10:00:00+08:00'
expect_json '.sla_state' pending
expect_json '.next_action.kind + " " + .next_action.due_at' 'followup 2026-11-29T10:00:00+08:00'
expect_ok f lead show "$lead_a" --json
expect_json '[.tasks[] | .kind + ":" + .grade + ":" + .state] | join(",")' 'followup:A:open'
expect_json '[.stage_events[].kind] | join(",")' 'capture,forward'
expect_json '.stage_events[1].from + ">" + .stage_events[1].to' 'acquire>qualify'

step 'the text answer shows the grade and the total'
new_lead
expect_ok f lead score "$id" --budget 5 --need 5 --decision 5 --urgency 5
expect_stdout_contains "lead $id scored: grade A (B5 N5 D5 U5 = 20)"
expect_stdout_contains '2026-11-29 10:00'
expect_ok f --now 2026-11-27T12:00:00+08:00 activity add "$id" --kind call

step 'score 2+2+2+2 = 8 is grade B; graded on Friday 2026-11-27 it is due Wednesday 2026-12-02 23:59:59'
new_lead
lead_b=$id
expect_ok f lead score "$lead_b" --budget 2 --need 2 --decision 2 --urgency 2 --json
expect_json '.grade' B
expect_json '.score.total' 8
expect_json '.status' open
expect_json '.sla_due_at' '2026-12-02T23:59:59+08:00'
expect_ok f lead show "$lead_b" --json
# B leads also get the task to send material
expect_json '[.tasks[] | .kind + ":" + .grade + ":" + .due_at] | sort | join(",")' \
	'followup:B:2026-12-02T23:59:59+08:00,material:B:2026-12-02T23:59:59+08:00'

step 'score 3+4+4+3 = 14 is still B'
new_lead
expect_ok f lead score "$id" --budget 3 --need 4 --decision 4 --urgency 3 --json
expect_json '.grade + " " + (.score.total | tostring)' 'B 14'

step 'score 2+2+2+1 = 7 is grade C: nurture, a touch in 14 days, a re-evaluation in 30'
new_lead
lead_c=$id
expect_ok f lead score "$lead_c" --budget 2 --need 2 --decision 2 --urgency 1 --json
expect_json '.grade' C
expect_json '.score.total' 7
expect_json '.status + " " + .stage' 'nurture qualify'
expect_json '.sla_due_at' null
expect_json '.sla_state' null
expect_ok f lead show "$lead_c" --json
expect_json '[.tasks[] | .kind + ":" + .due_at] | sort | join(",")' \
	'reevaluate:2026-12-27T10:00:00+08:00,touch:2026-12-11T10:00:00+08:00'

step 'scores outside 1-5 are refused, naming the score'
snapshot scores
expect_error 'budget' f lead score "$lead_a" --budget 0 --need 3 --decision 3 --urgency 3
expect_error 'need' f lead score "$lead_a" --budget 3 --need 6 --decision 3 --urgency 3
expect_error 'decision' f lead score "$lead_a" --budget 3 --need 3 --decision x --urgency 3
expect_error 'urgency' f lead score "$lead_a" --budget 3 --need 3 --decision 3 --urgency ''
expect_error 'urgency' f lead score "$lead_a" --budget 3 --need 3 --decision 3 --urgency 2.5
expect_usage '--urgency is required' f lead score "$lead_a" --budget 3 --need 3 --decision 3
expect_unchanged scores

step 'the calendar starts empty'
expect_ok f calendar show --json
expect_json '.entries | length' 0
expect_json '.workweek' 'mon,tue,wed,thu,fri'
expect_json '.timezone' 'Asia/Shanghai'
save cal.empty

step 'a calendar file with a bad line 3 exits 1 naming line 3 and imports nothing'
cat >"$TMP/bad.txt" <<'EOF'
2026-12-24 holiday 平安夜
# a comment
2026-13-01 holiday 不存在的月份
2026-12-25 holiday 圣诞
EOF
snapshot cal
expect_error 'line 3' f calendar import "$TMP/bad.txt"
expect_stderr_contains 'bad.txt'
expect_ok f calendar show --json
expect_same_file 'calendar after a refused import' "$TMP/cal.empty" "$TMP/stdout"
expect_unchanged cal
printf '2026-12-24 holiday\n2026-12-25 vacation\n' >"$TMP/bad2.txt"
expect_error 'line 2' f calendar import "$TMP/bad2.txt"
expect_error 'file' f calendar import "$TMP/no-such-file.txt"
expect_unchanged cal

step 'import a calendar: a make-up working Saturday and two holidays'
cat >"$TMP/cal.txt" <<'EOF'
# 2026 test calendar: comments and blank lines are skipped

2026-11-28 workday 调休上班
2026-11-30 holiday 假日一
2026-12-01 holiday
EOF
expect_ok f calendar import "$TMP/cal.txt" --json
expect_json '.imported' 3
expect_ok f calendar show --json
expect_json '[.entries[] | .date + ":" + .kind] | join(",")' \
	'2026-11-28:workday,2026-11-30:holiday,2026-12-01:holiday'
expect_json '.entries[0].name' '调休上班'
expect_ok f calendar show --year 2027 --json
expect_json '.entries | length' 0
expect_ok f calendar show
expect_stdout_contains '2026-11-30'
expect_stdout_contains 'Sat'

step 'a B graded now counts Sat 28 (make-up day), skips Mon 30 and Tue 1: due Thursday 2026-12-03'
new_lead
lead_b2=$id
expect_ok f lead score "$lead_b2" --budget 3 --need 2 --decision 2 --urgency 2 --json
expect_json '.grade' B
expect_json '.sla_due_at' '2026-12-03T23:59:59+08:00'
# a deadline already set does not move
expect_ok f lead show "$lead_b" --json
expect_json '.sla_due_at' '2026-12-02T23:59:59+08:00'

step 'an A deadline is 48 clock hours, holidays or not'
new_lead
lead_a2=$id
expect_ok f lead score "$lead_a2" --budget 5 --need 4 --decision 3 --urgency 3 --json
expect_json '.grade + " " + .sla_due_at' 'A 2026-11-29T10:00:00+08:00'

step 'a call after grading meets the deadline (met)'
# a note is not a follow-up
expect_ok f --now 2026-11-27T11:00:00+08:00 activity add "$lead_a" --kind note --summary '内部备注'
expect_ok f --now 2026-11-27T11:00:00+08:00 lead show "$lead_a" --json
expect_json '.sla_state' pending
expect_json '.to_follow_up' true
expect_ok f --now 2026-11-28T09:00:00+08:00 activity add "$lead_a" --kind call --summary '首次电话' --outcome '约了演示'
expect_stdout_contains 'follow-up deadline met'
expect_stdout_not_contains 'met late'
expect_ok f --now 2026-11-28T09:00:00+08:00 lead show "$lead_a" --json
expect_json '.sla_state' met
expect_json '.sla_met_at' '2026-11-28T09:00:00+08:00'
expect_json '.first_contact_at' '2026-11-28T09:00:00+08:00'
expect_json '.to_follow_up' false
expect_json '[.tasks[] | select(.kind == "followup") | .state] | join(",")' 'done'
# a second call does not move the time the deadline was met
expect_ok f --now 2026-11-28T15:00:00+08:00 activity add "$lead_a" --kind meeting
expect_ok f lead show "$lead_a" --json
expect_json '.sla_met_at' '2026-11-28T09:00:00+08:00'

step 'a call before grading does not meet the deadline set later'
new_lead
lead_d=$id
expect_ok f --now 2026-11-27T10:30:00+08:00 activity add "$lead_d" --kind call
expect_ok f --now 2026-11-27T11:00:00+08:00 lead score "$lead_d" --budget 5 --need 5 --decision 3 --urgency 3 --json
expect_json '.grade + " " + .sla_due_at + " " + .sla_state' 'A 2026-11-29T11:00:00+08:00 pending'

step 'an e-mail after the deadline meets it late (met_late)'
expect_ok f --now 2026-12-03T09:00:00+08:00 activity add "$lead_b" --kind email --summary '发了资料'
expect_stdout_contains 'follow-up deadline met late'
expect_ok f --now 2026-12-03T09:00:00+08:00 lead show "$lead_b" --json
expect_json '.sla_state' met_late
expect_json '.sla_met_at' '2026-12-03T09:00:00+08:00'
expect_json '[.tasks[] | select(.kind == "followup") | .state] | join(",")' done_late

step 'the deadline is due up to the second: pending at 10:00:00, overdue at 10:00:01'
expect_ok f --now 2026-11-29T10:00:00+08:00 lead show "$lead_a2" --json
expect_json '.sla_state' pending
expect_ok f --now 2026-11-29T10:00:01+08:00 lead show "$lead_a2" --json
expect_json '.sla_state' overdue

step 'no activity and a later --now: overdue, and first in the work queue'
LATER=2026-12-04T09:00:00+08:00
expect_ok f --now "$LATER" lead show "$lead_b2" --json
expect_json '.sla_state' overdue
expect_ok f --now "$LATER" queue --as li --json
expect_json '.queue[0].id' "$lead_a2"
expect_json '.queue[0].overdue' true
expect_json '.queue[0].action' followup
expect_json '.queue[0].due_at' '2026-11-29T10:00:00+08:00'
expect_json '.queue[0].seconds_left' $((-(5 * 86400 - 3600)))
expect_json '[.queue[] | select(.overdue) | .id] | index('"$lead_b2"') != null' true
# overdue first, by due time; then the rest by due time
expect_json '[.queue[].overdue] | . == (sort | reverse)' true
expect_json '[.queue[] | select(.overdue) | .due_at] | . == sort' true
expect_json '[.queue[] | select(.overdue | not) | .due_at] | . == sort' true
# a lead whose deadline was met and that has nothing due is not in the queue
expect_json "[.queue[] | select(.id == $lead_a)] | length" 0
# the nurture lead is there, with its touch
expect_json "[.queue[] | select(.id == $lead_c) | .action + \":\" + .status] | join(\",\")" 'touch:nurture'
expect_ok f --now "$LATER" queue --as li
expect_stdout_matches "^$lead_a2 .*overdue"

step 'meeting the overdue deadline takes the lead out of the overdue part of the queue'
expect_ok f --now "$LATER" activity add "$lead_a2" --kind visit
expect_ok f --now "$LATER" lead show "$lead_a2" --json
expect_json '.sla_state' met_late
expect_ok f --now "$LATER" queue --as li --json
expect_json "[.queue[] | select(.id == $lead_a2 and .overdue)] | length" 0

step 'a nurture lead re-scored B returns to open with a new deadline'
expect_ok f --now "$LATER" lead score "$lead_c" --budget 3 --need 3 --decision 3 --urgency 3 --json
expect_json '.grade + " " + .status' 'B open'
expect_json '.sla_due_at' '2026-12-09T23:59:59+08:00'

step 'an unmet deadline is not pushed later by a re-score'
expect_ok f --now "$LATER" lead score "$lead_b2" --budget 5 --need 5 --decision 5 --urgency 5 --json
expect_json '.grade' A
expect_json '.sla_due_at' '2026-12-03T23:59:59+08:00'
expect_ok f lead show "$lead_b2" --json
expect_json '[.scores[] | .grade + ":" + (.total | tostring)] | join(",")' 'B:9,A:20'

finish
