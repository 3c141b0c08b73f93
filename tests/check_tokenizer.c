/* Normalization and tokenization. White-box for the ASCII fast path. */
#include "check_suites.h"
#include "text/tx_text_private.h"

#include <stdlib.h>
#include <string.h>

static tx_ctx *ctx;

static void setup(void)
{
    ck_assert_int_eq(tx_ctx_new(NULL, &ctx), TX_OK);
}

static void teardown(void)
{
    tx_ctx_free(ctx);
}

/* A tokenizer with every transformation off except the ones named. */
static tx_tokenizer *plain(int stem, int stop, int neg, int ph)
{
    tx_tokenizer_params p;
    tx_tokenizer *t = NULL;

    tx_tokenizer_params_init(&p);
    p.stem = stem;
    p.stopwords = stop;
    p.negation = neg;
    p.placeholders = ph;
    p.min_token_len = 1;
    ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_OK);
    return t;
}

static void expect(tx_tokenizer *t, const char *text, const char *want)
{
    char *got = terms_of(t, text);

    ck_assert_msg(strcmp(got, want) == 0, "'%s' -> '%s', want '%s'", text,
                  got, want);
    free(got);
}

START_TEST(word_boundaries)
{
    tx_tokenizer *t = plain(0, 0, 0, 1);

    expect(t, "I don't like e-mail.", "i don't like e-mail");
    expect(t, "Turn on 2FA now!", "turn on 2fa now");
    expect(t, "It cost $30, not 20.", "it cost _money_ not _num_");
    expect(t, "Pay €4.99 or 1,000 points", "pay _money_ or _num_ points");
    expect(t, "Don’t (really) — ok?", "don't really ok");
    expect(t, "sign-up check-in -dash- end-", "sign-up check-in dash end");
    /* Characters left escaped by a web export or a tweet's API are not
     * words ("amp" once labelled themes of tweets); the same letters
     * outside a reference are. */
    expect(t, "you &amp; me &lt;3 it&#39;s &#x27;ok&#x27; &nbsp;",
           "you me _num_ it's ok");
    /* ... but an escaped apostrophe inside a word is the apostrophe */
    expect(t, "don&#39;t can&rsquo;t it&#X27;s l&#039;app rock&apos;n&apos;roll",
           "don't can't it's l'app rock'n'roll");
    expect(t, "don&#39; &#39;t x&#39;&#39;y", "don t x y");
    expect(t, "amp &amp x&amp;y &#xzz; &ampx;", "amp amp x y xzz ampx");
    /* A web address without "http" keeps its name, not its suffix. */
    expect(t, "see PayPal.com/help or amazon.co.uk, the .com boom",
           "see paypal help or amazon the com boom");
    tx_tokenizer_free(t);
}
END_TEST

START_TEST(placeholders)
{
    tx_tokenizer *t = plain(0, 0, 0, 1), *off = plain(0, 0, 0, 0);

    expect(t, "see https://example.com/a?b=1, or www.x.org.",
           "see _url_ or _url_");
    expect(t, "mail me at Jo.Doe+x@mail.example.co.uk today",
           "mail me at _email_ today");
    expect(t, "(https://x.io)", "_url_");
    /* A handle addresses someone; as a word it made a theme of each
     * airline customers wrote to. */
    expect(t, "@united: help, @AskPayPal's reply (@jet_blue)",
           "_handle_ help _handle_ reply _handle_");
    expect(t, "a@b c @ d", "a b c d"); /* not a handle, not an address */
    expect(off, "call 555 1234", "call 555 1234");
    /* Redaction marks of complaint exports; lowercase "xx" is a word. */
    expect(t, "On XX/XX/XXXX I paid XXXX", "on _redacted_ _redacted_ "
                                          "_redacted_ i paid _redacted_");
    expect(t, "Dear {{name}}, order [REDACTED].", "dear _redacted_ order "
                                                  "_redacted_");
    expect(t, "love you xx, size XXL, ORA-XXXXX",
           "love you xx size xxl ora-xxxxx");
    tx_tokenizer_free(t);
    tx_tokenizer_free(off);
}
END_TEST

