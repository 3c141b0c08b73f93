/* Corpus ingestion: formats, metadata, and every bad-input case. */
#include "check_suites.h"
#include "input/tx_corpus_private.h"
#include "thread_ranks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static tx_ctx *ctx;

static void setup(void)
{
    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
}

static void teardown(void)
{
    tx_ctx_free(ctx);
}

static tx_doc doc(const tx_corpus *c, size_t i)
{
    tx_doc d;

    ck_assert_int_eq(tx_corpus_doc(c, i, &d), TX_OK);
    return d;
}

static tx_reject rej(const tx_corpus *c, size_t i)
{
    tx_reject r;

    ck_assert_int_eq(tx_corpus_reject(c, i, &r), TX_OK);
    return r;
}

START_TEST(csv_rfc4180)
{
    /* BOM, CRLF, quoted comma, doubled quote, newline inside quotes. */
    const char *csv =
        "\xEF\xBB\xBFid,text,score\r\n"
        "a,\"late, again\",1\r\n"
        "b,\"she said \"\"never\"\" twice\",2\r\n"
        "c,\"line one\nline two\",3\r\n"
        "d,  spaced  ,4\r\n";
    tx_corpus *c = load_buffer(ctx, NULL, "t.csv", csv, TX_OK, NULL);

    ck_assert_uint_eq(tx_corpus_size(c), 4);
    ck_assert_uint_eq(tx_corpus_rows(c), 4);
    ck_assert_str_eq(doc(c, 0).id, "a");
    ck_assert_str_eq(doc(c, 0).text, "late, again");
    ck_assert_str_eq(doc(c, 1).text, "she said \"never\" twice");
    ck_assert_str_eq(doc(c, 2).text, "line one\nline two");
    ck_assert_int_eq(doc(c, 2).line, 4);
    ck_assert_int_eq(doc(c, 3).line, 6); /* counts the embedded newline */
    ck_assert_str_eq(doc(c, 3).text, "  spaced  ");
    ck_assert_str_eq(doc(c, 0).group, "survey");
    ck_assert_str_eq(doc(c, 0).file, "t.csv");
    tx_corpus_free(c);
}
END_TEST

START_TEST(tsv_and_columns)
{
    const char *tsv = "num\tcomment\tsegment\tnps\tphase\twhen\n"
                      "7\tgreat app\tinterview\t9\tlogin\t2026-01\n"
                      "8\tslow app\tsurvey\t\tapp\t2026-02\n";
    tx_corpus_params p;
    tx_corpus *c;

    tx_corpus_params_init(&p);
    p.text_col = "comment";
    p.id_col = "num";
    p.group_col = "segment";
    p.outcome_col = "nps";
    p.stage_col = "phase";
    p.time_col = "when";
    c = load_buffer(ctx, &p, "t.tsv", tsv, TX_OK, NULL);
    ck_assert_uint_eq(tx_corpus_size(c), 2);
    ck_assert_str_eq(doc(c, 0).id, "7");
    ck_assert_str_eq(doc(c, 0).text, "great app");
    ck_assert_str_eq(doc(c, 0).group, "interview");
    ck_assert_int_eq(doc(c, 0).has_outcome, 1);
    ck_assert(doc(c, 0).outcome == 9.0);
    ck_assert_int_eq(doc(c, 1).has_outcome, 0);
    ck_assert_str_eq(doc(c, 1).stage, "app");
    ck_assert_str_eq(doc(c, 1).time, "2026-02");
    tx_corpus_free(c);
}
END_TEST

START_TEST(row_number_ids)
{
    tx_corpus *c = load_buffer(ctx, NULL, "t.csv", "text\nx y\nz w\n", TX_OK,
                               NULL);

    ck_assert_str_eq(doc(c, 0).id, "1");
    ck_assert_str_eq(doc(c, 1).id, "2");
    tx_corpus_free(c);
}
END_TEST

START_TEST(no_text_column)
{
    tx_diag d;
    tx_corpus *c = load_buffer(ctx, NULL, "h.csv", "id,body\n1,hello\n",
                               TX_EFORMAT, &d);

    ck_assert_str_eq(d.file, "h.csv");
    ck_assert_int_eq(d.line, 1);
    ck_assert_ptr_nonnull(strstr(d.message, "text"));
    ck_assert_uint_eq(tx_corpus_rows(c), 0);
    tx_corpus_free(c);
}
END_TEST

START_TEST(missing_named_column)
{
    tx_corpus_params p;
    tx_diag d;
    tx_corpus *c;

    tx_corpus_params_init(&p);
    p.group_col = "channel";
    c = load_buffer(ctx, &p, "h.csv", "id,text\n1,hello\n", TX_EFORMAT, &d);
    ck_assert_ptr_nonnull(strstr(d.message, "channel"));
    tx_corpus_free(c);
}
END_TEST

START_TEST(ragged_rows_rejected)
{
    const char *csv = "id,text,x\n1,ok row,a\n2,too few\n3,too,many,fields\n"
                      "4,fine,b\n";
    tx_corpus *c = load_buffer(ctx, NULL, "r.csv", csv, TX_OK, NULL);

    ck_assert_uint_eq(tx_corpus_size(c), 2);
    ck_assert_uint_eq(tx_corpus_reject_count(c), 2);
    ck_assert_uint_eq(tx_corpus_rows(c), 4);
    ck_assert_uint_eq(doc(c, 1).row, 3); /* input order across both lists */
    ck_assert_uint_eq(rej(c, 0).row, 1);
    ck_assert_str_eq(rej(c, 0).id, "2");
    ck_assert_int_eq(rej(c, 0).line, 3);
    ck_assert_ptr_nonnull(strstr(rej(c, 0).reason, "2 fields"));
    ck_assert_int_eq(rej(c, 1).line, 4);
    tx_corpus_free(c);
}
END_TEST

