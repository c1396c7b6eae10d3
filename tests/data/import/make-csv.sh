#!/bin/sh
# Writes the CSV files of this corpus (tests/unit/test_csv.c reads them and holds the expected
# records of each; tests/unit/test_import.c imports them, README.md has the outcomes). The files are
# committed; this script shows how their bytes were made, and rewrites them when run here:
# sh make-csv.sh. GBK text is made with iconv from UTF-8.
set -eu
cd "$(dirname "$0")"
gbk() { iconv -f UTF-8 -t GBK; }

# quotes, "" escapes, embedded commas, empty quoted fields
printf 'company,contact,phone,notes\n"Acme, Inc.",Li Lei,"0086 138 0013 8000","said ""call me"" later"\n"""Quoted"" Co",Han Meimei,00123,""\nplain,x,"",""""\n' >quotes.csv

# numbers stored as text: the reader never interprets a value
printf '公司,手机,邮编,金额,编号\n星辰科技,008613800138000,010020,"1,200.50",1e5\n零一,0001,00,-0,0x1F\n' >numbers-as-text.csv

# newlines inside quoted fields, in an LF file
printf 'company,contact,notes\nA,B,"first\nsecond"\nC,D,"x\n\ny"\nE,F,plain\n' >newlines-lf.csv

# a CRLF file with CRLF, LF and a lone CR inside quoted fields
printf 'company,contact,notes\r\nA,B,"crlf\r\ninside"\r\nC,D,"lf\ninside"\r\n"multi\r\nline\r\ncompany",E,x\r\nF,G,"cr\ronly"\r\nH,I,end\r\n' >newlines-crlf.csv

# lone CR line ends (classic Mac)
printf 'company,contact\rA,B\r"x\ry",C\rD,E' >cr-only.csv

# a UTF-8 BOM, then a quoted first header
printf '\357\273\277"公司",联系人,手机\n星辰科技,王伟,13800138000\n' >bom.csv

# UTF-8 without a BOM, CRLF
printf '公司,联系人,手机\r\n星辰科技,王伟,13800138000\r\n"北京, 朝阳",李娜,"0086 10 6552 9988"\r\n' >nobom.csv

# GBK as Excel in China writes it (CRLF); 乗 億 倉 have an ASCII second byte (\ | }); 学校,小强 as
# GBK bytes happen to be valid UTF-8 as well
printf '公司,联系人,手机\r\n星辰科技,王伟,13800138000\r\n"北京,朝阳",李娜,"0086 10 6552 9988"\r\n乗億倉,"说""好""",1\r\n学校,小强\r\n' | gbk >gbk.csv

# GBK with bytes that are not GBK: a lone lead byte before a comma, and 0xFF
{ printf '公司,联系人\r\n星辰,王伟\r\n' | gbk; printf 'bad\201,x\r\nworse\377,y\r\n'; printf '好,的\r\n' | gbk; } >gbk-invalid.csv

# empty lines (LF and CRLF), before the header, between rows and at the end
printf '\ncompany,contact\n\nA,B\n\r\n\r\nC,D\n\n' >empty-lines.csv

# ragged rows: fewer fields are missing values, more are broken (but trailing empty ones are dropped)
printf 'a,b,c,d\n1,2\n1\n1,2,3,4\n1,2,3,4,5\n1,2,3,4,,\n1,2,3,4,,x\n"1","2","3","4","5"\nlast,row\n' >ragged.csv

# no newline after the last record
printf 'company,contact\nA,\nC,"D"' >no-final-newline.csv

# an unterminated quote in the middle: that record is broken, the rest is read
printf 'company,contact,phone\nA,"multi\nline",1\nB,"unclosed,2\nC,c,3\nD,d,4\n' >unterminated.csv

# a stray quote pairs with the next quote of the file, as in every CSV reader
printf 'company,contact,notes\nA,"stray,x\nB,b,plain\nC,c,"closing"\nD,d,ok\n' >stray-quote.csv

# bytes that are not UTF-8 (read with encoding utf-8; detection calls this file GBK)
# (0xFF; 0xC3 before an ASCII byte; overlong / and NUL; a surrogate; beyond U+10FFFF)
printf 'company,contact\n星辰,王伟\nBad\377\376Co,x\n"multi\nli\303ne",y\nOver\300\257long,z\n' >invalid-utf8.csv
printf 'Ovl\340\200\257,t\nSur\355\240\200,s\nBig\364\220\200\200,u\nok,1\n' >>invalid-utf8.csv

# text after a closing quote, quotes inside unquoted fields
printf 'company,contact\n"abc"def,x\n"a""b"c"d,y\n "sp",z\n5" screen,w\n' >after-quote.csv

# a NUL byte
printf 'company,contact\nx\000y,z\n"q\000",1\nok,1\n' >nul.csv

# UTF-16 (Excel's "Unicode Text"): refused when the encoding is detected
printf '\377\376c\000,\000x\000\n\000' >utf16.csv
