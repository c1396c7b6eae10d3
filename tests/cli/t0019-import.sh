#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# funnel import (SPEC §3, §8): a marketing user brings in a trade-show list with Chinese headers; the
# summary; the rejected rows on stderr, or every row not created in --report's CSV (BOM, CRLF);
# columns not imported; --channel and --source for rows without their own; --dry-run, then the real
# run; the same file again (skipped) and --again (merged); --strict (exit 1, nothing written); --map;
# --json; a GBK file and a workbook; the errors, each naming its field.
. "$(dirname "$0")/lib.sh"

NOW=2026-11-27T10:00:00+08:00

# funnel on a second database, for the workbook imported elsewhere
# shellcheck disable=SC2317 # called through run and expect_ok
g() {
	"$FUNNEL" --db "$TMP/other.db" --now "$NOW" "$@"
}

step 'a team: marketing, two consultants, after-sales'
expect_ok f init
expect_ok f user add zhaomin --name 赵敏 --role marketing
expect_ok f user add li --name 李娜 --role sales --team 华东一部
expect_ok f user add wang --name 王强 --role sales --team 华东一部
expect_ok f user add sunli --name 孙丽 --role aftersales

# The list as Excel saves "CSV UTF-8": a BOM, CRLF. Line 2 names its channel and owner; line 3 has
# neither (--channel, round-robin); 4 and 5 are invalid (a test name, a block-listed number); 6 is
# line 2's company under another legal suffix with the same contact (a duplicate); 7-9 are refused.
cat >"$TMP/show.txt" <<'EOF'
公司名称,联系人,职位,手机,邮箱,渠道,负责人,留资时间,备注,展位号
上海星河科技有限公司,王伟,采购经理,139 5200 0001,,展会,李娜,2026-11-20 09:30,"要报价,下周联系",A12
北京甲乙信息技术有限公司,李娜,总监,,LiNa@JiaYi.example,,,2026/11/20,,B03
测试公司,张三,,13952000003,,,,,,
深圳丙公司,赵六,,13800138000,,,,,,
上海星河科技股份有限公司,王伟,,13952000006,,,,,,
广州丁公司,钱七,,13952000007,,电视,,,,
杭州戊公司,,,13952000008,,,,,,
苏州己公司,孙八,,13952000009,,,nobody,,,
EOF
{
	printf '\357\273\277'
	sed 's/$/\r/' "$TMP/show.txt"
} >"$TMP/show.csv"
show=$TMP/show.csv

cat >"$TMP/rejected" <<'EOF'
line 7: rejected: channel: no channel '电视' (see 'funnel channel list')
line 8: rejected: contact: required
line 9: rejected: owner: no user 'nobody'
EOF

step '--dry-run: what would happen, the rejected rows on stderr, nothing written'
snapshot before
run f --as zhaomin import "$show" --channel trade_show --dry-run
expect_eq 'exit status' 0 "$T_RC"
cat >"$TMP/want" <<EOF
dry run of $show (utf-8): 8 rows
  created    2
  invalid    2 (测试号码 1, 测试数据 1)
  merged     1 (duplicates of open leads: re-inquiries on them)
  returning  0 (new leads of earlier customers)
  rejected   3
columns not imported: 展位号
EOF
expect_same_file 'the summary of the dry run' "$TMP/want" "$TMP/stdout"
expect_same_file 'the rejected rows on stderr' "$TMP/rejected" "$TMP/stderr"
expect_unchanged before

step 'the import, with --report: the same counts; every row not created in the report'
run f --as zhaomin import "$show" --channel trade_show --report "$TMP/report.csv"
expect_eq 'exit status' 0 "$T_RC"
sed -e "s|^dry run of|imported|" -e "s|^  rejected   3\$|  rejected   3 (see $TMP/report.csv)|" "$TMP/want" >"$TMP/want.real"
expect_same_file 'the summary of the import' "$TMP/want.real" "$TMP/stdout"
expect_eq 'stderr with --report' '' "$(cat "$TMP/stderr")"
head -c 3 "$TMP/report.csv" | od -An -tx1 | tr -d ' \n' >"$TMP/bom"
expect_eq 'BOM of the report' 'efbbbf' "$(cat "$TMP/bom")"
expect_eq 'report lines ending in CRLF' 7 "$(grep -c "$(printf '\r')\$" "$TMP/report.csv")"
tail -c +4 "$TMP/report.csv" | tr -d '\r' >"$TMP/report.txt"
cat >"$TMP/want" <<'EOF'
line,outcome,reason,company,contact,lead
4,invalid,test_name,测试公司,张三,3
5,invalid,test_phone,深圳丙公司,赵六,4
6,merged,duplicate of lead 1,上海星河科技股份有限公司,王伟,1
7,rejected,channel: no channel '电视' (see 'funnel channel list'),广州丁公司,钱七,
8,rejected,contact: required,杭州戊公司,,
9,rejected,owner: no user 'nobody',苏州己公司,孙八,
EOF
expect_same_file 'the report' "$TMP/want" "$TMP/report.txt"

