#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# Targets and planning through the CLI (SPEC §6) and the reports team and bottleneck (SPEC §7):
# target set (values as people write them: counts, yuan, percentages) and list, who may set what,
# errors naming the field (exit 1, nothing changed), usage errors (exit 2); report targets half-way
# through November with its pace; plan from the history and plan --apply making the targets; what-if
# for one stage and the ranking of every stage; report team and report bottleneck in JSON.
#
# The history (March 2026, li): h1 qualify -> discover -> won (200000 yuan), h2 to discover, h3 to
# qualify, h4 captured only: reached 4, 3, 2, 1, 1, 1. November: n1 and n2 (li, graded A: n1
# followed up in time, n2 never), n3 (sun, captured only). Now: 2026-11-16 00:00, half of November.
. "$(dirname "$0")/lib.sh"

NOW=2026-11-16T00:00:00+08:00

step 'users and a small history'
expect_ok f init
expect_ok f user add li --name 李娜 --role sales --team 华东一部
expect_ok f user add wang --name 王强 --role manager --team 华东一部
expect_ok f user add zhao --name 赵磊 --role manager --team 华南一部
expect_ok f user add boss --name 周总 --role manager
expect_ok f user add sun --name 孙丽 --role sales --team 华南一部
n=0
lead() { # lead NOW OWNER: capture a lead at NOW for OWNER; its id in $id
	n=$((n + 1))
	expect_ok f --now "$1" lead add --company "华诚机械$n号有限公司" --contact 周明 --channel website \
		--phone "1395200000$n" --owner "$2" --json
	getj id '.id'
}
lead 2026-03-02T10:00:00+08:00 li
h1=$id
expect_ok f --now 2026-03-03T10:00:00+08:00 lead move "$h1" --to discover
expect_ok f --now 2026-03-10T10:00:00+08:00 deal close "$h1" --contract HT-1 --amount 200000 --signed 2026-03-10 --force
lead 2026-03-02T11:00:00+08:00 li
expect_ok f --now 2026-03-03T10:00:00+08:00 lead move "$id" --to discover
lead 2026-03-02T12:00:00+08:00 li
expect_ok f --now 2026-03-03T10:00:00+08:00 lead move "$id" --to qualify
lead 2026-03-02T13:00:00+08:00 li
lead 2026-11-02T09:00:00+08:00 li
n1=$id
expect_ok f --as li --now 2026-11-02T10:00:00+08:00 lead score "$n1" --budget 4 --need 4 --decision 4 --urgency 4
expect_ok f --as li --now 2026-11-03T10:00:00+08:00 activity add "$n1" --kind call --summary 已电话沟通
lead 2026-11-03T09:00:00+08:00 li
expect_ok f --as li --now 2026-11-03T10:00:00+08:00 lead score "$id" --budget 4 --need 4 --decision 4 --urgency 4
lead 2026-11-05T09:00:00+08:00 sun

# refused WORD CMD...: exit 1 naming WORD, and the database is exactly as it was
refused() {
	snapshot refused
	expect_error "$@"
	expect_unchanged refused
}

step 'target set: counts, percentages, yuan'
expect_ok f target set --metric entries --stage acquire --scope company --period 2026-11 --value 20 --json
expect_json '.metric + " " + .stage + " " + .scope_kind + " " + .period + " " + (.value | tostring)' \
	'entries acquire company 2026-11 20'
expect_json '.set_by' admin
expect_ok f target set --metric conversion --stage qualify --scope team:华东一部 --period 2026-11 --value 30.5 --json
expect_json '.value' 0.305
expect_json '.scope' 华东一部
expect_ok f --as wang target set --metric won_amount --scope user:li --period 2026-Q4 --value 128000.50 --json
expect_json '.stage + " " + (.value | tostring) + " " + .set_by' 'won 12800050 wang'
expect_ok f target set --metric sla_compliance --scope user:li --period 2026-11 --value 90
expect_stdout_contains '90%'
step 'setting again changes the value (audited)'
expect_ok f target set --metric entries --stage acquire --scope company --period 2026-11 --value 10 --json
expect_json '.value' 10
expect_ok f audit --json
expect_json '[.audit[] | select(.entity == "target")] | length' 5
expect_json '[.audit[] | select(.entity == "target" and .action == "update")][0].after.value' 10

