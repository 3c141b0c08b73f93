#!/bin/sh
# Bad input through the tool: clear messages naming file and line, every
# row accounted for, no partial output files, no hang on huge input.
B=${1:-build}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
no() { fail=$((fail+1)); echo "FAIL bad_input: $1"; }

# A failed run leaves no output file behind (nor a temporary one).
"$B/tx-vectorize" -q tests/data/unterminated.csv -o "$T/out.h5" 2>/dev/null
[ $? = 1 ] && [ -z "$(ls "$T")" ] && ok || no "failed run left files: $(ls "$T")"

# Rows in == documents + rejected, as reported and as stored.
"$B/tx-vectorize" tests/data/bad_rows.csv --min-df 1 -o "$T/b.h5" 2> "$T/err"
line=$(grep ' rows: ' "$T/err")
rows=$(echo "$line" | sed 's/.*: \([0-9]*\) rows: \([0-9]*\) documents, \([0-9]*\) rejected.*/\1 \2 \3/')
set -- $rows
# bad_rows.csv has 6 rows: 2 are rejected (a short row, an empty text).
[ "$1" = 6 ] && [ "$2" = 4 ] && [ "$3" = 2 ] && ok || no "accounting: $line"
[ "$(grep -c 'rejected:' "$T/err")" = 2 ] && ok || no "each reject reported"
grep -q 'bad_rows.csv:3: row 2 rejected: row has 2 fields' "$T/err" && ok || no "ragged row message"

# A chosen column that two header cells share is ambiguous: an error
# naming both; duplicate names elsewhere do no harm.
printf 'id,text,text\n1,card late,app slow\n2,card lost,app down\n' > "$T/dup.csv"
"$B/tx-vectorize" -q --min-df 1 "$T/dup.csv" -o "$T/dup.h5" 2> "$T/err"
[ $? = 1 ] && grep -q "dup.csv:1: header has column 'text' twice (columns 2 and 3)" "$T/err" && ok || no "duplicate text column: $(cat "$T/err")"
printf 'id,text,x,x\n1,card late,1,2\n2,card lost,3,4\n' > "$T/dupx.csv"
"$B/tx-vectorize" -q --min-df 1 "$T/dupx.csv" -o "$T/dupx.h5" && ok || no "duplicate unused column"

# A big file (read in chunks on several threads) whose last row opens a
# quote that never closes: the error, not the rows before it alone.
awk 'BEGIN { print "id,text"; for (i = 0; i < 120000; i++)
    printf "%d,\"some words for row %d\"\n", i, i; print "9,\"never closed" }' > "$T/bigq.csv"
"$B/tx-vectorize" -q --threads 2 --dump "$T/bigq.csv" > /dev/null 2> "$T/err"
[ $? = 1 ] && grep -q 'bigq.csv:120002: unterminated quoted field' "$T/err" && ok || no "unterminated quote at the end of a big file: $(cat "$T/err")"

# Repaired UTF-8 is counted, the row is kept.
echo "$line" | grep -q '1 repaired UTF-8' && ok || no "repair counted: $line"

# A 50 MB single line is read and tokenized in bounded time.
head -c 52428800 /dev/zero | tr '\0' 'a' | sed 's/a\{40\}/& /g' > "$T/big.txt"
if timeout 120 "$B/tx-vectorize" -q --min-df 1 "$T/big.txt" -o "$T/big.h5"; then ok; else no "50 MB line"; fi

# Directory mixing formats; missing input is an error naming the file.
"$B/tx-vectorize" -q --dump corpora/interviews tests/does_not_exist 2> "$T/err" >/dev/null
[ $? = 1 ] && grep -q 'tests/does_not_exist: No such file' "$T/err" && ok || no "missing file"

# Unwritable output: exit 1 with the path, nothing left behind.
"$B/tx-vectorize" -q corpora/feedback.csv -o /nonexistent/dir/out.h5 2> "$T/err"
[ $? = 1 ] && grep -q '/nonexistent/dir/out.h5' "$T/err" && ok || no "unwritable output"

# Binary data (control bytes) is refused as binary, clearly; garbage made of text
# characters (quotes, commas, line breaks, letters, bytes that are not
# UTF-8) gets past that check into the CSV and line readers themselves,
# which must account for it or refuse it with a line, never crash.
yes "$(printf 'ab\001\002\003\004\005\006\007\016')" | head -c 200000 > "$T/garbage.csv"
"$B/tx-vectorize" -q --dump "$T/garbage.csv" > /dev/null 2> "$T/err"
[ $? = 1 ] && grep -q 'binary data, not text' "$T/err" && ok || no "binary garbage: $(cat "$T/err")"
head -c 400000 /dev/urandom | tr -c 'a-zA-Z,"\n \200-\377' 'x' | head -c 200000 > "$T/textish.csv"
sed -i '1s/^/id,text\n/' "$T/textish.csv"
"$B/tx-vectorize" --dump --min-df 1 "$T/textish.csv" > /dev/null 2> "$T/err"; rc=$?
[ $rc -le 1 ] && ! grep -q 'binary data' "$T/err" &&
    { [ $rc = 1 ] && grep -q 'textish.csv:[0-9]*: ' "$T/err" || grep -q ' rows: ' "$T/err"; } && ok ||
    no "text-like garbage as CSV: exit $rc, $(head -3 "$T/err")"