START_TEST(unterminated_quote)
{
    tx_diag d;
    tx_corpus *c;

    c = load_buffer(ctx, NULL, "q.csv",
                    "id,text\n1,fine\n2,\"never closed\n3,more\n4,rows\n",
                    TX_EFORMAT, &d);
    ck_assert_int_eq(d.line, 3);
    ck_assert_ptr_nonnull(strstr(d.message, "unterminated"));
    /* The failed file adds nothing, not even its good first row. */
    ck_assert_uint_eq(tx_corpus_rows(c), 0);
    tx_corpus_free(c);
}
END_TEST

START_TEST(nul_and_empty_rows)
{
    static const char csv[] = "id,text\n1,has\0nul\n2,\n3,   \n4,fine\n";
    tx_corpus *c = NULL;

    ck_assert_int_eq(tx_corpus_new(ctx, NULL, &c), TX_OK);
    ck_assert_int_eq(tx_corpus_add_buffer(c, "n.csv", csv, sizeof csv - 1,
                                          NULL), TX_OK);
    ck_assert_uint_eq(tx_corpus_size(c), 1);
    ck_assert_uint_eq(tx_corpus_reject_count(c), 3);
    ck_assert_ptr_nonnull(strstr(rej(c, 0).reason, "NUL"));
    ck_assert_str_eq(rej(c, 1).reason, "empty text");
    ck_assert_str_eq(rej(c, 2).reason, "empty text");
    tx_corpus_free(c);
}
END_TEST

START_TEST(invalid_utf8)
{
    const char *csv = "id,text\n1,caf\xC3 ok \xFF\xFE end\n2,good\n";
    tx_corpus_params p;
    tx_corpus *c = load_buffer(ctx, NULL, "u.csv", csv, TX_OK, NULL);

    ck_assert_uint_eq(tx_corpus_size(c), 2);
    ck_assert_uint_eq(tx_corpus_repaired_count(c), 1);
    ck_assert_str_eq(doc(c, 0).text,
                     "caf\xEF\xBF\xBD ok \xEF\xBF\xBD\xEF\xBF\xBD end");
    tx_corpus_free(c);
    tx_corpus_params_init(&p);
    p.strict_utf8 = 1;
    c = load_buffer(ctx, &p, "u.csv", csv, TX_OK, NULL);
    ck_assert_uint_eq(tx_corpus_size(c), 1);
    ck_assert_uint_eq(tx_corpus_reject_count(c), 1);
    ck_assert_ptr_nonnull(strstr(rej(c, 0).reason, "UTF-8"));
    tx_corpus_free(c);
}
END_TEST

/* Text whose UTF-8 was read as Windows-1252 and saved again (an export
 * opened and saved by a spreadsheet): read as meant, counted; text that
 * only looks alike stays; with repair_twice_decoded 0 it is kept. */
START_TEST(twice_decoded_text)
{
    const char *csv =
        "id,text\n"
        "1,\"I don\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2t like the caf\xC3\x83\xC2\xA9 "
        "\xC3\xB0\xC5\xB8\xCB\x9C\xE2\x82\xAC at 30\xC3\x82\xC2\xB0\"\n"
        /* decoded three times: "’" */
        "2,\"x \xC3\x83\xC2\xA2\xC3\xA2\xE2\x80\x9A\xC2\xAC\xC3\xA2\xE2\x80\x9E\xC2\xA2 y\"\n"
        /* as written: pâte, NÃO, CAFÉ’s, a cut sequence at the end */
        "3,\"p\xC3\xA2te N\xC3\x83O CAF\xC3\x89\xE2\x80\x99s \xC3\xA2\xE2\x82\xAC\"\n";
    tx_corpus_params p;
    tx_corpus *c = load_buffer(ctx, NULL, "m.csv", csv, TX_OK, NULL);

    ck_assert_uint_eq(tx_corpus_size(c), 3);
    ck_assert_uint_eq(tx_corpus_twice_decoded_count(c), 2);
    ck_assert_str_eq(doc(c, 0).text,
                     "I don\xE2\x80\x99t like the caf\xC3\xA9 "
                     "\xF0\x9F\x98\x80 at 30\xC2\xB0");
    ck_assert_uint_eq(doc(c, 0).len, strlen(doc(c, 0).text));
    ck_assert_str_eq(doc(c, 1).text, "x \xE2\x80\x99 y");
    ck_assert_str_eq(doc(c, 2).text,
                     "p\xC3\xA2te N\xC3\x83O CAF\xC3\x89\xE2\x80\x99s "
                     "\xC3\xA2\xE2\x82\xAC");
    tx_corpus_free(c);
    tx_corpus_params_init(&p);
    p.repair_twice_decoded = 0;
    c = load_buffer(ctx, &p, "m.csv", csv, TX_OK, NULL);
    ck_assert_uint_eq(tx_corpus_twice_decoded_count(c), 0);
    ck_assert_ptr_nonnull(strstr(doc(c, 0).text, "don\xC3\xA2\xE2\x82\xAC"));
    tx_corpus_free(c);
}
END_TEST

START_TEST(empty_file)
{
    tx_diag d;
    tx_corpus *c = NULL;

    ck_assert_int_eq(tx_corpus_new(ctx, NULL, &c), TX_OK);
    ck_assert_int_eq(tx_corpus_add_buffer(c, "e.csv", "", 0, &d), TX_EFORMAT);
    ck_assert_str_eq(d.file, "e.csv");
    ck_assert_ptr_nonnull(strstr(d.message, "empty"));
    tx_corpus_free(c);
}
END_TEST