step 'target set: errors name the field and change nothing'
refused metric f target set --metric revenue --stage acquire --scope company --period 2026-11 --value 1
refused stage f target set --metric entries --scope company --period 2026-11 --value 1
refused stage f target set --metric entries --stage nosuch --scope company --period 2026-11 --value 1
refused stage f target set --metric conversion --stage won --scope company --period 2026-11 --value 30
refused stage f target set --metric sla_compliance --stage qualify --scope company --period 2026-11 --value 30
refused scope f target set --metric entries --stage acquire --scope region:上海 --period 2026-11 --value 1
refused scope f target set --metric entries --stage acquire --scope team:无此团队 --period 2026-11 --value 1
refused scope f target set --metric entries --stage acquire --scope user:nobody --period 2026-11 --value 1
refused period f target set --metric entries --stage acquire --scope company --period 2026-13 --value 1
refused period f target set --metric entries --stage acquire --scope company --period 2026-11-01 --value 1
refused value f target set --metric entries --stage acquire --scope company --period 2026-11 --value 20.5
refused value f target set --metric conversion --stage qualify --scope company --period 2026-11 --value 30%
refused value f target set --metric conversion --stage qualify --scope company --period 2026-11 --value 101
refused value f target set --metric won_amount --scope company --period 2026-11 --value 1.005
step 'who may set targets'
refused 'cannot set targets' f --as li target set --metric entries --stage acquire --scope user:li --period 2026-11 --value 1
refused scope f --as zhao target set --metric entries --stage acquire --scope team:华东一部 --period 2026-11 --value 1
expect_ok f --as zhao target set --metric entries --stage acquire --scope user:sun --period 2026-11 --value 4
step 'usage errors'
expect_usage '--metric is required' f target set --stage acquire --scope company --period 2026-11 --value 1
expect_usage '--value needs a value' f target set --metric entries --stage acquire --scope company --period 2026-11 --value
expect_usage "unknown option '--target'" f target set --target 1
expect_usage "unknown option '--bogus'" f target list --bogus
expect_usage "unexpected argument" f target list 2026-11

step 'target list'
expect_ok f target list --period 2026-11 --json
expect_json 'length' 4
expect_json '[.[] | .scope_kind] | join(",")' 'company,team,user,user'
expect_ok f target list --json
expect_json 'length' 5
expect_ok f --lang en target list
expect_stdout_contains 'team:华东一部'
expect_stdout_contains '30.5%'
expect_stdout_contains '128000.50'
expect_error period f target list --period 2026-Q5

step 'report targets half-way through November'
expect_ok f report targets --json
expect_json '.period.key + " " + (.elapsed | tostring)' '2026-11 0.5'
expect_json '.targets | length' 4
expect_json '.targets[] | select(.metric == "entries" and .scope == "") | [.target, .actual, .expected, .on_track] | map(tostring) | join(" ")' \
	'10 3 5 false'
expect_json '.targets[] | select(.metric == "entries" and .scope == "sun") | [.actual, .expected, .on_track] | map(tostring) | join(" ")' \
	'1 2 false'
# li's deadlines due by now: n1 met in time, n2 never followed up
expect_json '.targets[] | select(.metric == "sla_compliance") | [.actual, .on_track] | map(tostring) | join(" ")' '0.5 false'
# 华东一部's cohort of November: n1, n2 both qualified, neither went on
expect_json '.targets[] | select(.metric == "conversion") | [.actual, .on_track] | map(tostring) | join(" ")' '0 false'
expect_ok f report targets --period 2026-Q4 --json
expect_json '.targets | map(.metric + ":" + .scope) | join(",")' 'won_amount:li'
expect_ok f --lang en report targets --csv
expect_stdout_contains 'Scope,Metric,Stage,Target,Actual,Attainment,Expected by now,Pace'
expect_stdout_contains 'behind'
expect_error period f report targets --period 2026-11-01
expect_usage "unknown option '--from'" f report targets --from 2026-11-01