/* Encoded data pasted into a ticket is one placeholder, not dozens of
 * random fragments; long identifiers and paths stay words. */
START_TEST(encoded_data)
{
    tx_tokenizer *t = plain(0, 0, 0, 1), *off = plain(0, 0, 0, 0);

    expect(t, "log: (SGVsbG8gd29ybGQhIFRoaXMgaXMgYmFzZTY0/+dGV4dCAxMjM0NTY=) "
              "thanks", "log _blob_ thanks");
    expect(t, "sha 2aae6c35c94fcfb415dbe95f408b9ce91ee846ed ok",
           "sha _blob_ ok");
    expect(t, "AbstractTransactionalJUnit4SpringContextTests: fails",
           "abstracttransactionaljunit4springcontexttests fails");
    expect(t, "/home/anna/documents/reports/2023/march/final.pdf",
           "home anna documents reports _num_ march final pdf");
    expect(t, "short Zm9vYmFy+YmF6 one", "short zm9vymfy ymf6 one");
    expect(off, "k SGVsbG8gd29ybGQhIFRoaXMgaXMgYmFzZTY0dGV4dCAxMjM0/x",
           "k sgvsbg8gd29ybgqhifroaxmgaxmgymfzzty0dgv4dcaxmjm0 x");
    tx_tokenizer_free(t);
    tx_tokenizer_free(off);
}
END_TEST

START_TEST(negation_attached)
{
    tx_tokenizer *t = plain(1, 1, 1, 1);
    char *a = terms_of(t, "The agent was helpful"),
         *b = terms_of(t, "The agent was not helpful");

    ck_assert_str_eq(a, "agent help");
    ck_assert_str_eq(b, "agent not_help");
    free(a);
    free(b);
    expect(t, "It didn't work at all", "not_work");
    expect(t, "I can't log in", "not_log");
    expect(t, "I can&#39;t log in, it isn&#x27;t working", "not_log not_work");
    expect(t, "never arrived", "not_arriv");
    expect(t, "nobody told me", "not_told");
    /* Negation stops at clause punctuation. */
    expect(t, "Not bad. Helpful staff", "not_bad help staff");
    expect(t, "no. helpful", "help");
    tx_tokenizer_free(t);
}
END_TEST

START_TEST(unicode_normalization)
{
    tx_tokenizer *t = plain(0, 0, 0, 0);
    char buf[64];
    size_t need;

    expect(t, "ＣＡＦÉ Straße", "café strasse");
    expect(t, "ﬁnance Ⅳ", "finance iv");
    expect(t, "cafe\xCC\x81", "caf\xC3\xA9"); /* combining accent composed */
    ck_assert_int_eq(tx_text_normalize("ABC", 3, buf, 2, &need), TX_ERANGE);
    ck_assert_uint_eq(need, 4);
    ck_assert_int_eq(tx_text_normalize("ÅBC", strlen("ÅBC"), buf, sizeof buf,
                                  &need), TX_OK);
    ck_assert_str_eq(buf, "åbc");
    ck_assert_int_eq(tx_text_normalize("\xFF", 1, buf, sizeof buf, &need),
                     TX_EUTF8);
    tx_tokenizer_free(t);
}
END_TEST

START_TEST(emoji_tokens)
{
    tx_tokenizer *t = plain(0, 0, 0, 0);

    expect(t, "great👍 service", "great 👍 service");
    expect(t, "ok 👍🏽!", "ok 👍🏽");
    expect(t, "family 👨‍👩‍👧 day", "family 👨‍👩‍👧 day");
    expect(t, "🇬🇧🇫🇷", "🇬🇧 🇫🇷");
    expect(t, "❤️❤️", "❤️ ❤️");
    /* other symbols are not words: box drawing of doubly decoded text,
     * bullets, ticks, degrees */
    expect(t, "list├ö├ç ■ ✓ 30° ★ ™ 😍", "list ö ç 30 ★ ™ 😍");
    tx_tokenizer_free(t);
}
END_TEST

