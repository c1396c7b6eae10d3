#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# funnel lead add (SPEC §3): every field, cleaning (phone normalisation, full-width folding, each
# invalid reason), duplicates (a re-inquiry on the open lead), returning customers, assignment, and
# the errors: usage (exit 2) and bad values (exit 1, one line naming the field), storing nothing.
. "$(dirname "$0")/lib.sh"

expect_ok f init
expect_ok f user add li --name 李娜 --role sales
expect_ok f user add wu --name 吴刚 --role sales
expect_ok f user add mk --name 赵敏 --role marketing

# count_leads: the number of stored records, whatever their status
count_leads() {
	run f lead list --limit 0 --status all --json
	[ "$T_RC" -eq 0 ] || fail 'lead list exit 0' "exit $T_RC"
	getj n_stored '.leads | length'
}

step 'lead add with every field'
expect_ok f lead add --company '上海精测仪器有限公司' --contact '王建国' --title '采购经理' \
	--phone '+86 138-0013-8001' --email 'Wang.JG@jingce.com.cn' --wechat 'wjg_2026' --industry '制造业' \
	--size '100-499' --region '上海/浦东' --channel trade_show --source '2026 工博会' \
	--consent '展会现场书面同意' --notes '要三台样机' --owner wu --captured-at 2026-11-26T15:30:00+08:00 --json
getj id1 '.id'
expect_int 'id of the first lead' -eq 1 "$id1"
expect_json '.company' '上海精测仪器有限公司'
expect_json '.contact' '王建国'
expect_json '.title' '采购经理'
expect_json '.phone' '13800138001'
expect_json '.email' 'Wang.JG@jingce.com.cn'
expect_json '.wechat' 'wjg_2026'
expect_json '.industry' '制造业'
expect_json '.size' '100-499'
expect_json '.region' '上海/浦东'
expect_json '.channel' 'trade_show'
expect_json '.channel_name.zh' '行业展会'
expect_json '.source' '2026 工博会'
expect_json '.consent' '展会现场书面同意'
expect_json '.notes' '要三台样机'
expect_json '.owner' 'wu'
expect_json '.captured_at' '2026-11-26T15:30:00+08:00'
expect_json '.created_at' '2026-11-27T10:00:00+08:00'
expect_json '.stage' 'acquire'
expect_json '.status' 'open'
expect_json '.to_follow_up' true
expect_json '.grade' null
expect_json '.score' null
expect_json '.sla_due_at' null
expect_json '.invalid_reason' null
expect_json '.merged_into' null
expect_json '.returning_of' null
expect_json '.result' 'created'
expect_json '[.id, .company, .contact, .phone, .stage, .status, .grade, .score, .owner, .captured_at,
	.sla_due_at, .invalid_reason, .merged_into, .result] | length' 14
expect_json '[has("id", "company", "contact", "phone", "stage", "status", "grade", "score", "owner",
	"captured_at", "sla_due_at", "invalid_reason", "merged_into", "result")] | all' true

step 'the stored lead reads back the same, with the capture event'
expect_ok f lead show "$id1" --json
expect_json '.phone + " " + .captured_at + " " + .owner' '13800138001 2026-11-26T15:30:00+08:00 wu'
expect_json '.stage_events | length' 1
expect_json '.stage_events[0].kind + " " + .stage_events[0].to' 'capture acquire'
expect_json '.stage_events[0].at' '2026-11-26T15:30:00+08:00'
expect_ok f lead show "$id1"
expect_stdout_contains '待跟进'
expect_stdout_contains '13800138001'

step 'captured-at defaults to --now, in +08:00'
expect_ok f lead add --company '杭州云帆软件有限公司' --contact '陈思' --channel website --phone '13912345601' --json
getj id2 '.id'
expect_json '.captured_at' '2026-11-27T10:00:00+08:00'
expect_json '.result' 'created'
expect_json '.title + .email + .wechat + .industry + .size + .region + .source + .consent + .notes' ''

