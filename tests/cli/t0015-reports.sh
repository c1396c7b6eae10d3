#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# The reports flow, channels, forecast, sla and scoring through the CLI (SPEC §7), and the channel
# spend they use (SPEC §3): exit codes, the JSON keys and a few hand-checked figures (the exact
# numbers are the unit tests'), CSV with a BOM and a header row in the installation's language, an
# unknown --by value (usage, exit 2) and an unknown --channel (exit 1, nothing on stdout).
. "$(dirname "$0")/lib.sh"

NOW=2026-11-27T10:00:00+08:00

step 'a small funnel'
expect_ok f init
expect_ok f user add li --name 李娜 --role sales --team 华东一部
expect_ok f user add mei --name 韩梅 --role marketing
# L1: won (qualify -> won), L2: lost at qualify, L3: nothing past capture, L4: invalid, L5: in
# discover with an expected deal, L6 on sem lost at acquire
expect_ok f --now 2026-11-02T10:00:00+08:00 lead add --company 甲公司 --contact 张三 --channel website \
	--phone 13952000001 --owner li --json
getj l1 '.id'
expect_ok f --now 2026-11-02T11:00:00+08:00 lead score "$l1" --budget 5 --need 5 --decision 5 --urgency 5
ready_for "$l1" won --now 2026-11-05T10:00:00+08:00
expect_ok f --now 2026-11-02T10:00:00+08:00 lead add --company 乙公司 --contact 李四 --channel website \
	--phone 13952000002 --owner li --json
getj l2 '.id'
expect_ok f --now 2026-11-02T11:00:00+08:00 lead score "$l2" --budget 3 --need 3 --decision 3 --urgency 3
expect_ok f --now 2026-11-06T10:00:00+08:00 lead lose "$l2" --reason price
expect_ok f --now 2026-11-03T10:00:00+08:00 lead add --company 丙公司 --contact 王五 --channel website \
	--phone 13952000003 --owner li
expect_ok f --now 2026-11-03T10:00:00+08:00 lead add --company 丁公司 --contact 赵六 --channel website \
	--phone 123 --json
expect_json '.result' invalid
expect_ok f --now 2026-11-04T10:00:00+08:00 lead add --company 戊公司 --contact 孙七 --channel website \
	--phone 13952000005 --owner li --json
getj l5 '.id'
expect_ok f --now 2026-11-04T11:00:00+08:00 lead score "$l5" --budget 4 --need 4 --decision 4 --urgency 4
expect_ok f --now 2026-11-05T10:00:00+08:00 lead move "$l5" --to discover
expect_ok f --now 2026-11-05T10:00:00+08:00 lead edit "$l5" --amount 200000 --close 2026-12
expect_ok f --now 2026-11-04T10:00:00+08:00 lead add --company 己公司 --contact 周八 --channel sem \
	--phone 13952000006 --owner li --json
getj l6 '.id'
expect_ok f --now 2026-11-05T10:00:00+08:00 lead lose "$l6" --reason no_response

step 'channel spend: set, replace, list; who may; what is refused'
expect_ok f --as mei channel spend website --month 2026-11 --amount 30000 --json
expect_json '.channel + " " + .month + " " + (.amount | tostring) + " " + .user' 'website 2026-11 3000000 mei'
expect_ok f --as mei channel spend website --month 2026-11 --amount 15000.50
expect_stdout_contains 'spend of channel website in 2026-11: 15000.50'
expect_ok f channel spend website --month 2026-10 --amount 9000
expect_ok f channel spend website --json
expect_json '[.spend[] | .month + "=" + (.amount | tostring)] | join(",")' '2026-10=900000,2026-11=1500050'
expect_ok f channel spend website
expect_stdout_matches '^2026-11 +15000\.50 +2026-11-27 10:00 +mei'
expect_error 'cannot record channel spend' f --as li channel spend website --month 2026-11 --amount 1
expect_error 'month' f channel spend website --month 2026-13 --amount 1
expect_error 'amount' f channel spend website --month 2026-11 --amount -5
expect_error "no channel 'tv'" f channel spend tv --month 2026-11 --amount 1
expect_error "no channel 'tv'" f channel spend tv
expect_usage 'go together' f channel spend website --month 2026-11
expect_usage 'go together' f channel spend website --amount 1
expect_ok f audit --limit 0 --json
expect_json '[.audit[] | select(.entity == "channel_spend") | .entity_id + " " + .action] | join(",")' 'website/2026-11 create,website/2026-11 update,website/2026-10 create'

P='--from 2026-11-01 --to 2026-11-30'

step 'report flow'
expect_ok f report flow $P --json
expect_json '.groups[0] | keys | join(",")' 'key,lost_count,lost_reasons,name,stages,won_amount,won_count'
expect_json '.groups[0].stages[0] | keys | join(",")' 'entries,key,lost,name'
expect_json '[.groups[0].stages[].entries] | map(tostring) | join(",")' '5,3,2,1,1,1'
expect_json '.groups[0].won_count, .groups[0].won_amount' '1
10000000'
expect_json '[.groups[0].lost_reasons[] | .key + "=" + (.lost | tostring)] | join(",")' 'price=1,no_response=1'
expect_ok f report flow $P --by channel --json
expect_json '[.groups[].key] | join(",")' 'sem,website'
expect_ok f report flow $P
expect_stdout_contains '流失原因'
expect_ok f --lang en report flow $P
expect_stdout_contains 'Losses by reason'