/* The ASCII fast path must give what utf8proc gives. */
START_TEST(ascii_fast_path_matches_utf8proc)
{
    static const char alphabet[] = "abcXYZ019 '-.,$@:/_!?\t\nQwErTy";
    tx_tokenizer *fast = plain(1, 1, 1, 1), *slow = plain(1, 1, 1, 1);
    unsigned seed = 12345;
    int i, k;

    tx__tokenizer_force_unicode(slow, 1);
    for (i = 0; i < 2000; i++) {
        char text[80], *a, *b;
        int n = 1 + (int)(seed % 70);

        for (k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            text[k] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        text[n] = '\0';
        a = terms_of(fast, text);
        b = terms_of(slow, text);
        ck_assert_msg(strcmp(a, b) == 0, "'%s': fast '%s' slow '%s'", text, a,
                      b);
        free(a);
        free(b);
    }
    tx_tokenizer_free(fast);
    tx_tokenizer_free(slow);
}
END_TEST

START_TEST(invalid_utf8_and_long_words)
{
    tx_tokenizer *t = plain(0, 0, 0, 0);
    char *big = malloc(20001);

    expect(t, "bad\xFF\xFEwords \xC3 here", "bad words here");
    /* U+FFFD marks bytes the reader repaired: never a word or part of one. */
    expect(t, "bad \xEF\xBF\xBD, address", "bad address");
    expect(t, "caf\xEF\xBF\xBD ok", "caf ok");
    memset(big, 'a', 20000);
    big[20000] = '\0';
    expect(t, big, ""); /* longer than TX_MAX_TOKEN: not a word */
    big[100] = ' ';
    big[101] = 'x';
    big[102] = ' ';
    expect(t, big, "x");
    free(big);
    tx_tokenizer_free(t);
}
END_TEST

START_TEST(stemming_every_language)
{
    const char **langs = tx_tokenizer_languages();
    tx_tokenizer_params p;
    tx_tokenizer *t = NULL;
    int n = 0;

    for (; *langs; langs++, n++) {
        tx_tokenizer_params_init(&p);
        p.lang = *langs;
        ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_OK);
        tx_tokenizer_free(t);
        t = NULL;
    }
    ck_assert_int_ge(n, 15);
    tx_tokenizer_params_init(&p);
    p.lang = "klingon";
    ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_EINVAL);
    ck_assert_ptr_null(t);
    p.lang = "french";
    p.stopwords = 0;
    ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_OK);
    expect(t, "livraisons retardées", "livraison retard");
    tx_tokenizer_free(t);
}
END_TEST

START_TEST(stopwords_and_min_len)
{
    static const char *const mine[] = {"parcel", NULL};
    tx_tokenizer_params p;
    tx_tokenizer *t = NULL;

    tx_tokenizer_params_init(&p);
    p.stem = 0;
    ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_OK);
    expect(t, "The parcel was in a box x", "parcel box");
    tx_tokenizer_free(t);
    p.stopword_list = mine;
    ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_OK);
    expect(t, "The PARCEL box", "the box");
    tx_tokenizer_free(t);
}
END_TEST

struct offsets {
    size_t n, start[4], end[4]; /* of the first 4 tokens */
};

static int record_span(void *ud, const tx_token *tok)
{
    struct offsets *s = ud;

    if (s->n < 4) {
        s->start[s->n] = tok->start;
        s->end[s->n] = tok->end;
    }
    s->n++;
    return 0;
}

