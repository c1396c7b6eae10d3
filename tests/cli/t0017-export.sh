#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# funnel export leads (SPEC §7, §8) and reports as workbooks: the CSV Excel opens (BOM, the header
# import reads back, CRLF, quoting, Chinese as UTF-8), the workbook and the JSON, filters and what a
# consultant may see, the audit entry of every export (written before the first lead, so that an
# export cut short is logged too), --out (a new file, never overwritten, private for contact data),
# and --format xlsx --out for reports (headers in the installation's language, a second sheet for
# the detail table); the refusals: an unknown format, xlsx without --out, a bad filter.
. "$(dirname "$0")/lib.sh"

NOW=2026-11-27T10:00:00+08:00

step 'three leads, one invalid'
expect_ok f init
expect_ok f user add li --name 李娜 --role sales --team 华东一部
expect_ok f user add wang --name 王强 --role sales --team 华东一部
expect_ok f --now 2026-11-26T09:00:00+08:00 lead add --company 上海某某科技有限公司 --contact 李明 --channel sem \
	--phone 13800138001 --email liming@example.cn --source '百度 关键词' --owner li --json
getj a '.id'
expect_ok f --now 2026-11-26T09:30:00+08:00 lead score "$a" --budget 4 --need 4 --decision 4 --urgency 3
expect_ok f --now 2026-11-26T10:00:00+08:00 lead add --company 'Acme, Inc.' --contact 'John "Jack" Smith' \
	--channel website --wechat jack_smith --owner wang --json
getj b '.id'
expect_ok f --now 2026-11-26T11:00:00+08:00 lead add --company 丙公司 --contact 王五 --channel website --phone 123 --json
expect_json '.result' invalid

step 'CSV on stdout: a BOM, the header import maps back, CRLF, newest first, quoting'
expect_ok f export leads
head -c 3 "$TMP/stdout" | od -An -tx1 | tr -d ' \n' >"$TMP/bom"
expect_eq 'BOM' 'efbbbf' "$(cat "$TMP/bom")"
header='id,company,contact,title,phone,email,wechat,industry,size,region,channel,source,captured_at,owner,consent,notes,budget,need,decision,urgency,stage,reached_stage,status,grade,score,amount,close_month,invalid_reason,merged_into,lost_reason,lost_at,won_at,updated_at'
expect_eq 'header' "$header" "$(head -n 1 "$TMP/stdout" | tail -c +4 | tr -d '\r')"
expect_eq 'lines (header and two leads, the invalid one left out)' 3 "$(wc -l <"$TMP/stdout" | tr -d ' ')"
expect_eq 'lines ending in CRLF' 3 "$(grep -c "$(printf '\r')\$" "$TMP/stdout")"
expect_stdout_matches "^$b,\"Acme, Inc.\",\"John \"\"Jack\"\" Smith\",,,,jack_smith,"
expect_stdout_contains "$a,上海某某科技有限公司,李明,,13800138001,liming@example.cn,,,,,sem,百度 关键词,2026-11-26T09:00:00+08:00,li,,,4,4,4,3,qualify,qualify,open,A,15,"
expect_eq 'the second row is lead b' "$b" "$(sed -n 2p "$TMP/stdout" | cut -d, -f1)"

step 'every export is audited: who, the format, the rows, the filter, contact data'
expect_ok f audit --json
expect_json '.audit[-1] | .user + " " + .entity + "/" + .entity_id + " " + .action' 'admin export/leads export'
expect_json '.audit[-1].after | "\(.format) \(.rows) \(.contact_data) \(.filter | tojson)"' 'csv 2 true {}'