START_TEST(huge_single_line)
{
    size_t n = 50u << 20, i;
    char *big = malloc(n + 16);
    tx_corpus *c = NULL;
    tx_vocab *v = NULL;
    tx_csr *m = NULL;

    ck_assert_ptr_nonnull(big);
    for (i = 0; i < n; i++)
        big[i] = (char)("abcdefgh "[i % 9]);
    ck_assert_int_eq(tx_corpus_new(ctx, NULL, &c), TX_OK);
    ck_assert_int_eq(tx_corpus_add_buffer(c, "big.txt", big, n, NULL), TX_OK);
    ck_assert_uint_eq(tx_corpus_size(c), 1);
    ck_assert_uint_eq(doc(c, 0).len, n);
    ck_assert_int_eq(tx_vocab_fit(ctx, NULL, NULL, c, &v, &m), TX_OK);
    ck_assert_uint_eq(m->rows, 1);
    tx_csr_free(m);
    tx_vocab_free(v);
    tx_corpus_free(c);
    free(big);
}
END_TEST

START_TEST(lines_format)
{
    tx_corpus *c = load_buffer(ctx, NULL, "l.txt",
                               "first doc\r\n\nthird doc\n", TX_OK, NULL);

    ck_assert_uint_eq(tx_corpus_size(c), 2);
    ck_assert_uint_eq(tx_corpus_reject_count(c), 1); /* the blank line */
    ck_assert_str_eq(doc(c, 0).text, "first doc");
    ck_assert_str_eq(doc(c, 1).id, "3");
    ck_assert_int_eq(rej(c, 0).line, 2);
    tx_corpus_free(c);
}
END_TEST

START_TEST(jsonl_rows)
{
    const char *j =
        "{\"id\": 17, \"text\": \"card \\u00e9 declined\", \"g\": \"chat\"}\n"
        "\n"
        "{\"text\": 5}\n"
        "not json\n"
        "[1,2]\n"
        "{\"body\": \"x\"}\n"
        "{\"id\": \"z\", \"text\": \"fine\", \"nps\": \"high\"}\n"
        "{\"id\": \"y\", \"text\": \"ok\", \"nps\": 7}\n";
    tx_corpus_params p;
    tx_corpus *c;

    tx_corpus_params_init(&p);
    p.group_col = "g";
    p.outcome_col = "nps";
    c = load_buffer(ctx, &p, "j.jsonl", j, TX_OK, NULL);
    ck_assert_uint_eq(tx_corpus_size(c), 2);
    ck_assert_uint_eq(tx_corpus_reject_count(c), 5);
    ck_assert_str_eq(doc(c, 0).id, "17");
    ck_assert_str_eq(doc(c, 0).text, "card \xC3\xA9 declined");
    ck_assert_str_eq(doc(c, 0).group, "chat");
    ck_assert(doc(c, 1).outcome == 7.0);
    ck_assert_int_eq(rej(c, 0).line, 3);
    ck_assert_ptr_nonnull(strstr(rej(c, 1).reason, "invalid JSON"));
    ck_assert_ptr_nonnull(strstr(rej(c, 2).reason, "not an object"));
    ck_assert_ptr_nonnull(strstr(rej(c, 3).reason, "no 'text'"));
    ck_assert_ptr_nonnull(strstr(rej(c, 4).reason, "outcome"));
    tx_corpus_free(c);
}
END_TEST

START_TEST(turns_transcript)
{
    const char *t = "Interviewer: How was sign-up?\n"
                    "Ana: Fine, but the card was declined.\n"
                    "It needed activating.\n"
                    "Interviewer: Why?\n"
                    "Ana: Nobody told me.\n";
    tx_corpus *c = load_buffer(ctx, NULL, "p1.txt", t, TX_OK, NULL);

    ck_assert_uint_eq(tx_corpus_size(c), 2);
    ck_assert_uint_eq(tx_corpus_context_count(c), 2);
    ck_assert_str_eq(doc(c, 0).id, "p1.txt:2");
    ck_assert_str_eq(doc(c, 0).text,
                     "Fine, but the card was declined. It needed activating.");
    ck_assert_str_eq(doc(c, 0).context, "How was sign-up?");
    ck_assert_str_eq(doc(c, 0).group, "interview");
    ck_assert_int_eq(doc(c, 0).line, 2);
    ck_assert_str_eq(doc(c, 1).id, "p1.txt:4");
    ck_assert_str_eq(doc(c, 1).context, "Why?");
    tx_corpus_free(c);
}
END_TEST

START_TEST(interviewer_detected_or_named)
{
    /* No role names: the speaker asking questions is the interviewer. */
    const char *t = "Sam: What went wrong? Anything else?\n"
                    "Kim: The app crashed twice.\n"
                    "Sam: When did it start?\n"
                    "Kim: After the update.\n";
    tx_corpus_params p;
    tx_corpus *c = load_buffer(ctx, NULL, "x.txt", t, TX_OK, NULL);

    ck_assert_uint_eq(tx_corpus_size(c), 2);
    ck_assert_str_eq(doc(c, 0).text, "The app crashed twice.");
    tx_corpus_free(c);
    tx_corpus_params_init(&p);
    p.interviewer = "kim";
    c = load_buffer(ctx, &p, "x.txt", t, TX_OK, NULL);
    ck_assert_uint_eq(tx_corpus_size(c), 2);
    ck_assert_str_eq(doc(c, 0).text, "What went wrong? Anything else?");
    tx_corpus_free(c);
}
END_TEST