"$B/tx-vectorize" --dump --min-df 1 --format txt "$T/textish.csv" > /dev/null 2> "$T/err"; rc=$?
[ $rc = 0 ] && grep -q ' rows: ' "$T/err" && ok || no "text-like garbage as lines: exit $rc, $(head -3 "$T/err")"

# HTML from a web-form export: the tools say how many rows look like HTML
# and point at --html, which reads their text (the negation in "can&#39;t"
# comes back; no "br" words). Without it, escaped characters ("&amp;",
# "&#39;") are still never words, as tweets carry them outside any HTML.
printf 'id,text\n1,"I can&#39;t log in<br>since the update &amp; reset"\n2,plain words here\n' > "$T/html.csv"
"$B/tx-vectorize" --dump --min-df 1 "$T/html.csv" > "$T/out" 2> "$T/err"
grep -q '1 documents look like HTML.*--html' "$T/err" && grep -q 'br' "$T/out" &&
    ! grep -qw 'amp\|39' "$T/out" && ok || no "HTML hint: $(cat "$T/err") $(cat "$T/out")"
"$B/tx-vectorize" --html --dump --min-df 1 "$T/html.csv" > "$T/out" 2> "$T/err"
grep -qx '1	not_log updat reset' "$T/out" && ! grep -q 'look like HTML' "$T/err" && ok || no "--html: $(cat "$T/out")"

# Text decoded twice (an export saved again by a program that read its
# UTF-8 as Windows-1252): read as meant and counted, so "donâ€™t like"
# keeps its negation; --keep-mojibake keeps it as written.
printf 'id,text\n1,"I don\303\242\342\202\254\342\204\242t like the caf\303\203\302\251"\n2,plain words here\n' > "$T/twice.csv"
"$B/tx-vectorize" --dump --min-df 1 "$T/twice.csv" > "$T/out" 2> "$T/err"
grep -q '1 documents held text decoded twice.*--keep-mojibake' "$T/err" && grep -q '^1	not_like caf' "$T/out" &&
    ok || no "text decoded twice: $(cat "$T/err") $(cat "$T/out")"
"$B/tx-vectorize" --dump --min-df 1 --keep-mojibake "$T/twice.csv" > "$T/out" 2> "$T/err"
! grep -q 'decoded twice' "$T/err" && ! grep -q 'not_like' "$T/out" && ok || no "--keep-mojibake: $(cat "$T/out")"

# German feedback read as English (the default): the tools name the
# language and the option; with --lang given they stay quiet about it.
{ echo id,text; for i in 1 2 3 4 5 6; do echo "$i,Die Lieferung kam zu spät und der Kundenservice war nicht erreichbar. Ich habe die Karte bestellt aber sie ist nie angekommen"; done; } > "$T/de.csv"
"$B/tx-vectorize" --min-df 1 "$T/de.csv" -o "$T/de.h5" 2> "$T/err"
grep -q 'looks german.*--lang german' "$T/err" && ok || no "language hint: $(cat "$T/err")"
"$B/tx-vectorize" --min-df 1 --lang german "$T/de.csv" -o "$T/de.h5" 2> "$T/err"
grep -q 'looks' "$T/err" && no "language hint with --lang" || ok

# Excel's "Unicode text" (UTF-16 with a BOM) is read as it is; a
# Windows-1252 file gets a hint, and --encoding cp1252 reads it; an
# encoding iconv does not know is a usage error.
printf 'id\ttext\n1\tThe card never arrived\n' | iconv -f UTF-8 -t UTF-16 > "$T/u16.tsv"
[ "$("$B/tx-vectorize" -q --dump --min-df 1 "$T/u16.tsv")" = "$(printf '1\tcard not_arriv')" ] && ok || no "UTF-16 file"
printf 'id,text\n1,caf\351 au lait was cold\n' > "$T/w.csv"
"$B/tx-vectorize" --dump --min-df 1 "$T/w.csv" 2> "$T/err" > /dev/null
grep -q -- '--encoding cp1252' "$T/err" && ok || no "cp1252 hint: $(cat "$T/err")"
"$B/tx-vectorize" -q --encoding cp1252 --dump --min-df 1 --no-stem "$T/w.csv" | grep -q 'café' && ok || no "--encoding cp1252"
"$B/tx-vectorize" -q --encoding nope --dump "$T/w.csv" > /dev/null 2>&1; [ $? = 2 ] && ok || no "unknown encoding is a usage error"

# A stray quote opening a field is an error naming its line, not rows
# merged into one field; quotes inside unquoted fields (5" screen) still read.
printf 'id,text\n1,"abc,def\n2,second row\n3,third "quoted" row\n4,fourth\n' > "$T/stray.csv"
"$B/tx-vectorize" -q --dump --min-df 1 "$T/stray.csv" > /dev/null 2> "$T/err"
[ $? = 1 ] && grep -q 'stray.csv:2: CSV: a quoted field opened in this row closes only on line 4' "$T/err" && ok ||
    no "stray quote: $(cat "$T/err")"