step 'filters: all statuses, an owner, a stage; a filter naming nothing is an error'
expect_ok f export leads --status all
expect_eq 'lines with the invalid lead' 4 "$(wc -l <"$TMP/stdout" | tr -d ' ')"
expect_stdout_contains ',website,,2026-11-26T11:00:00+08:00,'
expect_ok f export leads --owner wang --format json
expect_json '[.leads[].id] | map(tostring) | join(",")' "$b"
expect_ok f audit --json
expect_json '.audit[-1].after | "\(.format) \(.rows) \(.filter | tojson)"' 'json 1 {"owner":"wang"}'
expect_ok f export leads --stage qualify --format json
expect_json '.leads | length' 1
expect_error "status" f export leads --status closed
expect_error "no channel 'tv'" f export leads --channel tv

step 'JSON: {"leads": [...]} with every lead as the API shows it'
expect_ok f export leads --format json
expect_json '.leads | length' 2
expect_json '.leads[1] | .company + " " + .channel_name.zh + " " + .captured_at' '上海某某科技有限公司 搜索引擎关键词 2026-11-26T09:00:00+08:00'
expect_json '.leads[1].score.total' 15

step 'a consultant exports their own leads, and the log names them'
expect_ok f --as li export leads --format json
expect_json '[.leads[].company] | join(",")' '上海某某科技有限公司'
expect_ok f audit --json
expect_json '.audit[-1] | .user + " " + (.after.rows | tostring)' 'li 1'

step '--out: a new file readable by its owner only, never overwritten; the format from its name'
expect_ok f export leads --out "$TMP/leads.csv"
expect_stdout_contains "exported 2 leads to $TMP/leads.csv (csv)"
expect_eq 'mode of the export' 600 "$(stat -c %a "$TMP/leads.csv")"
expect_ok f export leads
expect_same_file 'the file and stdout' "$TMP/leads.csv" "$TMP/stdout"
cp "$TMP/leads.csv" "$TMP/leads.before"
expect_error 'already exists' f export leads --status all --out "$TMP/leads.csv"
expect_same_file 'the file after a refused export' "$TMP/leads.before" "$TMP/leads.csv"
expect_ok f --json export leads --out "$TMP/leads.json"
expect_json '"\(.format) \(.rows)"' 'json 2'
expect_ok jq -r '.leads[0].company' "$TMP/leads.json"
expect_stdout_contains 'Acme, Inc.'
expect_eq 'no temporary file left' '' "$(find "$TMP" -name '.leads*' | head -n 1)"

step 'XLSX: a workbook of the same columns, the phone as text'
expect_ok f export leads --format xlsx --out "$TMP/leads.xlsx"
expect_stdout_contains "exported 2 leads to $TMP/leads.xlsx (xlsx)"
expect_ok f audit --json
expect_json '.audit[-1].after | "\(.format) \(.rows) \(.contact_data)"' 'xlsx 2 true'

step 'refused: an unknown format, a workbook without --out'
expect_usage "format: 'pdf' is not csv, xlsx or json" f export leads --format pdf
expect_usage 'xlsx needs --out' f export leads --format xlsx
expect_usage 'out: empty file name' f export leads --out ''
expect_ok f audit --json
expect_json '[.audit[] | select(.entity == "export")] | length' 10

step 'an export cut short (a full disk, a closed pipe) is in the log: the entry comes before the first lead'
if [ -w /dev/full ]; then
	# shellcheck disable=SC2016 # expanded by the inner shell
	expect_error 'out: cannot write the export: No space left on device' \
		sh -c '"$0" --db "$1" --now "$2" --as li export leads >/dev/full' "$FUNNEL" "$TMP/t.db" "$NOW"
	expect_ok f audit --json
	expect_json '[.audit[] | select(.entity == "export")] | length' 11
	expect_json '.audit[-1] | "\(.user) \(.after.format) \(.after.rows) \(.after.contact_data)"' 'li csv 1 true'
fi