START_TEST(webvtt_and_srt)
{
    const char *vtt = "WEBVTT\n\nNOTE a comment\n\n1\n"
                      "00:00:01.000 --> 00:00:02.000\n"
                      "<v Moderator>Tell me more?</v>\n\n"
                      "00:00:02.000 --> 00:00:05.000\n"
                      "<v.loud Jo>It was <i>slow</i> &amp; broken\n\n"
                      "00:00:05.000 --> 00:00:06.000\n"
                      "and nobody answered.\n";
    const char *srt = "1\n00:00:01,000 --> 00:00:02,000\n"
                      "Interviewer: Why did you leave?\n\n"
                      "2\n00:00:02,000 --> 00:00:04,000\n"
                      "Lee: Fees kept going up.\n";
    tx_corpus *c = load_buffer(ctx, NULL, "a.vtt", vtt, TX_OK, NULL);

    ck_assert_uint_eq(tx_corpus_size(c), 1);
    ck_assert_str_eq(doc(c, 0).text, "It was slow & broken and nobody answered.");
    ck_assert_str_eq(doc(c, 0).id, "a.vtt:2");
    ck_assert_str_eq(doc(c, 0).context, "Tell me more?");
    tx_corpus_free(c);
    c = load_buffer(ctx, NULL, "b.srt", srt, TX_OK, NULL);
    ck_assert_uint_eq(tx_corpus_size(c), 1);
    ck_assert_str_eq(doc(c, 0).text, "Fees kept going up.");
    tx_corpus_free(c);
}
END_TEST

START_TEST(transcript_without_speakers)
{
    tx_corpus_params p;
    tx_diag d;
    tx_corpus *c = load_buffer(ctx, NULL, "n.vtt",
                               "WEBVTT\n\n00:01.000 --> 00:02.000\nhello\n",
                               TX_EFORMAT, &d);

    ck_assert_ptr_nonnull(strstr(d.message, "speaker"));
    ck_assert_str_eq(d.file, "n.vtt");
    tx_corpus_free(c);
    /* A .txt without labels is read one document per line... */
    c = load_buffer(ctx, NULL, "n.txt", "just a line\nanother\n", TX_OK, NULL);
    ck_assert_uint_eq(tx_corpus_size(c), 2);
    tx_corpus_free(c);
    /* ...unless it is declared a transcript. */
    tx_corpus_params_init(&p);
    p.format = TX_FORMAT_TURNS;
    c = load_buffer(ctx, &p, "n.txt", "just a line\nanother\n", TX_EFORMAT,
                    &d);
    tx_corpus_free(c);
    c = load_buffer(ctx, NULL, "n.vtt", "not a vtt\n", TX_EFORMAT, &d);
    ck_assert_ptr_nonnull(strstr(d.message, "WEBVTT"));
    tx_corpus_free(c);
}
END_TEST

