#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# Shaping the pipeline (SPEC §2): before the first lead, stages can be added, removed and reordered
# within 3 to 10 stages, and the last stage is the one that wins; after it, they can only be renamed.
. "$(dirname "$0")/lib.sh"

expect_ok f init
expect_ok f user add li --name 李娜 --role sales

# keys: the stage keys in order, comma-separated, from the last stdout
keys() {
	getj stage_keys '[.stages[].key] | join(",")'
}

step 'add a stage after negotiate'
expect_ok f stage add contract --name 签约 --name-en Contract --probability 90 --after negotiate --json
keys
expect_eq 'stages' 'acquire,qualify,discover,propose,negotiate,contract,won' "$stage_keys"
expect_json '.stages[5].name.en + " " + (.stages[5].probability * 100 | round | tostring)' 'Contract 90'
expect_json '[.stages[].pos] | join(",")' '1,2,3,4,5,6,7'
expect_ok f stage add intake --name 接入 --probability 1 --json
keys
expect_eq 'stages after adding one with no --after' \
	'intake,acquire,qualify,discover,propose,negotiate,contract,won' "$stage_keys"
expect_json '.stages[0].name.en' '接入'

step 'reorder and remove'
expect_ok f stage move discover --after propose --json
keys
expect_eq 'stages after a move' 'intake,acquire,qualify,propose,discover,negotiate,contract,won' "$stage_keys"
expect_ok f stage move acquire --json
keys
expect_eq 'stages after a move to the front' 'acquire,intake,qualify,propose,discover,negotiate,contract,won' "$stage_keys"
expect_ok f stage remove intake --json
expect_ok f stage remove won --json
keys
expect_eq 'stages after removing two' 'acquire,qualify,propose,discover,negotiate,contract' "$stage_keys"

step 'refused changes: limits, unknown keys, bad values, not admin; nothing changes'
snapshot shape
expect_error 'stage' f stage remove nosuch
expect_error 'after' f stage add x --name x --probability 5 --after nosuch
expect_error "'qualify'" f stage add qualify --name x --probability 5
expect_error 'probability' f stage add x --name x --probability 101
expect_error 'key' f stage add 'Bad Key' --name x --probability 5
expect_error 'cannot' f --as li stage add x --name x --probability 5
expect_usage '--probability is required' f stage add x --name x
expect_unchanged shape
expect_ok f stage remove discover
expect_ok f stage remove negotiate
expect_ok f stage remove propose
expect_ok f stage list --json
keys
expect_eq 'stages at the minimum' 'acquire,qualify,contract' "$stage_keys"
snapshot three
expect_error 'at least 3' f stage remove qualify
expect_unchanged three
for k in 1 2 3 4 5 6 7; do
	expect_ok f stage add "s$k" --name "阶段$k" --probability $((k * 10)) --after qualify
done
expect_ok f stage list --json
expect_json '.stages | length' 10
snapshot ten
expect_error 'at most 10' f stage add s8 --name 阶段8 --probability 80
expect_unchanged ten

step 'leads start at the first stage and win at the last one'
expect_ok f lead add --company '长沙麓谷软件有限公司' --contact '谭' --channel sem --phone 13912340001 --json
expect_json '.stage + " " + .status' 'acquire open'
getj id '.id'
# the last stage, whatever its key, has the gate of the deal; the deal moves the lead there
snapshot nodeal
expect_error "gate 'won': no deal" f lead move "$id" --to contract
expect_unchanged nodeal
expect_ok f deal close "$id" --contract HT-1 --amount 30000 --signed 2026-11-27 --json
expect_json '.stage + " " + .status + " " + .reached_stage' 'contract won contract'
expect_ok f stage list --json
expect_json '[.stages[].reached] | join(",")' '1,1,1,1,1,1,1,1,1,1'

step 'once there are leads, stages can only be renamed'
snapshot used
expect_error 'already has leads' f stage add late --name 迟到 --probability 5
expect_error 'already has leads' f stage remove s1
expect_error 'already has leads' f stage move s1
expect_unchanged used
expect_ok f stage edit contract --name 合同签订 --name-en 'Contract signed' --probability 95 --json
expect_json '.stages[-1].name.zh + "|" + .stages[-1].name.en' '合同签订|Contract signed'
expect_ok f --lang en lead show "$id"
expect_stdout_contains 'Contract signed'

finish
