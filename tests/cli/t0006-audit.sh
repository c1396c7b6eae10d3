#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# The audit log (SPEC §8): every change, who, when, what, before -> after, oldest first; per lead with
# --lead; configuration changes; --limit keeps the newest; a failed command writes no entry; users
# other than admins see only what concerns the leads they may see.
. "$(dirname "$0")/lib.sh"

expect_ok f init
expect_ok f user add li --name 李娜 --role sales
expect_ok f user add wu --name 吴刚 --role sales

step 'add, score, move, assign, edit a lead at distinct times'
expect_ok f --now 2026-11-27T10:00:00+08:00 lead add --company '无锡新纪元电子有限公司' --contact '蒋' \
	--channel sem --phone 13912340001 --owner li --json
getj id '.id'
expect_ok f --now 2026-11-27T11:00:00+08:00 --as li lead score "$id" --budget 4 --need 4 --decision 4 --urgency 4
expect_ok f --now 2026-11-27T12:00:00+08:00 --as li lead move "$id" --to discover
expect_ok f --now 2026-11-27T13:00:00+08:00 lead assign "$id" --owner wu --note '李娜休假'
expect_ok f --now 2026-11-27T14:00:00+08:00 --as wu lead edit "$id" --title '技术总监' --amount 88000.50

step 'a refused command leaves no entry'
expect_error 'note' f --now 2026-11-27T15:00:00+08:00 lead move "$id" --to qualify
expect_error 'cannot reassign' f --now 2026-11-27T15:00:00+08:00 --as wu lead assign "$id" --owner li

step 'audit --lead: the entries of the lead, in order, with user, time and before/after'
expect_ok f audit --lead "$id" --json
expect_json '[.audit[].action] | join(",")' 'create,score,move,assign,edit'
expect_json '[.audit[].user] | join(",")' 'admin,li,li,admin,wu'
expect_json '[.audit[].at] | join(",")' \
	'2026-11-27T10:00:00+08:00,2026-11-27T11:00:00+08:00,2026-11-27T12:00:00+08:00,2026-11-27T13:00:00+08:00,2026-11-27T14:00:00+08:00'
expect_json '[.audit[] | .entity + ":" + .entity_id + ":" + (.lead_id | tostring)] | unique | join(",")' "lead:$id:$id"
expect_json '[.audit[].id] | . == sort' true
# create: nothing before, the captured lead after
expect_json '.audit[0].before' null
expect_json '.audit[0].after.company + " " + .audit[0].after.phone + " " + .audit[0].after.owner' \
	'无锡新纪元电子有限公司 13912340001 li'
expect_json '.audit[0].after.status + " " + .audit[0].after.stage' 'open acquire'
# score: the scores and the grade, before and after
expect_json '.audit[1].before.grade + "|" + .audit[1].after.grade' '|A'
expect_json '[.audit[1].after.budget, .audit[1].after.need, .audit[1].after.decision, .audit[1].after.urgency] | join(",")' \
	'4,4,4,4'
expect_json '.audit[1].before.stage + ">" + .audit[1].after.stage' 'acquire>qualify'
# move
expect_json '.audit[2].before.stage + ">" + .audit[2].after.stage' 'qualify>discover'
# assign
expect_json '.audit[3].before.owner + ">" + .audit[3].after.owner' 'li>wu'
# edit: only what changed
expect_json '.audit[4].before.title + ">" + .audit[4].after.title' '>技术总监'
expect_json '.audit[4].after.amount' 8800050
expect_json '.audit[4].after | has("company")' false

step 'activities, losing, reopening, the sale and winning are logged too'
expect_ok f --now 2026-11-28T09:00:00+08:00 --as wu activity add "$id" --kind call --summary '电话沟通'
expect_ok f --now 2026-11-28T10:00:00+08:00 --as wu lead lose "$id" --reason timing
expect_ok f --now 2026-11-28T11:00:00+08:00 lead reopen "$id"
expect_ok f --now 2026-11-28T11:10:00+08:00 --as wu needs add "$id" --text '产线数据采集' --priority 1
expect_ok f --now 2026-11-28T11:20:00+08:00 --as wu needs confirm "$id" --how email
expect_ok f --now 2026-11-28T11:30:00+08:00 --as wu solution add "$id" --need N1 --function '采集网关' --value '实时看板'
expect_ok f --now 2026-11-28T12:00:00+08:00 deal close "$id" --contract 'HT-2026-118' --amount 88000.50 \
	--signed 2026-11-28