START_TEST(ngrams_and_offsets)
{
    tx_tokenizer_params p;
    tx_tokenizer *t = NULL;

    tx_tokenizer_params_init(&p);
    p.ngram_max = 2;
    ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_OK);
    expect(t, "Delivery was late. Refund slow",
           "deliveri late deliveri late refund slow refund slow");
    tx_tokenizer_free(t);
    p.ngram_min = 2;
    p.ngram_max = 3;
    ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_OK);
    expect(t, "card never arrived home",
           "card not_arriv not_arriv home card not_arriv home");
    tx_tokenizer_free(t);
    p.ngram_min = 3;
    p.ngram_max = 2;
    ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_EINVAL);
}
END_TEST

/* A word with an escaped apostrophe spans the reference's bytes. */
START_TEST(escaped_apostrophe_offsets)
{
    tx_tokenizer *t = plain(0, 0, 0, 1);
    struct offsets seen = {0};
    const char *text = "ok don&#39;t go";

    ck_assert_int_eq(tx_tokenize(t, text, strlen(text), record_span, &seen),
                     TX_OK);
    ck_assert_uint_eq(seen.n, 3);
    ck_assert_uint_eq(seen.start[1], 3);
    ck_assert_uint_eq(seen.end[1], 12);
    tx_tokenizer_free(t);
}
END_TEST

/* Chinese, Japanese and Thai are written without spaces: ICU's dictionary
 * word breaker cuts them into words, with byte offsets of their own; their
 * function words are stopwords whatever the language; a single ideograph
 * is a word even under min_token_len 2; full-width punctuation ends a
 * clause as ASCII punctuation does. Hangul, written with spaces, is cut at
 * the spaces. */
START_TEST(words_of_scripts_without_spaces)
{
    tx_tokenizer_params p;
    tx_tokenizer *t = NULL;
    const char *text = "App崩溃了";
    struct offsets seen = {0, {0}, {0}};

    tx_tokenizer_params_init(&p);
    ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_OK);
    expect(t, "快递太慢了，等了两个星期", "快递 太慢 等 两 星期");
    expect(t, "好", "好");
    expect(t, "配達が遅いです", "配達 遅い");
    expect(t, "ｶﾀｶﾅのアプリ", "カタカナ アプリ"); /* half-width kana, NFKC */
    expect(t, "แอปพลิเคชันล่มบ่อย", "แอปพลิเคชัน ล่ม บ่อย");
    expect(t, "배송이 늦었어요", "배송이 늦었어요");
    ck_assert_int_eq(tx_tokenize(t, text, strlen(text), record_span, &seen),
                     TX_OK);
    ck_assert_uint_eq(seen.n, 2); /* app 崩溃 (了 is a stopword) */
    ck_assert_uint_eq(seen.start[1], 3);
    ck_assert_uint_eq(seen.end[1], 9);
    tx_tokenizer_free(t);
    p.ngram_max = 2;
    ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_OK);
    expect(t, "快递太慢，包裹破损", "快递 太慢 快递 太慢 包裹 破损 包裹 破损");
    tx_tokenizer_free(t);
    p.ngram_max = 1;
    p.lang = "german"; /* the Chinese list applies with any language */
    p.stem = 0;
    ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_OK);
    expect(t, "Lieferung 太慢了", "lieferung 太慢");
    tx_tokenizer_free(t);
}
END_TEST

/* German, French, Spanish, Italian, Portuguese and Dutch have built-in
 * stopwords and their own negators; French and Italian elided words
 * ("l'", "dell'", "n'") are dropped from the word they are joined to, and
 * French "n'" negates. English negators work in every language. */