step 'round-robin assignment over the active sales consultants'
getj owner2 '.owner'
expect_ok f lead add --company '苏州恒通物流有限公司' --contact '孙磊' --channel sem --phone '13912345602' --json
getj owner3 '.owner'
expect_ne 'owner of the next unassigned lead' "$owner2" "$owner3"
case "$owner2 $owner3" in
'li wu' | 'wu li') pass ;;
*) fail 'the two sales consultants li and wu' "$owner2 and $owner3" ;;
esac
expect_ok f user edit wu --active no
expect_ok f lead add --company '南京启明科技有限公司' --contact '周一' --channel sem --phone '13912345603' --json
expect_json '.owner' li
expect_ok f lead add --company '南京启明科技二有限公司' --contact '周二' --channel sem --phone '13912345604' --json
expect_json '.owner' li
expect_ok f user edit wu --active yes

step 'phone normalisation: +86, spaces, dashes, brackets, 0086, full-width digits, extensions'
check_phone() { # check_phone RAW NORMALISED
	cp_n=$((cp_n + 1))
	expect_ok f lead add --company "归一化测$cp_n" --contact "联系人$cp_n" --channel sem --phone "$1" --json
	expect_json '.phone' "$2"
	expect_json '.status' open
}
cp_n=0
check_phone '+86 139-0013-9001' 13900139001
check_phone '１３９００１３９００２' 13900139002
check_phone '＋８６　１３９ ００１３ ９００３' 13900139003
check_phone '0086 139 0013 9004' 13900139004
check_phone '(021) 6555-0101' 02165550101
check_phone '021-6555 0102' 02165550102
check_phone '+86 21 6555 0103' 02165550103
check_phone '+44 20 7946 0958' +442079460958
check_phone '010-6555 0104 转 123' 01065550104-123
check_phone '0755-6555 0105-8001' 075565550105-8001
check_phone '013900139005' 13900139005
check_phone '8613900139006' 13900139006

step 'each invalid reason is a stable key; invalid leads are stored but not listed'
check_invalid() { # check_invalid REASON lead-add-options...
	ci_reason=$1
	shift
	expect_ok f lead add --channel sem "$@" --json
	expect_json '.status + " " + .invalid_reason + " " + .result' "invalid $ci_reason invalid"
	expect_json '.invalid_reason_name.en | length > 0' true
	expect_json '.owner' null
	getj ci_id '.id'
}
check_invalid test_phone --company '甲一' --contact '张一' --phone 13333333333
check_invalid test_phone --company '甲二' --contact '张二' --phone 13812345678
check_invalid test_phone --company '甲三' --contact '张三' --phone 13998765432
check_invalid test_phone --company '甲四' --contact '张四' --phone '138-0013-8000'
check_invalid bad_phone --company '甲五' --contact '张五' --phone 12345
check_invalid bad_phone --company '甲六' --contact '张六' --phone '139001390O1'
check_invalid bad_email --company '甲七' --contact '张七' --email 'zhang@'
check_invalid bad_email --company '甲八' --contact '张八' --email 'zhang@example'
check_invalid test_name --company '测试公司' --contact '张九' --phone 13912345610
check_invalid test_name --company 'Test Co' --contact '张十' --phone 13912345611
check_invalid test_name --company '甲十二' --contact 'asdf' --phone 13912345612
check_invalid test_name --company 'ＸＸＸ有限公司' --contact '张十三' --phone 13912345613
check_invalid no_contact --company '甲十四' --contact '张十四'
invalid_id=$ci_id
expect_ok f lead show "$invalid_id" --json
expect_json '.status' invalid
expect_json '.stage_events | length' 0
# a whole word only: "Contest" is not "test"
expect_ok f lead add --company 'Contest Ltd' --contact 'Amy' --channel sem --phone 13912345614 --json
expect_json '.status' open
# the target-industry list applies only once it is set
expect_ok f lead add --company '甲十五' --contact '张十五' --channel sem --industry 餐饮 --phone 13912345615 --json
expect_json '.status' open
expect_ok f config set clean.target_industries '制造业,软件'
check_invalid non_target_industry --company '甲十六' --contact '张十六' --industry 餐饮 --phone 13912345616
expect_ok f lead add --company '甲十七' --contact '张十七' --channel sem --industry 软件 --phone 13912345617 --json
expect_json '.status' open
expect_ok f config set clean.target_industries ''
expect_ok f lead list --limit 0 --json
expect_json '[.leads[] | select(.status == "invalid")] | length' 0
expect_ok f lead list --limit 0 --status invalid --json
expect_json '.leads | length' 14
expect_json '[.leads[].invalid_reason] | unique | join(",")' \
	'bad_email,bad_phone,no_contact,non_target_industry,test_name,test_phone'