expect_ok f audit --lead "$id" --json
expect_json '[.audit[].action] | join(",")' \
	'create,score,move,assign,edit,create,follow_up,lose,reopen,add_need,confirm,create,create,win'
expect_json '.audit[5].entity + " " + .audit[5].after.kind + " " + .audit[5].after.summary' 'activity call 电话沟通'
expect_json '.audit[6].after.first_contact_at' '2026-11-28T09:00:00+08:00'
expect_json '.audit[7].before.status + ">" + .audit[7].after.status + " " + .audit[7].after.lost_reason' 'open>lost timing'
expect_json '.audit[8].before.status + ">" + .audit[8].after.status' 'lost>open'
expect_json '[.audit[9,10,11,12] | .entity + ":" + .entity_id + ":" + .user] | join(",")' \
	"needs:$id/v1:wu,needs:$id/v1:wu,solution:1:wu,deal:$id:admin"
expect_json '.audit[9].after.text + " " + (.audit[9].after.priority | tostring)' '产线数据采集 1'
expect_json '.audit[10].after.how + " " + .audit[10].after.confirmed_at' 'email 2026-11-28T11:20:00+08:00'
expect_json '.audit[11].after.function + " " + (.audit[11].after.need | tostring)' '采集网关 1'
expect_json '.audit[12].after.contract + " " + (.audit[12].after.amount | tostring)' 'HT-2026-118 8800050'
expect_json '.audit[13].before.status + ">" + .audit[13].after.status + " " + .audit[13].after.won_at' \
	'open>won 2026-11-28T12:00:00+08:00'
expect_ok f audit --lead "$id"
expect_stdout_contains 'lead 1'
expect_stdout_contains '"owner":"wu"'
expect_stdout_matches '^2026-11-27 13:00 +admin +lead 1 +assign'

step 'audit lists configuration and user changes'
expect_ok f --now 2026-11-29T09:00:00+08:00 config set sla.a_hours 24
expect_ok f --now 2026-11-29T09:05:00+08:00 config set score.weight.budget 1.5
expect_ok f --now 2026-11-29T09:10:00+08:00 user edit li --team 华南一部
expect_ok f audit --json
expect_json '[.audit[] | select(.entity == "config") | .entity_id + ":" + .before.value + ">" + .after.value] | join(",")' \
	'sla.a_hours:48>24,score.weight.budget:1>1.5'
expect_json '[.audit[] | select(.entity == "config") | .user + " " + .action + " " + .at] | join(",")' \
	'admin set 2026-11-29T09:00:00+08:00,admin set 2026-11-29T09:05:00+08:00'
expect_json '[.audit[] | select(.entity == "config") | .lead_id] | . == [null, null]' true
expect_json '.audit[-1].entity + " " + .audit[-1].entity_id + " " + .audit[-1].action' 'user li edit'
expect_json '.audit[-1].after.team' '华南一部'
expect_json '[.audit[] | select(.entity == "user" and .action == "create") | .entity_id] | join(",")' 'admin,li,wu'
expect_ok f audit
expect_stdout_contains 'config sla.a_hours'
expect_stdout_contains '{"value":"48"}'

step 'audit --limit N keeps the newest N, oldest first'
expect_ok f audit --limit 0 --json
getj n_all '.audit | length'
getj last_id '.audit[-1].id'
expect_ok f audit --limit 2 --json
expect_json '.audit | length' 2
expect_json '.audit[1].id' "$last_id"
expect_json '.audit[0].id < .audit[1].id' true
expect_ok f audit --limit 1000 --json
expect_json '.audit | length' "$n_all"
expect_error 'limit' f audit --limit -1
expect_usage 'lead' f audit --lead abc

step 'what a sales consultant sees: the entries of their own leads only'
expect_ok f --now 2026-11-30T09:00:00+08:00 lead add --company '温州东方阀门有限公司' --contact '林' \
	--channel sem --phone 13912340002 --owner li --json
getj id2 '.id'
expect_ok f --as li audit --json
expect_json '[.audit[].lead_id] | unique | join(",")' "$id2"
expect_json '[.audit[] | select(.entity == "config")] | length' 0
expect_error 'cannot' f --as li audit --lead "$id"
expect_ok f --as wu audit --lead "$id" --json
expect_json '.audit | length' 14

finish