START_TEST(files_and_directories)
{
    char dir[] = "/tmp/txcorpusXXXXXX", path[256];
    tx_corpus *c = NULL;
    tx_diag d;
    FILE *f;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/b.csv", dir);
    f = fopen(path, "w");
    fputs("text\nsecond file\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/a.txt", dir);
    f = fopen(path, "w");
    fputs("first file\n", f);
    fclose(f);
    ck_assert_int_eq(tx_corpus_new(ctx, NULL, &c), TX_OK);
    ck_assert_int_eq(tx_corpus_add_file(c, dir, &d), TX_OK);
    ck_assert_uint_eq(tx_corpus_size(c), 2);
    ck_assert_str_eq(doc(c, 0).text, "first file"); /* sorted by name */
    ck_assert_int_eq(tx_corpus_add_file(c, "/nonexistent/x.csv", &d), TX_EIO);
    ck_assert_str_eq(d.file, "/nonexistent/x.csv");
    ck_assert_uint_eq(tx_corpus_size(c), 2);
    tx_corpus_free(c);
    snprintf(path, sizeof path, "%s/b.csv", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/a.txt", dir);
    remove(path);
    rmdir(dir);
}
END_TEST

START_TEST(bad_outcome_rejected)
{
    tx_corpus_params p;
    tx_corpus *c;

    tx_corpus_params_init(&p);
    p.outcome_col = "nps";
    c = load_buffer(ctx, &p, "o.csv", "text,nps\nfine,9\nbad,nine\n", TX_OK,
                    NULL);
    ck_assert_uint_eq(tx_corpus_size(c), 1);
    ck_assert_ptr_nonnull(strstr(rej(c, 0).reason, "not a number"));
    tx_corpus_free(c);
}
END_TEST

/* Builds a CSV of about 6 MB; `multiline` puts newlines inside quoted
 * fields so that a split at a newline is likely inside quotes. */
static char *big_csv(int multiline, size_t *len)
{
    size_t cap = 8u << 20, n = 0;
    char *s = malloc(cap);
    int i;

    n += (size_t)sprintf(s, "text,group\n");
    for (i = 0; n < (6u << 20); i++) {
        if (i % 997 == 5)
            n += (size_t)sprintf(s + n, "ragged row %d\n", i);
        else if (i % 1009 == 7)
            n += (size_t)sprintf(s + n, "\"\",g\n");
        else if (multiline == 2 && i % 13 != 0) /* quote-free lines */
            n += (size_t)sprintf(s + n, "row %d refund late,g%d\n", i, i % 3);
        else if (multiline)
            n += (size_t)sprintf(s + n, "\"row %d, line one\nline \"\"two\"\"\n"
                                        "line three\",g%d\n", i, i % 3);
        else
            n += (size_t)sprintf(s + n, "\"row %d, refund late\",g%d\r\n", i,
                                 i % 3);
    }
    *len = n;
    return s;
}

/* Parsing with several threads gives exactly what one thread gives. */
START_TEST(parallel_csv_matches_serial)
{
    int multiline;

    for (multiline = 0; multiline <= 1; multiline++) {
        size_t len, i;
        char *csv = big_csv(multiline, &len);
        tx_corpus *one = NULL, *two = NULL;
        tx_ctx *ctx2 = NULL;

        ck_assert_int_eq(tx_ctx_new(NULL, &ctx2), TX_OK);
        tx_ctx_set_threads(ctx2, 3);
        ck_assert_int_eq(tx_corpus_new(ctx, NULL, &one), TX_OK);
        ck_assert_int_eq(tx_corpus_new(ctx2, NULL, &two), TX_OK);
        ck_assert_int_eq(tx_corpus_add_buffer(one, "b.csv", csv, len, NULL),
                         TX_OK);
        ck_assert_int_eq(tx_corpus_add_buffer(two, "b.csv", csv, len, NULL),
                         TX_OK);
        ck_assert_uint_gt(tx_corpus_size(one), 10000);
        ck_assert_uint_gt(tx_corpus_reject_count(one), 10);
        ck_assert_uint_eq(tx_corpus_size(one), tx_corpus_size(two));
        ck_assert_uint_eq(tx_corpus_reject_count(one),
                          tx_corpus_reject_count(two));
        for (i = 0; i < tx_corpus_size(one); i++) {
            tx_doc a = doc(one, i), b = doc(two, i);

            ck_assert_str_eq(a.id, b.id);
            ck_assert_str_eq(a.text, b.text);
            ck_assert_str_eq(a.group, b.group);
            ck_assert_int_eq(a.line, b.line);
            ck_assert_uint_eq(a.row, b.row);
        }
        for (i = 0; i < tx_corpus_reject_count(one); i++) {
            tx_reject a = rej(one, i), b = rej(two, i);

            ck_assert_uint_eq(a.row, b.row);
            ck_assert_str_eq(a.id, b.id);
            ck_assert_str_eq(a.reason, b.reason);
            ck_assert_int_eq(a.line, b.line);
        }
        tx_corpus_free(one);
        tx_corpus_free(two);
        tx_ctx_free(ctx2);
        free(csv);
    }
}
END_TEST

/* Reads `csv` as `name` with quote-free lines split by the fast path or
 * all through libcsv; returns the rows written out (free it) and the
 * code and message. */
static char *read_way(const char *name, const char *csv, size_t len,
                      int threads, bool fast, int *rc, char *msg)
{
    tx_ctx *cx = NULL;
    tx_corpus *c = NULL;
    tx_diag d;
    char *dump;

    memset(&d, 0, sizeof d);
    ck_assert_int_eq(tx_ctx_new(NULL, &cx), TX_OK);
    tx_ctx_set_threads(cx, threads);
    ck_assert_int_eq(tx_corpus_new(cx, NULL, &c), TX_OK);
    tx__corpus_csv_fast(c, fast);
    *rc = tx_corpus_add_buffer(c, name, csv, len, &d);
    snprintf(msg, 256, "%ld %.200s", d.line, d.message);
    dump = corpus_dump(c);
    tx_corpus_free(c);
    tx_ctx_free(cx);
    return dump;
}

/* Quote-free lines skip libcsv; every row, field, line number, reject and
 * error must be what libcsv alone gives, on edge cases and on a file big
 * enough to be parsed in chunks on threads. */
START_TEST(csv_fast_path_matches_libcsv)
{
    static const char *const cases[] = {
        "id,text\n1,hello\n2,world",             /* no final newline */
        "id,text\r\n1,hello\r\n2,world\r\n",     /* CRLF */
        "id,text\n\n1,a\n\r\n\n2,b\n",           /* blank lines */
        "id,text\n1,a,\n2,b\n3\n",               /* ragged rows */
        "id,text\n1,\"q, a\"\n2,plain\n3,\"x\ny\"\n4,z\n",
        "id,text\n1,5\" screen\n2,fine\n",       /* quote in unquoted */
        "id,text\n1,\"open\n2,never closed\n",   /* unterminated */
        "id,text\n1,a\rb\n2,c\n",                /* lone CR */
        "id,text\n1,a\r\r\n2,c\n",
        "id,text\n1,nul\0here\n2,ok\n",
        "id,text\n 1 , spaced \n,\n,,\n",
        "id;text;group\n1;un, deux;a\n2;trois;b\n",
        "id,text,group\n1,x\tz,a\n2,\"q\"\"d\",b\n",
        "id,text,group\n1,\"a\"b,c\n2,d,e\n",
        "id,text\n",
        "id,text",
        "\n\nid,text\n1,a\n",
        "text\nonly one column\n\n",
    };
    size_t i, len;
    int way, rc1, rc2;
    char m1[256], m2[256], *a, *b, *big;

    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        for (way = 0; way < 2; way++) {
            const char *name = way ? "t.tsv" : "t.csv";

            len = strlen(cases[i]) + (strstr(cases[i], "nul") ? 8 : 0);
            a = read_way(name, cases[i], len, 1, true, &rc1, m1);
            b = read_way(name, cases[i], len, 1, false, &rc2, m2);
            ck_assert_msg(rc1 == rc2 && strcmp(m1, m2) == 0 &&
                              strcmp(a, b) == 0,
                          "case %zu (%s): fast %d %s\n%s\nlibcsv %d %s\n%s",
                          i, name, rc1, m1, a, rc2, m2, b);
            free(a);
            free(b);
        }
    }
    for (way = 0; way <= 2; way++) {
        big = big_csv(way, &len);
        a = read_way("b.csv", big, len, 3, true, &rc1, m1);
        b = read_way("b.csv", big, len, 3, false, &rc2, m2);
        ck_assert_int_eq(rc1, TX_OK);
        ck_assert_int_eq(rc2, TX_OK);
        ck_assert(strcmp(a, b) == 0);
        free(a);
        free(b);
        free(big);
    }
}
END_TEST

/* A file of 8 MB or more is read in parts on several threads: the same
 * rows as one thread reading it whole. */
