#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# Moving a lead through the stages (SPEC §2): forward skipping stages, back only with a note (a
# refused move changes nothing), lose with a reason, reopen, win at the last stage (by the deal: the
# stage gates are on); each change is a stage event in `lead show --json`, and the stage table
# counts reached stages. The gates themselves: t0013-sale.sh.
. "$(dirname "$0")/lib.sh"

expect_ok f init
expect_ok f user add li --name 李娜 --role sales
expect_ok f lead add --company '北京华信精密机械有限公司' --contact '刘强' --channel trade_show \
	--phone 13912340001 --json
getj id '.id'
expect_ok f lead score "$id" --budget 4 --need 4 --decision 4 --urgency 4 --json
expect_json '.stage + " " + .reached_stage' 'qualify qualify'

# show_lead FILE: save `lead show ID --json` in $TMP/FILE
show_lead() {
	expect_ok f lead show "$id" --json
	save "$1"
}

step 'the stage gates refuse a skip into negotiate without a confirmed needs list and a solution'
snapshot gates
expect_error "gate 'propose': no customer needs list" f --now 2026-11-28T09:00:00+08:00 lead move "$id" --to negotiate
expect_stderr_contains "gate 'negotiate': no solution item"
expect_unchanged gates
ready_for "$id" negotiate

step 'move forward skipping discover and propose'
expect_ok f --now 2026-11-28T09:00:00+08:00 lead move "$id" --to negotiate --json
expect_json '.stage + " " + .reached_stage + " " + .status' 'negotiate negotiate open'
expect_json '.stage_name.en' 'Negotiation & closing'
expect_ok f stage list --json
expect_json '[.stages[].reached] | join(",")' '1,1,1,1,1,0'
expect_json '[.stages[].at_stage] | join(",")' '0,0,0,0,1,0'

step 'move back without a note exits 1, naming the note, and changes nothing'
show_lead before.json
snapshot back
expect_error 'note' f --now 2026-11-28T10:00:00+08:00 lead move "$id" --to discover
expect_error 'note' f --now 2026-11-28T10:00:00+08:00 lead move "$id" --to discover --note '   '
expect_unchanged back
show_lead after.json
expect_same_file 'lead show --json after a refused move back' "$TMP/before.json" "$TMP/after.json"

step 'other refused moves: same stage, unknown stage, unknown lead, bad id'
expect_error "already at 'negotiate'" f lead move "$id" --to negotiate
expect_error 'to' f lead move "$id" --to nosuch
expect_stderr_contains "'nosuch'"
expect_error 'to' f lead move "$id" --to ''
expect_error 'no lead 999' f lead move 999 --to won
expect_usage 'id' f lead move abc --to won
expect_usage '--to is required' f lead move "$id"
expect_unchanged back

step 'move back with a note: the stage goes back, the furthest reached stage stays'
expect_ok f --now 2026-11-28T11:00:00+08:00 lead move "$id" --to discover --note '决策链没摸清' --json
expect_json '.stage + " " + .reached_stage + " " + .status' 'discover negotiate open'
expect_ok f stage list --json
expect_json '[.stages[].reached] | join(",")' '1,1,1,1,1,0'
expect_json '[.stages[].at_stage] | join(",")' '0,0,1,0,0,0'

step 'lose with a reason at the current stage'
snapshot lose
expect_error 'reason' f lead lose "$id" --reason nosuch
expect_usage '--reason is required' f lead lose "$id"
expect_unchanged lose
expect_ok f --now 2026-11-29T09:00:00+08:00 lead lose "$id" --reason competitor --note '选了竞品' --json
expect_json '.status + " " + .stage' 'lost discover'
expect_json '.lost_reason + " " + .lost_stage + " " + .lost_at' 'competitor discover 2026-11-29T09:00:00+08:00'
expect_json '.lost_reason_name.zh' '竞争对手'
expect_json '.next_action' null
expect_ok f lead show "$id" --json
expect_json '[.tasks[] | select(.state == "open" or .state == "overdue")] | length' 0
expect_ok f --now 2026-11-29T09:00:00+08:00 queue --as li --json
expect_json "[.queue[] | select(.id == $id)] | length" 0
expect_ok f stage list --json
expect_json '[.stages[].at_stage] | add' 0

step 'a lost lead does not move and is not lost twice'
snapshot lost
expect_error 'reopen' f lead move "$id" --to propose
expect_error 'lost' f lead lose "$id" --reason price
expect_unchanged lost

step 'reopen: open again at the same stage, with a new deadline'
expect_ok f --now 2026-11-30T09:00:00+08:00 lead reopen "$id" --note '对手交付出问题' --json
expect_json '.status + " " + .stage + " " + .reached_stage' 'open discover negotiate'
expect_json '[.lost_reason, .lost_stage, .lost_at] | map(select(. != null)) | length' 0
expect_json '.sla_due_at + " " + .sla_state' '2026-12-02T09:00:00+08:00 pending'
expect_error 'reopen' f lead reopen "$id"

