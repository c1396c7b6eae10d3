#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# lead list and stage list on the demo, checked against an independent reference: the same figures
# computed by jq from the full list. Filters, newest-first order, --limit, who sees what (SPEC §8),
# and unknown filter values (exit 1 naming the filter, not an empty list).
. "$(dirname "$0")/lib.sh"

expect_ok f init --demo --seed 5
expect_ok f lead list --limit 0 --status all --json
save all.json
getj n_all '.leads | length'
expect_int 'demo leads' -ge 300 "$n_all"

# ids FILTER: the ids, in order, of the leads of all.json that FILTER (a jq condition on a lead) keeps
ids() {
	jq -c "[.leads[] | select($1) | .id]" "$TMP/all.json"
}
# expect_list WHAT JQ-CONDITION funnel-lead-list-options...: lead list with the options gives exactly
# the leads of the reference, in the same order
expect_list() {
	el_what=$1
	el_ref=$(ids "$2")
	shift 2
	expect_ok f lead list --limit 0 --json "$@"
	el_got=$(jq -c '[.leads[].id]' "$TMP/stdout")
	expect_eq "ids of lead list $el_what" "$el_ref" "$el_got"
}

step 'the full list is newest capture first, ties by id'
expect_json '[.leads[] | [.captured_at, .id]] | . == (sort | reverse)' true

step 'filters against the reference'
expect_list 'default' '.status != "invalid" and .status != "merged"'
expect_list '--status open' '.status == "open"' --status open
expect_list '--status nurture' '.status == "nurture"' --status nurture
expect_list '--status won' '.status == "won"' --status won
expect_list '--status lost' '.status == "lost"' --status lost
expect_list '--status invalid' '.status == "invalid"' --status invalid
expect_list '--status merged' '.status == "merged"' --status merged
expect_list '--grade A' '.grade == "A" and .status != "invalid" and .status != "merged"' --grade A
expect_list '--grade C --status all' '.grade == "C"' --grade C --status all
expect_list '--stage propose' '.stage == "propose" and .status != "invalid" and .status != "merged"' --stage propose
expect_list '--owner zhangwei --status won' '.owner == "zhangwei" and .status == "won"' --owner zhangwei --status won
expect_list '--channel trade_show --grade B' \
	'.channel == "trade_show" and .grade == "B" and .status != "invalid" and .status != "merged"' \
	--channel trade_show --grade B
for s in open nurture won lost invalid merged; do
	getj n_s "[.leads[] | select(.status == \"$s\")] | length" "$TMP/all.json"
	expect_int "demo leads with status $s" -gt 0 "$n_s"
done

step '--limit keeps the newest N; the text list says when it cut'
expect_ok f lead list --limit 5 --json
expect_eq 'lead list --limit 5' "$(ids '.status != "invalid" and .status != "merged"' | jq -c '.[:5]')" \
	"$(jq -c '[.leads[].id]' "$TMP/stdout")"
expect_ok f lead list --limit 5
expect_stdout_contains '(first 5; --limit 0 for all)'
expect_ok f lead list
expect_stdout_contains '(first 50; --limit 0 for all)'
expect_error 'limit' f lead list --limit -1
expect_error 'limit' f lead list --limit many

step 'unknown filter values exit 1 naming the filter'
expect_error 'status' f lead list --status wn
expect_error 'grade' f lead list --grade D
expect_error 'stage' f lead list --stage nosuch
expect_error 'owner' f lead list --owner nobody
expect_error 'channel' f lead list --channel nosuch

step 'the stage table against the reference'
expect_ok f stage list --json
save stages.json
pos_of='{"acquire":1,"qualify":2,"discover":3,"propose":4,"negotiate":5,"won":6}'
k=1
for key in acquire qualify discover propose negotiate won; do
	getj ref_reached "[.leads[] | select(.status != \"invalid\" and .status != \"merged\")
		| select(${pos_of}[.reached_stage] >= $k)] | length" "$TMP/all.json"
	getj ref_at "[.leads[] | select(.stage == \"$key\" and
		(.status == \"open\" or .status == \"nurture\" or .status == \"won\"))] | length" "$TMP/all.json"
	expect_json ".stages[$((k - 1))].key" "$key"
	expect_json ".stages[$((k - 1))].reached" "$ref_reached"
	expect_json ".stages[$((k - 1))].at_stage" "$ref_at"
	k=$((k + 1))
done
expect_json '[.stages[].reached] | . == (sort | reverse)' true
expect_json '[.stages[].probability * 100 | round] | join(",")' '5,10,25,50,75,100'

step 'who sees what: sales their own leads'
expect_list 'as zhangwei' '.owner == "zhangwei"' --as zhangwei --status all
getj n_own '[.leads[] | select(.owner == "zhangwei")] | length' "$TMP/all.json"
expect_int 'leads of zhangwei' -gt 0 "$n_own"
getj other '[.leads[] | select(.owner == "lina")][0].id' "$TMP/all.json"
expect_error 'cannot see' f --as zhangwei lead show "$other"

step 'marketing reads leads up to qualify, after-sales won customers'
expect_list 'as marketing' '(.stage == "acquire" or .stage == "qualify")' --as zhaomin --status all
expect_list 'as after-sales' '.status == "won"' --as sunli --status all
getj won_id '[.leads[] | select(.status == "won")][0].id' "$TMP/all.json"
expect_ok f --as sunli lead show "$won_id" --json
expect_json '.status' won
expect_error 'cannot' f --as zhaomin lead move "$won_id" --to negotiate --note x

finish