START_TEST(big_file_read_in_parts)
{
    char path[] = "/tmp/tx_bigXXXXXX", *big, *dump[2];
    size_t len;
    int fd = mkstemp(path), t;
    FILE *f = fdopen(fd, "w");

    ck_assert_ptr_nonnull(f);
    big = big_csv(2, &len);
    ck_assert_uint_eq(fwrite(big, 1, len, f), len);
    ck_assert_uint_eq(fwrite(big, 1, len, f), len); /* 12 MB */
    ck_assert_int_eq(fclose(f), 0);
    for (t = 0; t < 2; t++) {
        tx_ctx *cx = NULL;
        tx_corpus *c = NULL;

        ck_assert_int_eq(tx_ctx_new(NULL, &cx), TX_OK);
        tx_ctx_set_threads(cx, t ? 3 : 1);
        ck_assert_int_eq(tx_corpus_new(cx, NULL, &c), TX_OK);
        ck_assert_int_eq(tx_corpus_add_file(c, path, NULL), TX_OK);
        ck_assert_uint_gt(tx_corpus_size(c), 300000);
        dump[t] = corpus_dump(c);
        tx_corpus_free(c);
        tx_ctx_free(cx);
    }
    ck_assert(strcmp(dump[0], dump[1]) == 0);
    free(dump[0]);
    free(dump[1]);
    free(big);
    unlink(path);
}
END_TEST

/* Text exported from web forms: with `html` set, entities are decoded, tags
 * dropped, block elements become line breaks, scripts vanish, a row of
 * nothing but markup is rejected and so is one nested past the parser's
 * limit, each with a reason. Without it, such rows are only counted ("<3"
 * and "a < b" are not HTML). */
START_TEST(html_text)
{
    tx_corpus_params p;
    tx_corpus *c;
    tx_doc d;
    tx_reject r;
    char deep[3000 * 11 + 64], *w = deep;
    int i;

    c = load_buffer(ctx, NULL, "h.csv",
                    "id,text\n1,I can&#39;t log in<br>since &amp; update\n"
                    "2,i <3 it\n3,a < b\n4,<p>card</p>\n", TX_OK, NULL);
    ck_assert_uint_eq(tx_corpus_html_count(c), 2);
    tx_corpus_doc(c, 0, &d);
    ck_assert_str_eq(d.text, "I can&#39;t log in<br>since &amp; update");
    tx_corpus_free(c);

    w += sprintf(w, "id,text\n5,");
    for (i = 0; i < 3000; i++)
        w += sprintf(w, "<div>");
    sprintf(w, "deep\n");
    tx_corpus_params_init(&p);
    p.html = 1;
    c = load_buffer(ctx, &p, "h.csv",
                    "id,text\n1,I can&#39;t log in<br>since &amp; update\n"
                    "2,<script>alert(1)</script><p>card declined</p>\n"
                    "3,<br><br>\n4,Caf&eacute; &#x1F600;\n", TX_OK, NULL);
    ck_assert_uint_eq(tx_corpus_size(c), 3);
    ck_assert_uint_eq(tx_corpus_html_count(c), 0);
    tx_corpus_doc(c, 0, &d);
    ck_assert_str_eq(d.text, "I can't log in\nsince & update");
    tx_corpus_doc(c, 1, &d);
    ck_assert_str_eq(d.text, "card declined");
    tx_corpus_doc(c, 2, &d);
    ck_assert_str_eq(d.text, "Caf\xc3\xa9 \xf0\x9f\x98\x80");
    ck_assert_uint_eq(tx_corpus_reject_count(c), 1);
    tx_corpus_reject(c, 0, &r);
    ck_assert_str_eq(r.id, "3");
    ck_assert_str_eq(r.reason, "empty text once HTML is removed");
    ck_assert_int_eq(tx_corpus_add_buffer(c, "deep.csv", deep, strlen(deep),
                                          NULL), TX_OK);
    ck_assert_uint_eq(tx_corpus_reject_count(c), 2);
    tx_corpus_reject(c, 1, &r);
    ck_assert_ptr_nonnull(strstr(r.reason, "nested more than 256 deep"));
    tx_corpus_free(c);
}
END_TEST

/* The language hint: German or French feedback is recognised by its
 * function words, English is English, and a corpus that mixes languages
 * or has too few words gets no guess. */
START_TEST(guess_language)
{
    static const char *const de =
        "Die Lieferung kam zu sp\u00e4t und der Kundenservice war nicht "
        "erreichbar. Ich habe die Karte bestellt, aber sie ist nie "
        "angekommen. Das Geld wurde trotzdem abgebucht, und die App zeigt "
        "es nicht an. Wir warten seit einer Woche auf eine Antwort.";
    static const char *const fr =
        "Le colis est arriv\u00e9 avec trois jours de retard et le service "
        "client ne r\u00e9pond pas. J'ai command\u00e9 la carte mais elle "
        "n'est jamais arriv\u00e9e. L'application plante depuis la mise "
        "\u00e0 jour et je dois recommencer le paiement.";
    static const char *const en =
        "The parcel came three days late and the support team did not "
        "answer. I ordered the card but it never arrived. The app crashes "
        "since the update and I have to start the payment again.";
    char buf[8192], *w;
    tx_corpus *c;
    int i;

    w = buf + sprintf(buf, "id,text\n");
    for (i = 0; i < 4; i++)
        w += sprintf(w, "%d,\"%s\"\n", i, de);
    c = load_buffer(ctx, NULL, "de.csv", buf, TX_OK, NULL);
    ck_assert_str_eq(tx_corpus_guess_language(c), "german");
    tx_corpus_free(c);
    w = buf + sprintf(buf, "id,text\n");
    for (i = 0; i < 4; i++)
        w += sprintf(w, "%d,\"%s\"\n", i, fr);
    c = load_buffer(ctx, NULL, "fr.csv", buf, TX_OK, NULL);
    ck_assert_str_eq(tx_corpus_guess_language(c), "french");
    tx_corpus_free(c);
    w = buf + sprintf(buf, "id,text\n");
    for (i = 0; i < 4; i++)
        w += sprintf(w, "%d,\"%s\"\n", i, en);
    c = load_buffer(ctx, NULL, "en.csv", buf, TX_OK, NULL);
    ck_assert_str_eq(tx_corpus_guess_language(c), "english");
    tx_corpus_free(c);
    w = buf + sprintf(buf, "id,text\n");
    w += sprintf(w, "1,\"%s\"\n2,\"%s\"\n3,\"%s\"\n", de, fr, en);
    c = load_buffer(ctx, NULL, "mixed.csv", buf, TX_OK, NULL);
    ck_assert_ptr_null(tx_corpus_guess_language(c));
    tx_corpus_free(c);
    c = load_buffer(ctx, NULL, "short.csv", "id,text\n1,die und der\n",
                    TX_OK, NULL);
    ck_assert_ptr_null(tx_corpus_guess_language(c));
    tx_corpus_free(c);
    /* one short text: a clear lead of function words decides; a loan
     * word does not turn English into Spanish; three words decide
     * nothing */
    {
        const char *t1 = "Die Lieferung kam zu spät, weil der Fahrer krank "
                         "war.";
        const char *t2 = "my parcel was late because the driver was ill";
        const char *t3 = "gracias for the quick fix";
        ck_assert_str_eq(tx_text_guess_language(t1, strlen(t1)), "german");
        ck_assert_str_eq(tx_text_guess_language(t2, strlen(t2)), "english");
        ck_assert_str_eq(tx_text_guess_language(t3, strlen(t3)), "english");
        ck_assert_ptr_null(tx_text_guess_language("die und der", 11));
    }
    ck_assert_ptr_null(tx_text_guess_language(NULL, 0));
}
END_TEST

