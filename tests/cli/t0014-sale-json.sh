#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# The JSON of the sale (docs/cli.md, "The objects of the sale"): each object has exactly the keys
# the documentation lists, times carry the installation's offset, money is integer 分, the discount
# is discount_pct, and every key of a list comes with its names in both languages. The same
# objects appear in the answers of the commands and in `lead show --json`.
. "$(dirname "$0")/lib.sh"

expect_ok f init
expect_ok f user add li --name 李娜 --role sales --team 一部
expect_ok f user add wang --name 王强 --role manager --team 一部
expect_ok f user add sun --name 孙丽 --role aftersales
expect_ok f lead add --company '嘉兴南湖纺织有限公司' --contact '沈' --channel sem --phone 13912340001 --owner li --json
getj id '.id'

# keys_are WHAT FILTER KEYS: the object FILTER selects has exactly KEYS (sorted, comma-separated)
keys_are() {
	expect_json "$2 | keys | join(\",\")" "$3"
}

step 'an empty sale: the keys are there, empty'
expect_ok f lead show "$id" --json
keys_are prep '.prep' 'background,contact_role,contact_role_name,decision_date,lead_id,news,updated_at'
expect_json '[.prep.updated_at, .prep.contact_role, .prep.contact_role_name, .prep.decision_date] | map(. == null) | all' true
keys_are needs '.needs' \
	'confirmed,confirmed_at,confirmed_contact,confirmed_how,confirmed_how_name,confirmed_name,created_at,created_by,items,lead_id,recorded_by,version'
expect_json '(.needs.version|tostring) + " " + (.needs.items|length|tostring) + " " + (.needs.confirmed|tostring)' '0 0 false'
expect_json '[.spin, .contacts, .solution, .presentations, .quotes, .obstacles, .handovers, .satisfaction, .links] | map(length) | add' 0
expect_json '.deal' null
expect_json '.referred_by, .aftersales' 'null
null'

step 'every object of a full sale, from the command that writes it'
expect_ok f lead score "$id" --budget 4 --need 4 --decision 4 --urgency 4
expect_ok f --now 2026-11-27T11:00:00+08:00 discovery note "$id" --background '出口为主' --role gatekeeper --json
keys_are prep '.' 'background,contact_role,contact_role_name,decision_date,lead_id,news,updated_at'
expect_json '.contact_role_name.zh + "|" + .contact_role_name.en + "|" + .updated_at' '把关者|Gatekeeper|2026-11-27T11:00:00+08:00'
expect_ok f discovery spin "$id" --kind I --question '交期延误的代价?' --answer '罚款' --json
keys_are spin '.' 'answer,at,id,kind,kind_name,lead_id,question,user'
expect_json '.kind_name.zh + "|" + .kind_name.en' '暗示问题|Implication'
getj spin '.id'
expect_ok f discovery contact "$id" --name '沈总' --role user --email 'shen@example.com' --json
keys_are contact '.' 'created_at,email,id,lead_id,name,notes,phone,role,role_name,title'
expect_json '.role_name.zh + "|" + .role_name.en + "|" + .email' '使用者|User|shen@example.com'
getj cid '.id'
expect_ok f needs add "$id" --text '订单交期预警' --priority 2 --spin "$spin" --json
keys_are needs '.' \
	'confirmed,confirmed_at,confirmed_contact,confirmed_how,confirmed_how_name,confirmed_name,created_at,created_by,items,lead_id,recorded_by,version'
keys_are need '.items[0]' 'label,num,priority,spin,text'
expect_json '[.confirmed_at, .confirmed_contact, .confirmed_name, .confirmed_how, .confirmed_how_name, .recorded_by] | map(. == null) | all' true
expect_ok f --now 2026-11-27T12:00:00+08:00 needs confirm "$id" --how message --contact "$cid" --json
expect_json '.confirmed_how_name.zh + "|" + .confirmed_how_name.en + "|" + .confirmed_name' '消息|Message|沈总'
expect_json '.confirmed_contact' "$cid"
expect_ok f solution add "$id" --need N1 --function '交期看板' --value '提前三天预警' --figure 3 --unit 'days' --json
keys_are solution '.' 'case,created_at,figure,function,id,lead_id,need,need_num,unit,user,value'
expect_json '.figure + " " + .unit + " " + (.need_num|tostring)' '3 days 1'
expect_ok f solution present "$id" --date 2026-11-27 --json
keys_are presentation '.' 'at,attendees,date,feedback,id,lead_id,user'
expect_ok f lead move "$id" --to negotiate
expect_ok f --now 2026-11-27T13:00:00+08:00 quote add "$id" --amount 88000.01 --discount 0.5 --json
keys_are quote '.' \
	'amount,created_at,decided_at,decided_by,decision_note,delivery_days,discount_pct,id,lead_id,round,status,status_name,terms,user'