step 'the leads: cleaned, channel and owner from the row or the defaults, captured when the list says'
expect_ok f lead list --status all --json
expect_json '[.leads[] | "\(.id) \(.status) \(.invalid_reason // "-") \(.merged_into // "-")"] | sort | join(",")' \
	'1 open - -,2 open - -,3 invalid test_name -,4 invalid test_phone -,5 merged - 1'
expect_ok f lead show 1 --json
expect_json '[.company, .contact, .title, .phone, .channel, .owner, .captured_at, .notes] | join("|")' \
	'上海星河科技有限公司|王伟|采购经理|13952000001|trade_show|li|2026-11-20T09:30:00+08:00|要报价,下周联系'
expect_json '[.activities[] | select(.kind == "re_inquiry")] | length' 1
expect_ok f lead show 2 --json
expect_json '[.channel, .owner, .email, .captured_at, .stage, .status] | join("|")' \
	'trade_show|li|LiNa@JiaYi.example|2026-11-20T00:00:00+08:00|acquire|open'
expect_ok f --as zhaomin lead list --json
expect_json '[.leads[].id] | sort | map(tostring) | join(",")' '1,2'
expect_ok f audit --json
expect_json '.audit[-1] | "\(.user) \(.entity) \(.action) \(.after.rows) \(.after.created) \(.after.rejected)"' \
	'zhaomin import import 8 2 3'

step 'the same file again: every row skipped, nothing written'
snapshot imported
run f --as zhaomin import "$show" --channel trade_show
expect_eq 'exit status' 0 "$T_RC"
expect_stdout_contains "imported $show (utf-8): 8 rows"
expect_stdout_contains '  created    0'
expect_stdout_contains '  skipped    8 (imported before from the same file; --again imports it once more)'
expect_eq 'stderr' '' "$(cat "$TMP/stderr")"
expect_unchanged imported

step '--again: the rows merge into the leads they made, nothing new enters the funnel'
run f --as zhaomin --json import "$show" --channel trade_show --again
expect_eq 'exit status' 0 "$T_RC"
expect_json '"\(.rows) \(.created) \(.invalid) \(.merged) \(.returning) \(.rejected) \(.skipped)"' '8 0 2 3 0 3 0'
expect_same_file 'the rejected rows on stderr' "$TMP/rejected" "$TMP/stderr"
expect_ok f lead list --json
expect_json '[.leads[].id] | sort | map(tostring) | join(",")' '1,2'
expect_ok f lead show 1 --json
expect_json '[.activities[] | select(.kind == "re_inquiry")] | length' 3

step '--strict: a rejected row and nothing is imported (exit 1)'
sed 's/2026-11-20 09:30/2026-11-21 09:30/' "$show" >"$TMP/show2.csv"
snapshot strict
run f --as zhaomin import "$TMP/show2.csv" --channel trade_show --strict
expect_eq 'exit status' 1 "$T_RC"
expect_stdout_contains "nothing imported from $TMP/show2.csv (utf-8): 8 rows"
expect_eq 'last line of stderr' 'funnel: strict: 3 rows were rejected, so nothing was imported' "$(tail -n 1 "$TMP/stderr")"
expect_eq 'the rejected rows before it' "$(cat "$TMP/rejected")" "$(head -n 3 "$TMP/stderr")"
expect_unchanged strict
run f --as zhaomin --json import "$TMP/show2.csv" --channel trade_show --strict
expect_eq 'exit status' 1 "$T_RC"
expect_json '"\(.undone) \(.job) \(.rejected)"' 'true 0 3'
expect_unchanged strict
printf '公司,联系人,手机\n严格公司,周九,13952000010\n' >"$TMP/clean.csv"
expect_ok f --as zhaomin import "$TMP/clean.csv" --channel website --strict
expect_stdout_contains '  created    1'

step '--map: columns under names funnel does not know; --source for rows without one'
printf 'Firm,Person,Mobile,Booth\nUmbrella Ltd.,Alice Wong,13952000011,C07\n' >"$TMP/booth.csv"
snapshot map
expect_error 'company: no column of the file is the company (give one with --map COLUMN=company)' \
	f import "$TMP/booth.csv" --channel trade_show
expect_unchanged map
run f import "$TMP/booth.csv" --channel trade_show --source '2026 广州展' --map Firm=company --map Person=contact \
	--map Booth=notes --json