/* Files in other encodings: UTF-16 with a byte-order mark (Excel's
 * "Unicode text") is read as it is, either byte order; a Windows-1252 file
 * is read with `encoding`; bytes that are not text in the named encoding
 * fail the file with the offset; an unknown encoding is refused. */
START_TEST(other_encodings)
{
    static const char le[] = "\xff\xfei\0d\0\t\0t\0e\0x\0t\0\n\0"
                             "1\0\t\0c\0a\0f\0\xe9\0\n\0";
    static const char be[] = "\xfe\xff\0i\0d\0\t\0t\0e\0x\0t\0\n"
                             "\0\x32\0\t\0n\0o\0\xeb\0l\0\n";
    tx_corpus_params p;
    tx_corpus *c = NULL;
    tx_doc d;
    tx_diag diag;

    ck_assert_int_eq(tx_corpus_new(ctx, NULL, &c), TX_OK);
    ck_assert_int_eq(tx_corpus_add_buffer(c, "le.tsv", le, sizeof le - 1,
                                          &diag), TX_OK);
    ck_assert_int_eq(tx_corpus_add_buffer(c, "be.tsv", be, sizeof be - 1,
                                          &diag), TX_OK);
    ck_assert_uint_eq(tx_corpus_size(c), 2);
    tx_corpus_doc(c, 0, &d);
    ck_assert_str_eq(d.id, "1");
    ck_assert_str_eq(d.text, "caf\xc3\xa9");
    ck_assert_int_eq((int)d.line, 2);
    tx_corpus_doc(c, 1, &d);
    ck_assert_str_eq(d.text, "no\xc3\xabl");
    ck_assert_uint_eq(tx_corpus_repaired_count(c), 0);
    /* cut in the middle of a UTF-16 unit: refused, with the place */
    ck_assert_int_eq(tx_corpus_add_buffer(c, "cut.tsv", le, sizeof le - 2,
                                          &diag), TX_EFORMAT);
    ck_assert_ptr_nonnull(strstr(diag.message, "not UTF-16 text at byte"));
    ck_assert_uint_eq(tx_corpus_size(c), 2);
    tx_corpus_free(c);

    tx_corpus_params_init(&p);
    p.encoding = "CP1252";
    c = load_buffer(ctx, &p, "w.csv", "id,text\n1,caf\xe9 \x93ok\x94\n",
                    TX_OK, NULL);
    tx_corpus_doc(c, 0, &d);
    ck_assert_str_eq(d.text, "caf\xc3\xa9 \xe2\x80\x9cok\xe2\x80\x9d");
    tx_corpus_free(c);
    p.encoding = "no-such-encoding";
    ck_assert_int_eq(tx_corpus_new(ctx, &p, &c), TX_EINVAL);

    /* UTF-16 without a BOM, known by its NUL bytes */
    ck_assert_int_eq(tx_corpus_new(ctx, NULL, &c), TX_OK);
    ck_assert_int_eq(tx_corpus_add_buffer(c, "le.tsv", le + 2, sizeof le - 3,
                                          &diag), TX_OK);
    tx_corpus_doc(c, 0, &d);
    ck_assert_str_eq(d.text, "caf\xc3\xa9");
    tx_corpus_free(c);
}
END_TEST

/* Files that are not text fail as a whole, saying what they are and what
 * to do, instead of becoming rows of U+FFFD and NUL rejects. */
START_TEST(binary_files)
{
    static const char xlsx[] = "PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0"
                               "[Content_Types].xml";
    static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj";
    char noise[512];
    tx_corpus *c = NULL;
    tx_diag diag;
    size_t i;
    uint64_t x = 88172645463325252ULL;

    for (i = 0; i < sizeof noise; i++) { /* xorshift bytes */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        noise[i] = (char)(x & 0xFF);
    }
    ck_assert_int_eq(tx_corpus_new(ctx, NULL, &c), TX_OK);
    ck_assert_int_eq(tx_corpus_add_buffer(c, "s.csv", xlsx, sizeof xlsx - 1,
                                          &diag), TX_EFORMAT);
    ck_assert_ptr_nonnull(strstr(diag.message, "Excel workbook (.xlsx)"));
    ck_assert_int_eq(tx_corpus_add_buffer(c, "r.txt", pdf, sizeof pdf - 1,
                                          &diag), TX_EFORMAT);
    ck_assert_ptr_nonnull(strstr(diag.message, "PDF"));
    ck_assert_int_eq(tx_corpus_add_buffer(c, "n.txt", noise, sizeof noise,
                                          &diag), TX_EFORMAT);
    ck_assert_ptr_nonnull(strstr(diag.message, "binary data"));
    ck_assert_uint_eq(tx_corpus_rows(c), 0);
    tx_corpus_free(c);
}
END_TEST