step 'plan from history, --apply makes the targets'
expect_ok f plan --revenue 1000000 --period 2026-Q4 --json
expect_json '[.avg_deal, .wins, .history.leads, .history.won_count] | map(tostring) | join(" ")' '20000000 5 4 1'
expect_json '[.stages[].needed] | map(tostring) | join(" ")' '20 15 10 5 5 5'
expect_json '.applied' false
expect_ok f --lang en plan --revenue 1000000 --period 2026-Q4
expect_stdout_contains '5 wins'
expect_ok f target list --period 2026-Q4 --json
expect_json 'length' 1
refused "cannot see the company's history" f --as li plan --revenue 1000000 --period 2026-Q4 --apply
refused "cannot see the company's history" f --as li plan --revenue 1000000 --period 2026-Q4
refused "cannot set the company's targets" f --as wang plan --revenue 1000000 --period 2026-Q4 --apply
expect_ok f --as boss plan --revenue 1000000 --period 2026-Q4 --apply --json
expect_json '.applied' true
expect_ok f target list --period 2026-Q4 --json
expect_json 'length' 8
expect_json '[.[] | select(.scope_kind == "company") | .metric + ":" + .stage + "=" + (.value | tostring)] | join(" ")' \
	'entries:acquire=20 entries:qualify=15 entries:discover=10 entries:propose=5 entries:negotiate=5 won_count:won=5 won_amount:won=100000000'
refused period f plan --revenue 1000000 --period 2024-Q1
refused period f plan --revenue 1000000 --period 2026-Q7
refused revenue f plan --revenue 1,000,000 --period 2026-Q4
expect_usage '--revenue is required' f plan --period 2026-Q4
expect_usage '--apply takes no value' f plan --revenue 1 --period 2026-Q4 --apply=yes

step 'what-if: one stage, and every stage ranked'
# the last 12 months: h1..h4 and n1..n3: reached 7, 5, 2, 1, 1, 1; average deal 200000
expect_ok f whatif --stage qualify --points 5 --json
expect_json '[.stages[0].reached, .stages[0].extra_wins, .stages[0].extra_revenue] | map(tostring) | join(" ")' '5 0.125 2500000'
expect_ok f whatif --json
expect_json '[.stages[] | .key + "=" + (.extra_revenue | tostring)] | join(" ")' \
	'qualify=500000 discover=400000 acquire=280000 propose=0 negotiate=0'
expect_ok f --lang en whatif
expect_stdout_contains 'Extra revenue'
expect_error stage f whatif --stage won
expect_error stage f whatif --stage nosuch
expect_error points f whatif --stage qualify --points 0
expect_error points f whatif --points lots
expect_usage "unknown option '--by'" f whatif --by channel

step 'report team and report bottleneck'
expect_ok f report team --from 2026-11-01 --to 2026-11-30 --json
expect_json '[.reps[].key] | join(",")' 'li,sun'
expect_json '.reps[] | select(.key == "li") | [.sla.due, .sla.met, .activities, .leads] | map(tostring) | join(" ")' '2 1 1 2'
expect_json '.reps[] | select(.key == "li") | .stages[] | select(.key == "acquire") | [.conversion, .rest_conversion] | map(tostring) | join(" ")' '1 0'
expect_usage "by: report team is always per rep" f report team --by channel
expect_ok f report bottleneck --json
expect_json '.period.from + " " + .reference_period.from' '2026-11-01T00:00:00+08:00 2026-08-01T00:00:00+08:00'
expect_json '.transitions | length' 5
expect_json 'has("bottleneck")' true
expect_ok f report bottleneck --from 2026-11-01 --to 2026-11-30 --json
expect_json '.period.target_period' 2026-11
expect_ok f --lang en report bottleneck --csv
expect_stdout_contains 'Transition'
expect_error from f report bottleneck --from 2026-12-01

finish