expect_json '(.amount|tostring) + " " + (.discount_pct|tostring) + " " + .status_name.zh' '8800001 0.5 折扣限额内'
expect_json '[.decided_at, .decided_by] | map(. == null) | all' true
expect_ok f quote add "$id" --amount 88000 --discount 16 --json
getj q2 '.id'
expect_json '.status_name.zh + "|" + (.discount_pct|tostring)' '待经理审批|16'
expect_ok f --as wang quote reject "$q2" --json
expect_json '.status_name.en + "|" + .decided_by' 'Rejected|wang'
expect_ok f obstacle add "$id" --type delivery --text '旺季排产紧' --json
keys_are obstacle '.' 'created_at,id,lead_id,resolution,resolved_at,state,text,type,type_name,user'
expect_json '.type_name.zh + "|" + .type_name.en + "|" + .state' '交付周期|Delivery|open'
expect_ok f deal close "$id" --contract 'JX-001' --amount 88000.01 --signed 2026-11-27 --json
keys_are deal '.deal' 'amount,contract_no,created_at,delivery_start,lead_id,signed_on,user'
expect_json '(.deal.amount|tostring) + " " + (.deal.delivery_start|tostring)' '8800001 null'
expect_ok f deal show "$id" --json
keys_are deal '.' 'amount,contract_no,created_at,delivery_start,lead_id,signed_on,user'
expect_ok f aftersales handover "$id" --to sun --json
keys_are handover '.' 'at,from,id,lead_id,note,to,user'
expect_ok f --as sun aftersales rate "$id" --score 4 --json
keys_are satisfaction '.' 'at,id,lead_id,note,score,user'
expect_ok f --as sun aftersales care "$id" --summary '回访' --json
expect_json '.kind + "|" + .kind_name.zh' 'aftersales|售后'
expect_ok f --as sun lead referral "$id" --company '湖州某某丝绸有限公司' --contact '钱' --wechat qian_hz --json
getj ref '.id'
expect_json '.result + " " + .channel_name.zh' 'created 客户转介绍'

step 'lead show gives the same objects'
expect_ok f lead show "$id" --json
keys_are prep '.prep' 'background,contact_role,contact_role_name,decision_date,lead_id,news,updated_at'
keys_are spin '.spin[0]' 'answer,at,id,kind,kind_name,lead_id,question,user'
keys_are contact '.contacts[0]' 'created_at,email,id,lead_id,name,notes,phone,role,role_name,title'
keys_are solution '.solution[0]' 'case,created_at,figure,function,id,lead_id,need,need_num,unit,user,value'
keys_are presentation '.presentations[0]' 'at,attendees,date,feedback,id,lead_id,user'
keys_are quote '.quotes[1]' \
	'amount,created_at,decided_at,decided_by,decision_note,delivery_days,discount_pct,id,lead_id,round,status,status_name,terms,user'
keys_are obstacle '.obstacles[0]' 'created_at,id,lead_id,resolution,resolved_at,state,text,type,type_name,user'
keys_are handover '.handovers[0]' 'at,from,id,lead_id,note,to,user'
keys_are satisfaction '.satisfaction[0]' 'at,id,lead_id,note,score,user'
keys_are link '.links[0]' 'company,contact,id,kind,kind_name,stage,stage_name,status,status_name'
expect_json '.links[0].kind + "|" + .links[0].kind_name.zh + "|" + .links[0].kind_name.en' 'referral|转介绍|Referral'
expect_json '.needs.items[0].label + " " + .needs.confirmed_at' 'N1 2026-11-27T12:00:00+08:00'
expect_json '.aftersales' sun
expect_ok f lead show "$ref" --json
expect_json '.referred_by' "$id"
expect_json '.links[0].kind_name.en + "|" + .links[0].stage_name.en + "|" + .links[0].status_name.en' 'Referred by|Deal & after-sales|Won'

step 'the names people read follow --lang'
expect_ok f --lang en quote list "$id"
expect_stdout_contains 'Within the discount limit'
expect_stdout_contains 'Rejected'
expect_ok f quote list "$id"
expect_stdout_contains '已驳回'
expect_ok f --lang en obstacle list "$id"
expect_stdout_contains 'Delivery'
expect_ok f --lang en discovery spins "$id"
expect_stdout_contains 'I Implication'

finish