step 'report channels'
expect_ok f report channels $P --json
expect_json 'keys | join(",")' 'groups,spend_applies,total'
expect_json '.groups[1] | keys | join(",")' 'cost_per_deal,cost_per_lead,cost_per_valid_lead,duplicate_rate,duplicates,grades,invalid,invalid_rate,key,leads,name,roi,spend,stages,valid,won_amount,won_count'
expect_json '.groups[1].key + " " + (.groups[1].leads | tostring) + " " + (.groups[1].valid | tostring)' 'website 5 4'
expect_json '.groups[1].spend, .groups[1].cost_per_lead, .groups[1].cost_per_deal' '1500050
300010
1500050'
expect_json '.groups[0].spend' 'null'
expect_ok f report channels $P --by channel --json
expect_json '.groups[1].spend' '1500050'
expect_ok f report channels $P --owner li --json
expect_json '.spend_applies, .groups[1].spend' 'false
null'
expect_usage 'report channels is always per channel' f report channels --by owner
expect_usage "by: 'week' is not" f report channels --by week

step 'report forecast'
expect_ok f report forecast --json
expect_json 'keys | join(",")' 'groups,stages,window'
expect_json '.groups[0].months[0] | keys | join(",")' 'amount,count,month,weighted,weighted_empirical'
expect_json '.groups[0].months[0].month + " " + (.groups[0].months[0].amount | tostring)' '2026-12 20000000'
expect_json '.groups[0].months[0].weighted' '5000000'
expect_json '.groups[0].months[1].month' 'null'
expect_json '.groups[0].total.count' '2'
expect_json '.stages[1] | keys | join(",")' 'closed,empirical,key,name,probability,won'

step 'report sla'
expect_ok f report sla $P --by owner --json
expect_json 'keys | join(",")' 'groups,overdue'
expect_json '.groups[0] | keys | join(",")' 'breached,compliance,due,key,met_late,met_on_time,name,overdue_open'
expect_json '.groups[0].key + " " + (.groups[0].due | tostring)' 'li 3'
expect_json '.overdue | length' '1'
expect_json '.overdue[0] | keys | join(",")' 'company,due_at,grade,lead_id,overdue_hours,owner'

step 'report scoring'
expect_ok f report scoring $P --json
expect_json '.groups[0].closed, .groups[0].won' '3
1'
expect_json '[.groups[0].grades[].key] | join(",")' 'A,B,C,'
expect_json '.groups[0].scores | keys | join(",")' 'budget,decision,need,urgency'
expect_json '.groups[0].scores.budget[4] | keys | join(",")' 'ci_high,ci_low,closed,value,win_rate,won'

step 'CSV: a BOM, then the header in the installation language (English with --lang en)'
for r in flow channels forecast sla scoring; do
	expect_ok f report $r $P --csv
	head -c 3 "$TMP/stdout" | od -An -tx1 | tr -d ' \n' >"$TMP/bom"
	expect_eq "BOM of report $r" 'efbbbf' "$(cat "$TMP/bom")"
done
expect_ok f report channels $P --csv
expect_stdout_matches '^.?渠道,线索数,无效率,重复率,有效线索,A 级,B 级,C 级,未评级,'
expect_ok f --lang en report channels $P --csv
expect_stdout_matches '^.?Channel,Leads,Invalid,Duplicates,Valid,Grade A,Grade B,Grade C,Ungraded,'
expect_stdout_matches '^Website form,5,20\.0%,0\.0%,4,2,1,0,1,'
expect_ok f --lang en report flow $P --csv
expect_stdout_matches '^.?Group,Stage,First entries,Lost,Won amount'
# the detail table follows an empty line, with its own header and no second BOM
expect_stdout_matches '^Group,Loss reason,Lost,Share'
expect_ok f --lang en report sla $P --csv
expect_stdout_matches '^Lead,Company,Owner,Grade,Due,Overdue \(hours\)'

step 'unknown --by values are usage errors; unknown filter values are errors'
for r in flow channels forecast sla scoring; do
	expect_usage "by: 'week' is not" f report $r --by week
	expect_error "channel: no channel 'tv'" f report $r --channel tv
	expect_usage 'bad' f report $r --bad
done
expect_error "from: '2026-13-01' is not a date" f report flow --from 2026-13-01

step 'who sees which report (SPEC §8)'
expect_ok f user add wu --name 吴 --role sales --team 华东一部
expect_ok f user add boss --name 王 --role manager --team 华南一部
expect_ok f user add care --name 孙 --role aftersales
# li owns every lead here: li sees them, wu (no leads) sees none, the manager of another team none
expect_ok f --as li report funnel --json
expect_json '.groups[0].leads' 5
expect_ok f --as wu report funnel --json
expect_json '.groups | length' 0
expect_error "sees the reports of owner 'wu' only" f --as wu report funnel --owner li
expect_ok f --as boss report funnel --json
expect_json '.groups | length' 0
expect_error "sees the reports of team '华南一部' only" f --as boss report funnel --team 华东一部
# marketing: the funnel and channel reports of the company, not the team's
expect_ok f --as mei report channels --json
expect_ok f --as mei report funnel --json
expect_json '.groups[0].leads' 5
expect_error "(marketing) sees the funnel, stages, flow and channels reports, not 'team'" f --as mei report team
expect_error "cannot see the funnel reports" f --as care report funnel

finish