START_TEST(other_languages)
{
    static const struct { const char *lang, *text, *want; } cases[] = {
        {"german", "Die Lieferung kam nicht rechtzeitig",
         "liefer kam not_rechtzeit"},
        {"french", "Le colis n\u2019est pas arriv\u00e9 et l'appli plante",
         "colis not_arriv appli plant"},
        {"spanish", "La aplicaci\u00f3n nunca funciona",
         "aplic not_funcion"},
        {"italian", "Dell'ordine non so nulla, l\u2019app \u00e8 lenta",
         "ordin not_so null app lent"},
        {"portuguese", "O aplicativo n\u00e3o abre desde a atualiza\u00e7\u00e3o",
         "aplic not_abre atualiz"},
        {"nl", "De bezorging was niet op tijd", "bezorg not_tijd"},
        {"german", "not working", "not_working"},
    };
    tx_tokenizer_params p;
    tx_tokenizer *t = NULL;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        tx_tokenizer_params_init(&p);
        p.lang = cases[i].lang;
        ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_OK);
        expect(t, cases[i].text, cases[i].want);
        tx_tokenizer_free(t);
    }
    /* English keeps the elided forms whole and knows no German negator. */
    tx_tokenizer_params_init(&p);
    p.stem = 0;
    ck_assert_int_eq(tx_tokenizer_new(ctx, &p, &t), TX_OK);
    expect(t, "l'app nicht", "l'app nicht");
    tx_tokenizer_free(t);
}
END_TEST

struct spans {
    const char *text;
    int n, ok;
};

static int check_span(void *ud, const tx_token *tok)
{
    struct spans *s = ud;

    s->n++;
    /* The surface, normalized, is what the span of the original says. */
    if (strncmp(s->text + tok->start, "Parcels", tok->end - tok->start) == 0)
        s->ok += strcmp(tok->surface, "parcels") == 0 &&
                 strcmp(tok->term, "parcel") == 0;
    if (strncmp(s->text + tok->start, "CAFÉ", tok->end - tok->start) == 0)
        s->ok += strcmp(tok->surface, "café") == 0;
    return 0;
}

START_TEST(token_offsets_and_surface)
{
    const char *text = "Two Parcels at the CAFÉ";
    struct spans s = {text, 0, 0};
    tx_tokenizer *t = NULL;

    ck_assert_int_eq(tx_tokenizer_new(ctx, NULL, &t), TX_OK);
    ck_assert_int_eq(tx_tokenize(t, text, strlen(text), check_span, &s),
                     TX_OK);
    ck_assert_int_eq(s.ok, 2);
    tx_tokenizer_free(t);
}
END_TEST

static int stop_at_two(void *ud, const tx_token *tok)
{
    (void)tok;
    return ++*(int *)ud == 2 ? 7 : 0;
}

START_TEST(callback_can_stop)
{
    tx_tokenizer *t = NULL;
    int n = 0;

    ck_assert_int_eq(tx_tokenizer_new(ctx, NULL, &t), TX_OK);
    ck_assert_int_eq(tx_tokenize(t, "parcel box refund late", 22, stop_at_two,
                                 &n), 7);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(tx_tokenize(t, NULL, 3, stop_at_two, &n), TX_EINVAL);
    tx_tokenizer_free(t);
}
END_TEST

Suite *tx_suite_tokenizer(void)
{
    Suite *s = suite_create("tokenizer");
    TCase *tc = tcase_create("tokenizer");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, word_boundaries);
    tcase_add_test(tc, placeholders);
    tcase_add_test(tc, encoded_data);
    tcase_add_test(tc, negation_attached);
    tcase_add_test(tc, unicode_normalization);
    tcase_add_test(tc, emoji_tokens);
    tcase_add_test(tc, ascii_fast_path_matches_utf8proc);
    tcase_add_test(tc, invalid_utf8_and_long_words);
    tcase_add_test(tc, stemming_every_language);
    tcase_add_test(tc, stopwords_and_min_len);
    tcase_add_test(tc, ngrams_and_offsets);
    tcase_add_test(tc, escaped_apostrophe_offsets);
    tcase_add_test(tc, token_offsets_and_surface);
    tcase_add_test(tc, callback_can_stop);
    tcase_add_test(tc, words_of_scripts_without_spaces);
    tcase_add_test(tc, other_languages);
    suite_add_tcase(s, tc);
    return s;
}