step 'a duplicate of an open lead is a re-inquiry on it: result merged, the existing id'
count_leads
before=$n_stored
expect_ok f lead add --company '上海精测' --contact '王工' --channel website --source '白皮书下载' \
	--phone '138 0013 8001' --json
expect_json '.result' merged
expect_json '.id' "$id1"
expect_json '.company' '上海精测仪器有限公司'
expect_json '.owner' wu
getj rec '.merged_record'
expect_int 'merged record id' -gt "$id1" "$rec"
expect_ok f lead show "$rec" --json
expect_json '.status + " " + (.merged_into | tostring)' "merged $id1"
expect_ok f activity list "$id1" --json
expect_json '.activities | length' 1
expect_json '.activities[0].kind' re_inquiry
expect_json '.activities[0].channel' website
expect_json '.activities[0].source' '白皮书下载'
expect_json '.activities[0].merged_record' "$rec"
expect_json '.activities[0].at' '2026-11-27T10:00:00+08:00'
# merged records are kept but never listed by default
expect_ok f lead list --limit 0 --json
expect_json "[.leads[] | select(.id == $rec)] | length" 0
count_leads
expect_int 'records after a merge' -eq $((before + 1)) "$n_stored"

step 'duplicates by e-mail (any case), WeChat, and company without its legal suffix + contact'
expect_ok f lead add --company '别的公司' --contact '别人' --channel sem --email 'wang.jg@JINGCE.com.cn' --json
expect_json '.result + " " + (.id | tostring)' "merged $id1"
expect_ok f lead add --company '又一家' --contact '又一人' --channel sem --wechat 'WJG_2026' --json
expect_json '.result + " " + (.id | tostring)' "merged $id1"
expect_ok f lead add --company '杭州云帆软件' --contact '陈 思' --channel salon --email 'chensi@yunfan.cn' --json
expect_json '.result + " " + (.id | tostring)' "merged $id2"
expect_ok f activity list "$id1" --json
expect_json '[.activities[] | select(.kind == "re_inquiry")] | length' 3

step "a duplicate of another consultant's lead: its id and status only (SPEC §8)"
expect_ok f --as li lead add --company '某公司' --contact '某人' --channel sem --phone '13800138001' --json
expect_json '.result + " " + (.id | tostring) + " " + .status' "merged $id1 open"
expect_json 'keys | join(",")' 'id,merged_record,result,status,status_name'
expect_ok f --as li lead add --company '某公司' --contact '某人' --channel sem --phone '13800138001'
expect_stdout_contains "duplicate of lead $id1 ("
expect_stdout_not_contains '上海精测'

step 'an invalid lead is never a duplicate target'
expect_ok f lead add --company '甲十四' --contact '张十四' --channel sem --phone 13912345699 --json
expect_json '.result' created

step 'a lead like a lost one is a returning customer: a new lead linked to it, same owner'
expect_ok f lead lose "$id1" --reason price
expect_ok f lead add --company '上海精测仪器股份有限公司' --contact '李总' --channel repurchase \
	--phone '13800138001' --json