step 'reports: --format xlsx --out, a detail table on a second sheet; --csv and --format csv alike'
expect_ok f report funnel --format xlsx --out "$TMP/funnel.xlsx"
expect_stdout_contains "report written to $TMP/funnel.xlsx (xlsx)"
expect_ok f --lang en --now 2026-11-27T12:00:00+08:00 report flow --format xlsx --out "$TMP/flow.xlsx"
expect_ok f report funnel --csv
save funnel.csv
expect_ok f report funnel --format csv
expect_same_file '--csv and --format csv' "$TMP/funnel.csv" "$TMP/stdout"
expect_ok f report funnel --format csv --out "$TMP/funnel2.csv"
expect_same_file '--csv and --format csv --out' "$TMP/funnel.csv" "$TMP/funnel2.csv"
expect_ok f --json report funnel
save funnel.json
expect_ok f report funnel --format json
expect_same_file '--json and --format json' "$TMP/funnel.json" "$TMP/stdout"
expect_usage 'xlsx needs --out' f report funnel --format xlsx
expect_usage "format: 'pdf' is not table, csv, xlsx or json" f report funnel --format pdf
expect_usage 'do not go together' f report funnel --csv --format xlsx --out "$TMP/x.xlsx"
expect_usage 'out: goes with --format csv, xlsx or json' f report funnel --out "$TMP/x.txt"
expect_error 'already exists' f report funnel --format xlsx --out "$TMP/funnel.xlsx"
expect_ok f report targets --format xlsx --out "$TMP/targets.xlsx"
expect_ok f whatif --format xlsx --out "$TMP/whatif.xlsx"

step 'the workbooks inside: headers, frozen panes, number formats, the sheets (python3 zipfile)'
command -v python3 >/dev/null 2>&1 || skip 'python3 is needed to look inside the workbooks'
cat >"$TMP/xl.py" <<'EOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(" ".join(n for n in z.namelist() if n.startswith("xl/worksheets/")))
for name in sys.argv[2:]:
    print(z.read(name).decode("utf-8"))
EOF
expect_ok python3 "$TMP/xl.py" "$TMP/leads.xlsx" xl/worksheets/sheet1.xml
expect_stdout_contains '<t>company</t>'
expect_stdout_contains '<t>上海某某科技有限公司</t>'
expect_stdout_contains '<t>13800138001</t>'
expect_stdout_contains 'state="frozen"'
# the lead's number as a plain whole number ("0"), not "1,234" like a count ("#,##0")
cat >"$TMP/numfmt.py" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
styles = z.read("xl/styles.xml").decode("utf-8")
codes = {"0": "General", "1": "0", "3": "#,##0"}
codes.update(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles))
xfs = re.findall(r"<xf [^>]*>", re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1))
for ref in sys.argv[2:]:
    m = re.search(r'<c r="%s"(?: s="(\d+)")?' % ref, sheet)
    n = re.search(r'numFmtId="(\d+)"', xfs[int(m.group(1) or 0)]) if m else None
    print("%s [%s]" % (ref, codes.get(n.group(1), "?") if n else "none"))
EOF
expect_ok python3 "$TMP/numfmt.py" "$TMP/leads.xlsx" A2
expect_stdout_contains 'A2 [0]'
expect_ok python3 "$TMP/xl.py" "$TMP/funnel.xlsx" xl/sharedStrings.xml xl/worksheets/sheet1.xml xl/styles.xml
expect_stdout_contains 'xl/worksheets/sheet1.xml'
expect_stdout_not_contains 'sheet2.xml'
expect_stdout_contains '<t>分组</t>'
expect_stdout_contains '<t>转化率</t>'
expect_stdout_contains '<t>潜在客户获取</t>'
expect_stdout_contains '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
expect_stdout_contains 'formatCode="0.0%"'
expect_ok python3 "$TMP/xl.py" "$TMP/flow.xlsx" xl/sharedStrings.xml xl/workbook.xml
expect_stdout_contains 'xl/worksheets/sheet1.xml xl/worksheets/sheet2.xml'
expect_stdout_contains '<t>First entries</t>'
expect_stdout_contains '<sheet name="Losses by reason"'

finish