/* CSV written by Excel in European locales separates fields with ';' (the
 * comma is the decimal mark there): a header with more semicolons than
 * commas is read that way, quotes and all; a comma header stays comma. */
START_TEST(semicolon_csv)
{
    tx_corpus *c = load_buffer(ctx, NULL, "eu.csv",
                               "id;text;score\n1;\"late; again, sadly\";3,5\n"
                               "2;card lost;1\n", TX_OK, NULL);
    tx_doc d;

    ck_assert_uint_eq(tx_corpus_size(c), 2);
    tx_corpus_doc(c, 0, &d);
    ck_assert_str_eq(d.id, "1");
    ck_assert_str_eq(d.text, "late; again, sadly");
    tx_corpus_free(c);
    c = load_buffer(ctx, NULL, "us.csv", "id,text\n1,a; b; c\n", TX_OK, NULL);
    tx_corpus_doc(c, 0, &d);
    ck_assert_str_eq(d.text, "a; b; c");
    tx_corpus_free(c);
}
END_TEST

/* A .json file holding an array of objects (as many tools export) is read
 * element by element: rows keep their line, non-objects are rejected with
 * a reason, and damage fails the file naming its line. */
START_TEST(json_array)
{
    static const char cut[] = "[{\"text\": \"x y\"},\n{\"text\": ";
    static const char junk[] = "[{\"text\": \"x y\"}] junk";
    tx_corpus *c = load_buffer(ctx, NULL, "a.json",
                               "[\n {\"id\": \"a\", \"text\": \"card lost\"},\n"
                               " 42,\n {\"text\": \"app slow\"}\n]\n",
                               TX_OK, NULL);
    tx_doc d;
    tx_reject r;
    tx_diag diag;

    ck_assert_uint_eq(tx_corpus_size(c), 2);
    tx_corpus_doc(c, 0, &d);
    ck_assert_str_eq(d.id, "a");
    ck_assert_int_eq((int)d.line, 2);
    tx_corpus_doc(c, 1, &d);
    ck_assert_str_eq(d.id, "3");
    ck_assert_str_eq(d.text, "app slow");
    ck_assert_int_eq((int)d.line, 4);
    tx_corpus_reject(c, 0, &r);
    ck_assert_int_eq((int)r.line, 3);
    ck_assert_str_eq(r.reason, "JSON value is not an object");
    ck_assert_int_eq(tx_corpus_add_buffer(c, "b.json", cut, strlen(cut),
                                          &diag), TX_EFORMAT);
    ck_assert_int_eq((int)diag.line, 2);
    ck_assert_int_eq(tx_corpus_add_buffer(c, "c.json", junk, strlen(junk),
                                          &diag), TX_EFORMAT);
    ck_assert_str_eq(diag.message, "data after the closing ']'");
    ck_assert_uint_eq(tx_corpus_rows(c), 3); /* failed files add nothing */
    tx_corpus_free(c);
}
END_TEST

/* Non-answers to an open question, whatever their case and punctuation,
 * and answers that only start like one. */
START_TEST(non_answers)
{
    static const char *const yes[] = {"N/A", "n.a.", "No comment.",
        "  nothing to add!! ", "-", "", "NONE", "Don't know", "no"};
    static const char *const no[] = {"No, the card never arrived",
        "nothing works", "\xf0\x9f\x91\x8d", "All good",
        "not sure why I was charged", "none of the staff helped"};
    size_t i;

    for (i = 0; i < sizeof yes / sizeof *yes; i++)
        ck_assert_msg(tx_text_is_non_answer(yes[i], strlen(yes[i])),
                      "'%s' is a non-answer", yes[i]);
    for (i = 0; i < sizeof no / sizeof *no; i++)
        ck_assert_msg(!tx_text_is_non_answer(no[i], strlen(no[i])),
                      "'%s' is an answer", no[i]);
}
END_TEST

Suite *tx_suite_corpus(void)
{
    Suite *s = suite_create("corpus");
    TCase *tc = tcase_create("corpus");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, csv_rfc4180);
    tcase_add_test(tc, tsv_and_columns);
    tcase_add_test(tc, row_number_ids);
    tcase_add_test(tc, no_text_column);
    tcase_add_test(tc, missing_named_column);
    tcase_add_test(tc, ragged_rows_rejected);
    tcase_add_test(tc, unterminated_quote);
    tcase_add_test(tc, nul_and_empty_rows);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, twice_decoded_text);
    tcase_add_test(tc, empty_file);
    tcase_add_test(tc, huge_single_line);
    tcase_add_test(tc, lines_format);
    tcase_add_test(tc, jsonl_rows);
    tcase_add_test(tc, turns_transcript);
    tcase_add_test(tc, interviewer_detected_or_named);
    tcase_add_test(tc, webvtt_and_srt);
    tcase_add_test(tc, transcript_without_speakers);
    tcase_add_test(tc, files_and_directories);
    tcase_add_test(tc, bad_outcome_rejected);
    tcase_add_test(tc, parallel_csv_matches_serial);
    tcase_add_test(tc, csv_fast_path_matches_libcsv);
    tcase_add_test(tc, big_file_read_in_parts);
    tcase_add_test(tc, html_text);
    tcase_add_test(tc, guess_language);
    tcase_add_test(tc, other_encodings);
    tcase_add_test(tc, semicolon_csv);
    tcase_add_test(tc, json_array);
    tcase_add_test(tc, binary_files);
    tcase_add_test(tc, non_answers);
    suite_add_tcase(s, tc);
    return s;
}