expect_eq 'exit status' 0 "$T_RC"
expect_json '.mapping' 'Firm=company, Person=contact, Mobile=phone, Booth=notes'
expect_json '.unknown_columns' ''
expect_json '.created' 1
expect_ok f lead list --json
expect_json '.leads[] | select(.company == "Umbrella Ltd.") | [.contact, .phone, .notes, .source, .channel] | join("|")' \
	'Alice Wong|13952000011|C07|2026 广州展|trade_show'
expect_error "map: 'firm' is not a field (company, ...)" f import "$TMP/booth.csv" --map Firm=firm
expect_error "map: the file has no column 'Company'" f import "$TMP/booth.csv" --map Company=company
expect_error "map: 'Firm' is not COLUMN=FIELD" f import "$TMP/booth.csv" --map Firm

step '--json: the counts, by invalid reason, the job, the mapping and the columns not imported'
printf '公司,联系人,手机,邮箱,预算,需求,决策,紧急度,来源渠道,Remark\n' >"$TMP/scored.csv"
printf '宁波庚公司,吴十,13952000012,,4,4,4,3,官网留资,x\n宁波辛公司,郑一,,bad@@mail,,,,,官网留资,y\n' >>"$TMP/scored.csv"
run f import "$TMP/scored.csv" --json
expect_eq 'exit status' 0 "$T_RC"
expect_json '"\(.rows) \(.created) \(.scored) \(.invalid) \(.invalid_by_reason.bad_email) \(.undone) \(.encoding)"' \
	'2 1 1 1 1 false utf-8'
expect_json '.job > 0 and .resumed_from == 0 and .skipped == 0' true
expect_json '.mapping' '公司=company, 联系人=contact, 手机=phone, 邮箱=email, 来源渠道=channel, 预算=budget, 需求=need, 决策=decision, 紧急度=urgency'
expect_json '.unknown_columns' 'Remark'
expect_json '[.invalid_by_reason | keys[]] | join(",")' 'bad_email,bad_phone,no_contact,non_target_industry,test_name,test_phone'
expect_ok f lead list --grade A --json
expect_json '[.leads[] | .company + " " + .stage] | join(",")' '宁波庚公司 qualify'

step 'a GBK file (Excel in China): detected, or named with --encoding; stored as UTF-8'
run f import "$FUNNEL_TEST_DATA/import/gbk.csv" --channel website --json
expect_eq 'exit status' 0 "$T_RC"
expect_json '"\(.encoding) \(.rows) \(.created) \(.invalid)"' 'gbk 4 1 3'
expect_ok f lead list --status all --json
expect_json '[.leads[] | select(.company == "北京,朝阳" or .company == "乗億倉") | .company + " " + .contact + " " + .phone] | sort | join(",")' \
	'乗億倉 说"好" 1,北京,朝阳 李娜 01065529988'
expect_ok f import "$FUNNEL_TEST_DATA/import/gbk.csv" --channel website --encoding gbk --again --json
expect_json '"\(.encoding) \(.merged) \(.invalid)"' 'gbk 1 3'

step 'a workbook: the export of these leads imports into another database as the same leads'
expect_ok f export leads --format xlsx --out "$TMP/leads.xlsx"
expect_ok g init
expect_ok g user add li --name 李娜 --role sales
expect_ok g user add wang --name 王强 --role sales
expect_error "sheet: no sheet '名单'" g import "$TMP/leads.xlsx" --sheet 名单
run g import "$TMP/leads.xlsx" --sheet leads --json
expect_eq 'exit status' 0 "$T_RC"
expect_json '"\(.encoding) \(.rows) \(.created) \(.scored) \(.rejected)"' 'xlsx 6 6 1 0'
fields='[.leads[] | [.company, .contact, .title, .phone, .email, .channel, .source, .owner, .captured_at, .notes, .grade // ""] | join("|")] | sort | join("\n")'
expect_ok f lead list --json
getj here "$fields"
expect_ok g lead list --json
expect_json "$fields" "$here"

step 'refused, nothing written: each error names its field'
snapshot refused
expect_error "file: cannot open '$TMP/none.csv'" f import "$TMP/none.csv"
expect_error "channel: no channel 'tv' (see 'funnel channel list')" f import "$show" --channel tv
expect_error "encoding: 'latin1' is not utf-8 or gbk" f import "$show" --encoding latin1
expect_error "format: 'pdf' is not csv or xlsx" f import "$show" --format pdf
expect_error "file: '$show' is not an XLSX workbook" f import "$show" --format xlsx
expect_error "as: user 'sunli' (aftersales) cannot import leads" f --as sunli import "$show" --channel trade_show
expect_error 'report: cannot write' f import "$show" --report "$TMP/no/such/dir/r.csv"
expect_usage 'missing argument FILE' f import
expect_usage '--stage-map goes with --history' f import "$show" --stage-map a=b
expect_unchanged refused

finish
