#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# Configuration (config list/get/set) changes what the rules do: a fractional weight changes a
# grade, the thresholds and deadlines follow their keys; unknown keys and bad values are refused.
# Language: names are Chinese by default, English with --lang en or after `config set lang en`.
. "$(dirname "$0")/lib.sh"

expect_ok f init
expect_ok f user add li --name 李娜 --role sales

n_lead=0
new_lead() { # new_lead: a new lead owned by li; its id in $id
	n_lead=$((n_lead + 1))
	expect_ok f lead add --company "配置样例$n_lead 有限公司" --contact "客户$n_lead" --channel sem \
		--phone "1391234$(printf %04d "$n_lead")" --owner li --json
	getj id '.id'
}

step 'config list shows every key with the SPEC defaults'
expect_ok f config list --json
expect_json '.config.lang' zh
expect_json '.config.timezone' Asia/Shanghai
expect_json '.config.currency' CNY
expect_json '.config["calendar.workweek"]' 'mon,tue,wed,thu,fri'
expect_json '[.config["score.weight.budget"], .config["score.weight.need"], .config["score.weight.decision"], .config["score.weight.urgency"]] | join(",")' '1,1,1,1'
expect_json '.config["score.grade_a_min"] + "," + .config["score.grade_b_min"]' '15,8'
expect_json '.config["sla.a_hours"] + "," + .config["sla.b_working_days"]' '48,3'
expect_json '.config["nurture.touch_days"] + "," + .config["nurture.reevaluate_days"]' '14,30'
expect_json '.config["clean.phone_blocklist"]' 13800138000
expect_json '.config["clean.target_industries"]' ''
expect_ok f config list
expect_stdout_matches '^sla\.a_hours +48 +hours to follow up'

step 'config get, text and JSON'
expect_ok f config get sla.a_hours
expect_eq 'config get sla.a_hours' 48 "$(cat "$TMP/stdout")"
expect_ok f config get score.grade_b_min --json
expect_json '.key + "=" + .value' 'score.grade_b_min=8'

step 'unknown keys and bad values exit 1 naming the key'
expect_error "'nosuch'" f config get nosuch
expect_error "'nosuch'" f config set nosuch 1
expect_error 'score.weight.budget' f config set score.weight.budget -1
expect_error 'score.grade_b_min' f config set score.grade_b_min 20
expect_error 'lang' f config set lang fr
expect_usage 'missing' f config set lang
expect_ok f config get score.weight.budget
expect_eq 'score.weight.budget after refused sets' 1 "$(cat "$TMP/stdout")"

step 'a budget weight of 1.5 changes a grade'
new_lead
expect_ok f lead score "$id" --budget 4 --need 4 --decision 3 --urgency 3 --json
expect_json '.grade + " " + (.score.total | tostring)' 'B 14'
expect_ok f config set score.weight.budget 1.5 --json
expect_json '.key + "=" + .value' 'score.weight.budget=1.5'
new_lead
expect_ok f lead score "$id" --budget 4 --need 4 --decision 3 --urgency 3 --json
expect_json '.grade + " " + (.score.total | tostring)' 'A 16'
# 2 x 1.5 + 4 + 4 + 4 = 15 exactly: A
new_lead
expect_ok f lead score "$id" --budget 2 --need 4 --decision 4 --urgency 4 --json
expect_json '.grade + " " + (.score.total | tostring)' 'A 15'
# 3 x 1.5 + 4 + 3 + 3 = 14.5: B, shown with its decimals
new_lead
expect_ok f lead score "$id" --budget 3 --need 4 --decision 3 --urgency 3 --json
expect_json '.grade + " " + (.score.total | tostring)' 'B 14.5'
new_lead
expect_ok f lead score "$id" --budget 3 --need 4 --decision 3 --urgency 3
expect_stdout_contains 'grade B (B3 N4 D3 U3 = 14.50)'
# 2 x 1.5 + 2 + 2 + 1 = 8: B where the default weights give C (7)
new_lead
expect_ok f lead score "$id" --budget 2 --need 2 --decision 2 --urgency 1 --json
expect_json '.grade + " " + (.score.total | tostring) + " " + .status' 'B 8 open'
expect_ok f config set score.weight.budget 1

step 'thresholds and deadlines follow their keys'
expect_ok f config set score.grade_a_min 16
new_lead
expect_ok f lead score "$id" --budget 4 --need 4 --decision 4 --urgency 3 --json
expect_json '.grade + " " + (.score.total | tostring)' 'B 15'
expect_ok f config set score.grade_a_min 15
expect_ok f config set sla.a_hours 24
new_lead
expect_ok f lead score "$id" --budget 4 --need 4 --decision 4 --urgency 3 --json
expect_json '.grade + " " + .sla_due_at' 'A 2026-11-28T10:00:00+08:00'
expect_ok f config set sla.b_working_days 5
new_lead
expect_ok f lead score "$id" --budget 2 --need 2 --decision 2 --urgency 2 --json
expect_json '.grade + " " + .sla_due_at' 'B 2026-12-04T23:59:59+08:00'
expect_ok f config set calendar.workweek mon,tue,wed,thu,fri,sat
new_lead
expect_ok f lead score "$id" --budget 2 --need 2 --decision 2 --urgency 2 --json
expect_json '.grade + " " + .sla_due_at' 'B 2026-12-03T23:59:59+08:00'
expect_ok f config set nurture.touch_days 7
new_lead
expect_ok f lead score "$id" --budget 1 --need 1 --decision 1 --urgency 1 --json
expect_json '.next_action.kind + " " + .next_action.due_at' 'touch 2026-12-04T10:00:00+08:00'

step 'names are Chinese by default'
expect_ok f stage list
expect_stdout_contains '潜在客户获取'
expect_stdout_contains '成交转化与售后'
expect_stdout_not_contains 'Lead acquisition'
expect_ok f user list
expect_stdout_contains '销售顾问'

step '--lang en shows English names'
expect_ok f --lang en stage list
expect_stdout_matches '^1 +acquire +Lead acquisition +5%'
expect_stdout_contains 'Needs discovery'
expect_stdout_contains 'Solution & presentation'
expect_stdout_contains 'Deal & after-sales'
expect_stdout_not_contains '潜在客户获取'
expect_ok f --lang en user list
expect_stdout_contains 'Sales consultant'
expect_ok f --lang en lead add --company '英文输出有限公司' --contact 'Amy' --channel sem --phone 13912349001
expect_stdout_contains 'created: Lead acquisition, Open, owner li'
expect_usage "'fr'" f --lang fr stage list
# JSON carries both names whatever the language
expect_ok f --lang en stage list --json
expect_json '.stages[0].name.zh + "|" + .stages[0].name.en' '潜在客户获取|Lead acquisition'

step 'config set lang en switches the default; --lang zh still overrides'
expect_ok f config set lang en
expect_ok f stage list
expect_stdout_contains 'Lead acquisition'
expect_stdout_not_contains '潜在客户获取'
expect_ok f reason list
expect_stdout_contains 'Competitor'
expect_ok f --lang zh stage list
expect_stdout_contains '潜在客户获取'
expect_ok f config set lang zh
expect_ok f stage list
expect_stdout_contains '潜在客户获取'

step 'only an admin changes the configuration'
expect_error 'cannot change the configuration' f --as li config set lang en
expect_ok f --as li config get lang
expect_eq 'lang after a refused set' zh "$(cat "$TMP/stdout")"

finish