step 'move to won: refused without a deal; the deal wins the lead, every open task cancelled'
snapshot nodeal
expect_error "gate 'won': no deal" f --now 2026-12-01T16:00:00+08:00 lead move "$id" --to won
expect_unchanged nodeal
expect_ok f --now 2026-12-01T16:00:00+08:00 deal close "$id" --contract HT-0004 --amount 50000 --signed 2026-12-01 --json
expect_json '.status + " " + .stage + " " + .reached_stage' 'won won won'
expect_json '.won_at' '2026-12-01T16:00:00+08:00'
expect_json '.next_action' null
expect_ok f stage list --json
expect_json '[.stages[].reached] | join(",")' '1,1,1,1,1,1'
expect_json '.stages[5].at_stage' 1

step 'a won lead is final'
snapshot won
expect_error 'won' f lead move "$id" --to negotiate --note 'x'
expect_error 'won' f lead lose "$id" --reason price
expect_error 'won' f lead reopen "$id"
expect_unchanged won

step 'the stage events, in order, with kinds, stages, times, users, notes and reasons'
expect_ok f lead show "$id" --json
expect_json '[.stage_events[].kind] | join(",")' 'capture,forward,forward,back,lose,reopen,forward'
expect_json '[.stage_events[] | (.from // "-") + ">" + .to] | join(",")' \
	'->acquire,acquire>qualify,qualify>negotiate,negotiate>discover,discover>discover,discover>discover,discover>won'
expect_json '[.stage_events[].at] | join(",")' \
	'2026-11-27T10:00:00+08:00,2026-11-27T10:00:00+08:00,2026-11-28T09:00:00+08:00,2026-11-28T11:00:00+08:00,2026-11-29T09:00:00+08:00,2026-11-30T09:00:00+08:00,2026-12-01T16:00:00+08:00'
expect_json '.stage_events[3].note' '决策链没摸清'
expect_json '.stage_events[4].reason + " " + .stage_events[4].note' 'competitor 选了竞品'
expect_json '.stage_events[5].note' '对手交付出问题'
expect_json '.stage_events[6].note' 'deal HT-0004'
expect_json '[.stage_events[].user] | unique | join(",")' admin
expect_json '[.stage_events[].id] | . == sort' true
expect_ok f lead show "$id"
expect_stdout_contains '需求深度挖掘 → 成交转化与售后'
expect_stdout_contains '竞争对手: 选了竞品'

step 'events are attributed to the acting user'
expect_ok f lead add --company '深圳前海数科有限公司' --contact '何' --channel sem --phone 13912340002 --owner li --json
getj id2 '.id'
expect_ok f --as li lead move "$id2" --to discover --json
expect_ok f lead show "$id2" --json
expect_json '.stage_events[-1].user + " " + .stage_events[-1].kind' 'li forward'
expect_json '.reached_stage' discover

step 'a nurture lead is not moved, but can be lost or reopened'
expect_ok f lead add --company '成都天府文旅有限公司' --contact '杨' --channel sem --phone 13912340003 --json
getj id3 '.id'
expect_ok f lead score "$id3" --budget 1 --need 2 --decision 1 --urgency 1 --json
expect_json '.status' nurture
expect_error 'nurture' f lead move "$id3" --to discover
expect_ok f lead reopen "$id3" --json
expect_json '.status + " " + .stage' 'open qualify'
expect_json '.sla_state' pending
expect_ok f lead show "$id3" --json
expect_json '[.tasks[] | select(.kind == "touch" or .kind == "reevaluate") | .state] | unique | join(",")' cancelled
expect_ok f lead add --company '成都天府旅游有限公司' --contact '杨二' --channel sem --phone 13912340004 --json
getj id4 '.id'
expect_ok f lead score "$id4" --budget 1 --need 1 --decision 1 --urgency 1 --json
expect_ok f lead lose "$id4" --reason no_budget --json
expect_json '.status + " " + .lost_stage + " " + .lost_reason' 'lost qualify no_budget'

step 'an invalid lead does not move'
expect_ok f lead add --company '测试' --contact '某' --channel sem --phone 13912340005 --json
getj id5 '.id'
expect_json '.status' invalid
expect_error 'invalid' f lead move "$id5" --to qualify

step 'the stage table counts every valid lead'
expect_ok f stage list --json
# id won; id2 at discover; id3 open at qualify; id4 lost at qualify
expect_json '[.stages[].reached] | join(",")' '4,4,2,1,1,1'
expect_json '[.stages[].at_stage] | join(",")' '0,1,1,0,0,1'
expect_ok f stage list
expect_stdout_matches '^3 +discover +需求深度挖掘 +25% +1 +2 +50\.0%'

finish