printf 'id,text\n1,a 5" screen broke\n2,"quoted, fine"\n3,"two\nlines"\n' > "$T/inch.csv"
[ "$("$B/tx-vectorize" -q --dump --min-df 1 --no-stem "$T/inch.csv" | wc -l)" = 3 ] && ok || no "quote inside an unquoted field"

# A CSV on standard input is read as CSV (its header names the text
# column), and the tool says how it chose; --format overrides.
"$B/tx-vectorize" --dump --min-df 1 - < corpora/feedback.csv > "$T/stdin.out" 2> "$T/err"
[ "$(wc -l < "$T/stdin.out")" = 70 ] && head -1 "$T/stdin.out" | grep -q '^f001' && ok ||
    no "CSV on stdin: $(head -1 "$T/stdin.out")"
grep -q '^tx-vectorize: -: read as csv, from its content' "$T/err" && ok || no "stdin format not said: $(cat "$T/err")"
[ "$("$B/tx-vectorize" -q --format txt --dump --min-df 1 - < corpora/feedback.csv | wc -l)" = 71 ] && ok ||
    no "--format txt on stdin"
printf '{"id": "j1", "text": "card never came"}\n' | "$B/tx-vectorize" -q --dump --min-df 1 - | grep -q '^j1' && ok ||
    no "JSONL on stdin"

# A directory is read file by file of the known kinds; the others are
# listed as skipped, not read as text.
mkdir "$T/dir"; cp corpora/feedback.csv "$T/dir/"; echo '# notes' > "$T/dir/README.md"
"$B/tx-vectorize" --dump --min-df 1 "$T/dir" > "$T/dir.out" 2> "$T/err"
[ "$(wc -l < "$T/dir.out")" = 70 ] && grep -q "dir/README.md: skipped: not a known input format" "$T/err" && ok ||
    no "directory with a README: $(cat "$T/err")"

# Captions' character references are decoded once: the text reads
# "arrive & I" in report.md (Markdown shows '&' as it is), never "&amp;".
"$B/tx-themes" -q corpora/feedback.csv corpora/interviews --out "$T/main" || no "default corpus"
grep -q 'arrive & I' "$T/main/report.md" && ! grep -q 'arrive &amp; I' "$T/main/report.md" && ok ||
    no "report.md shows &amp;"
printf 'WEBVTT\n\n00:01.000 --> 00:02.000\n<v Mod>Why?\n\n00:03.000 --> 00:04.000\n<v Ann>It&#8217;s late &amp; it&#x21;\n' > "$T/refs.vtt"
"$B/tx-vectorize" -q --dump --min-df 1 --no-stem --no-stopwords "$T/refs.vtt" | grep -q "it's late it" && ok ||
    no "numeric references in captions"

# Repaired bytes (U+FFFD) are never a word, so no label shows them.
printf 'id,text\n' > "$T/fffd.csv"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    printf '%s,bad \377 address on the parcel %s\n%s,bad \376 address for the refund %s\n' "a$i" "$i" "b$i" "$i" >> "$T/fffd.csv"
done
"$B/tx-themes" -q -k 2 "$T/fffd.csv" --out "$T/fffd" || no "repaired rows"
grep -q "$(printf '\357\277\275')" "$T/fffd/themes.json" | grep -q '"label"' && no "U+FFFD in a label" || ok
"$B/tx-vectorize" -q --dump --min-df 1 "$T/fffd.csv" | grep -q "$(printf '\357\277\275')" && no "U+FFFD as a term" || ok

# tx-causes accounts for rejected rows in its report.
"$B/tx-causes" -q tests/data/bad_rows.csv --out "$T/causes" || no "tx-causes bad rows"
grep -q '^- 2 (tests/data/bad_rows.csv:3): row has 2 fields' "$T/causes/report.md" &&
    grep -q '^### Rows not read (2)' "$T/causes/report.md" && ok || no "tx-causes report lacks rejected rows"

# Ids: a tab or newline cannot break --dump's two columns; an id a
# spreadsheet would run as a formula is written as text.
printf 'id,text\n"a\tb",card late\n"=HYPERLINK(""x"")",card lost\n' > "$T/ids.csv"
"$B/tx-vectorize" -q --dump --min-df 1 "$T/ids.csv" > "$T/ids.out"
[ "$(head -1 "$T/ids.out")" = "$(printf 'a\\tb\tcard late')" ] && [ "$(awk -F'\t' '{print NF}' "$T/ids.out" | sort -u)" = 2 ] && ok ||
    no "--dump ids: $(cat "$T/ids.out")"
"$B/tx-themes" -q -k 1 --min-df 1 "$T/ids.csv" --out "$T/ids" 2> /dev/null
grep -q "^\"'=HYPERLINK(\"\"x\"\")\"," "$T/ids/assignments.csv" && ok || no "formula id: $(cat "$T/ids/assignments.csv")"

echo "bad_input: $pass passed, $fail failed"
[ $fail = 0 ]