expect_json '.result' returning
getj ret '.id'
expect_int 'id of the returning lead' -gt "$id1" "$ret"
expect_json '.returning_of' "$id1"
expect_json '.status + " " + .stage' 'open acquire'
expect_json '.owner' wu
expect_ok f lead show "$ret"
expect_stdout_contains "returning customer, earlier lead $id1"
# and the returning lead is now the one duplicates fold into
expect_ok f lead add --company '某某' --contact '某人' --channel sem --phone '+8613800138001' --json
expect_json '.result + " " + (.id | tostring)' "merged $ret"

step 'who may capture: marketing yes'
expect_ok f --as mk lead add --company '广州新程教育科技有限公司' --contact '林' --channel social --phone 13912345620 --json
expect_json '.result' created

step 'usage errors exit 2, store nothing'
count_leads
before=$n_stored
snapshot usage
expect_usage '--company is required' f lead add --contact x --channel sem --phone 13912345630
expect_usage '--contact is required' f lead add --company x --channel sem --phone 13912345630
expect_usage '--channel is required' f lead add --company x --contact y --phone 13912345630
expect_usage "unknown option '--bogus'" f lead add --company x --contact y --channel sem --phone 13912345630 --bogus 1
expect_usage '--phone needs a value' f lead add --company x --contact y --channel sem --phone
expect_usage '--phone given twice' f lead add --company x --contact y --channel sem --phone 1 --phone 2
expect_usage "unexpected argument 'extra'" f lead add --company x --contact y --channel sem extra
expect_usage "unknown command" f lead frobnicate
expect_unchanged usage

step 'bad values exit 1 with one line naming the field, store nothing'
expect_error 'channel' f lead add --company x --contact y --channel nosuch --phone 13912345630
expect_stderr_contains "'nosuch'"
expect_error 'owner' f lead add --company x --contact y --channel sem --phone 13912345630 --owner nobody
expect_error 'captured-at' f lead add --company x --contact y --channel sem --phone 13912345630 \
	--captured-at 2026-11-28T10:00:00+08:00
expect_error 'captured-at' f lead add --company x --contact y --channel sem --phone 13912345630 --captured-at yesterday
expect_error 'company' f lead add --company '' --contact y --channel sem --phone 13912345630
expect_error 'contact' f lead add --company x --contact '  ' --channel sem --phone 13912345630
long=$(printf '%0300d' 0)
expect_error 'company' f lead add --company "$long" --contact y --channel sem --phone 13912345630
expect_error 'as' f --as nobody lead add --company x --contact y --channel sem --phone 13912345630
expect_unchanged usage
count_leads
expect_int 'records after refused adds' -eq "$before" "$n_stored"

step 'a database from before migration 7: WeChat keys that are no WeChat ID are cleared at open'
command -v sqlite3 >/dev/null 2>&1 || skip 'sqlite3 is needed to make an older database'
cp "$TMP/t.db" "$TMP/old.db"
sqlite3 "$TMP/old.db" "UPDATE lead SET wechat_key = '同手机' WHERE id = 1; UPDATE lead SET wechat_key = 'n/a' WHERE id = 2;
	UPDATE lead SET wechat_key = 'wjg_2026' WHERE id = 3; PRAGMA user_version = 6;"
expect_ok "$FUNNEL" --db "$TMP/old.db" --now "$NOW" lead list
expect_eq 'user_version after the migration' 7 "$(sqlite3 "$TMP/old.db" 'PRAGMA user_version')"
expect_eq 'WeChat keys after the migration' '||wjg_2026' \
	"$(sqlite3 "$TMP/old.db" "SELECT group_concat(COALESCE(wechat_key, ''), '|') FROM (SELECT wechat_key FROM lead WHERE id <= 3 ORDER BY id)")"

finish
