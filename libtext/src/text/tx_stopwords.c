/* English stopwords written for libtext: function words that carry no theme.
 * Negators (not, no, never, nor, cannot, n't forms) are deliberately absent:
 * the tokenizer attaches them to the next word instead. Sorted bytewise. */
#include "tx_internal.h"
#include "input/tx_input.h"
#include "tx_text_private.h"
#include "text/tx_cwords.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

const char *const tx__stopwords_english[] = {
    "a", "about", "above", "across", "after", "afterwards", "again",
    "against", "all", "almost", "alone", "along", "already", "also",
    "although", "always", "am", "among", "an", "and", "another", "any",
    "anybody", "anyhow", "anyone", "anything", "anyway", "anywhere", "are",
    "around", "as", "at", "be", "became", "because", "become", "becomes",
    "been", "before", "beforehand", "behind", "being", "below", "beside",
    "besides", "between", "both", "but", "by", "can", "could", "d", "did",
    "do", "does", "doing", "done", "dont", "down", "during", "each", "either",
    "else", "elsewhere", "enough", "etc", "even", "ever", "every",
    "everybody", "everyone", "everything", "everywhere", "few", "for", "from",
    "further", "get", "gets", "got", "had", "has", "have", "having", "he",
    "he's", "her", "here", "here's", "hers", "herself", "him", "himself",
    "his", "how", "however", "i", "i'd", "i'll", "i'm", "i've", "if", "im",
    "in", "into", "is", "it", "it's", "its", "itself", "ive", "just", "least",
    "less", "let", "let's", "likely", "ll", "m", "may", "me",
    "meanwhile", "might", "mine", "more", "moreover", "most", "mostly",
    "much", "must", "my", "myself", "neither", "nevertheless", "next",
    "nobody", "none", "noone", "nothing", "now", "nowhere", "o", "of", "off",
    "often", "on", "once", "one", "only", "onto", "or", "other", "others",
    "otherwise", "our", "ours", "ourselves", "out", "over", "own", "per",
    "perhaps", "please", "quite", "rather", "re", "really", "s", "same",
    "seem", "seemed", "seems", "several", "she", "she's", "should", "since",
    "so", "some", "somehow", "someone", "something", "sometime", "sometimes",
    "somewhere", "still", "such", "t", "than", "that", "that's", "the",
    "their", "theirs", "them", "themselves", "then", "there", "there's",
    "thereafter", "thereby", "therefore", "these", "they", "they'd",
    "they'll", "they're", "they've", "this", "those", "though", "through",
    "throughout", "thus", "to", "together", "too", "toward", "towards", "u",
    "under", "until", "up", "upon", "us", "ve", "very", "via", "was", "we",
    "we'd", "we'll", "we're", "we've", "well", "were", "what", "what's",
    "whatever", "when", "whence", "whenever", "where", "whereas", "whereby",
    "wherever", "whether", "which", "while", "who", "who's", "whoever",
    "whole", "whom", "whose", "why", "will", "with", "within", "without",
    "would", "y", "yet", "you", "you'd", "you'll", "you're", "you've", "your",
    "yours", "yourself", "yourselves",
    NULL
};

/* Chinese and Japanese function words (particles, pronouns, copulas,
 * conjunctions) as the ICU word breaker cuts them. They cannot collide
 * with words of other languages, so they apply whatever --lang is.
 * Negators (不, 没有, 无法, ない) are kept: they carry the complaint. */
const char *const tx__stopwords_cjk[] = {
    /* Chinese */
    "的", "了", "是", "在", "和", "也", "就", "都", "而", "与", "及", "着",
    "或", "把", "被", "给", "对", "从", "向", "吗", "呢", "吧", "啊", "呀",
    "这", "那", "这个", "那个", "我", "你", "他", "她", "它", "我们", "你们",
    "他们", "一个", "个", "之", "其", "于", "以", "为", "但", "但是", "还",
    "又", "很", "得", "地",
    /* Japanese */
    "が", "の", "は", "を", "に", "で", "と", "も", "へ", "や", "から", "まで",
    "より", "ね", "よ", "か", "な", "です", "ます", "でした", "ました", "た",
    "て", "だ", "し", "この", "その", "あの", "これ", "それ", "あれ", "私",
    "わたし", "ので", "けど", "など",
    NULL
};

/* Function words of other Snowball languages (articles, pronouns,
 * prepositions, conjunctions, auxiliaries), written for libtext. Negators
 * are left out: they are negators (tx_tokenizer.c), not noise. */
static const char *const german[] = {
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am",
    "an", "andere", "anderen", "anderer", "anderes", "auch", "auf", "aus",
    "bei", "beim", "bin", "bis", "bist", "da", "damit", "dann", "das",
    "dass", "dein", "deine", "deinem", "deinen", "deiner", "dem", "den",
    "denn", "der", "des", "dessen", "deshalb", "die", "dies", "diese",
    "diesem", "diesen", "dieser", "dieses", "doch", "dort", "du", "durch",
    "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "etwas",
    "euch", "euer", "eure", "für", "gegen", "gewesen", "hab", "habe",
    "haben", "hat", "hatte", "hatten", "hier", "hin", "ich", "ihm", "ihn",
    "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "im", "in", "ins",
    "ist", "ja", "jede", "jedem", "jeden", "jeder", "jedes", "jetzt",
    "kann", "man", "mein", "meine", "meinem", "meinen", "meiner", "mich",
    "mir", "mit", "muss", "nach", "nun", "nur", "ob", "oder", "sehr",
    "sein", "seine", "seinem", "seinen", "seiner", "seit", "sich", "sie",
    "sind", "so", "soll", "sollte", "sondern", "sonst", "über", "um", "und",
    "uns", "unser", "unsere", "unter", "vom", "von", "vor", "war", "waren",
    "was", "weil", "welche", "welcher", "welches", "wenn", "wer", "werde",
    "werden", "wie", "wieder", "wir", "wird", "wo", "wurde", "wurden",
    "würde", "zu", "zum", "zur", NULL};
static const char *const french[] = {
    "à", "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de",
    "des", "du", "elle", "elles", "en", "et", "eux", "il", "ils", "je",
    "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me", "même",
    "mes", "moi", "mon", "nos", "notre", "nous", "on", "ou", "où", "par",
    "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sur", "ta", "te",
    "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "y",
    "été", "être", "ai", "as", "avons", "avez", "ont", "avait", "était",
    "sont", "est", "suis", "es", "sommes", "êtes", "sera", "serait", "ça",
    "cela", "ceci", "comme", "donc", "alors", "aussi", "très", "tout",
    "tous", "toute", "toutes", "chez", "entre", "c'est", "j'ai", NULL};
static const char *const spanish[] = {
    "a", "al", "algo", "algunos", "ante", "antes", "como", "con", "contra",
    "cual", "cuando", "de", "del", "desde", "donde", "durante", "e", "el",
    "él", "ella", "ellas", "ellos", "en", "entre", "era", "es", "esa",
    "esas", "ese", "eso", "esos", "esta", "está", "estaba", "están",
    "estar", "este", "esto", "estos", "fue", "ha", "había", "han", "hasta",
    "hay", "he", "la", "las", "le", "les", "lo", "los", "me", "mi", "mis",
    "muy", "más", "nos", "nosotros", "o", "os", "para", "pero", "por",
    "porque", "que", "qué", "se", "sea", "ser", "si", "sí", "sin", "sobre",
    "son", "su", "sus", "también", "te", "tengo", "tiene", "todo", "todos",
    "tu", "tus", "un", "una", "uno", "unos", "usted", "y", "ya", "yo",
    NULL};
static const char *const italian[] = {
    "a", "ad", "agli", "ai", "al", "alla", "alle", "allo", "anche", "avere",
    "aveva", "c'è", "che", "chi", "ci", "come", "con", "cui", "da", "dai",
    "dal", "dalla", "dalle", "degli", "dei", "del", "della", "delle",
    "dello", "di", "e", "è", "ed", "era", "essere", "gli", "ha", "hanno",
    "ho", "i", "il", "in", "io", "la", "le", "lei", "lo", "loro", "lui",
    "ma", "mi", "mia", "mio", "molto", "ne", "negli", "nei", "nel",
    "nella", "nelle", "noi", "o", "per", "perché", "più", "quale", "quando",
    "quella", "quello", "questa", "questo", "se", "si", "sia", "sono", "su",
    "sua", "sue", "sui", "sul", "sulla", "suo", "ti", "tra", "tu", "tutto",
    "un", "una", "uno", "voi", NULL};
static const char *const portuguese[] = {
    "a", "ao", "aos", "as", "à", "às", "com", "como", "da", "das", "de",
    "dela", "dele", "do", "dos", "e", "é", "ela", "elas", "ele", "eles",
    "em", "entre", "era", "essa", "esse", "esta", "está", "estava", "este",
    "eu", "foi", "há", "isso", "isto", "já", "lhe", "mais", "mas", "me",
    "meu", "minha", "muito", "na", "nas", "no", "nos", "nós", "num",
    "numa", "o", "os", "ou", "para", "pela", "pelo", "por", "porque", "que",
    "desde",
    "se", "seu", "sua", "são", "também", "te", "tem", "ter", "um", "uma",
    "você", "vocês", NULL};
static const char *const dutch[] = {
    "aan", "al", "alles", "als", "bij", "dan", "dat", "de", "die", "dit",
    "doch", "door", "dus", "een", "en", "er", "ge", "had", "heb", "hebben",
    "heeft", "hem", "het", "hier", "hij", "hoe", "hun", "ik", "in", "is",
    "je", "kan", "kon", "maar", "me", "met", "mij", "mijn", "na", "naar",
    "nog", "nu", "of", "om", "omdat", "ons", "onze", "ook", "op", "over",
    "te", "tegen", "toch", "toen", "tot", "u", "uit", "van", "veel", "voor",
    "want", "was", "wat", "we", "wel", "werd", "wie", "wij", "wil", "word",
    "wordt", "zal", "ze", "zei", "zich", "zij", "zijn", "zo", "zou", NULL};

/* Negators besides the English ones, attached to the next word as those
 * are ("nicht funktioniert" -> nicht_funktioniert). */
static const char *const de_neg[] = {"nicht", "kein", "keine", "keinen",
    "keinem", "keiner", "nie", "niemals", "ohne", NULL};
static const char *const fr_neg[] = {"ne", "pas", "jamais", "rien", "aucun",
    "aucune", "sans", NULL};
static const char *const es_neg[] = {"nunca", "nada", "ningún", "ninguna",
    "ninguno", "sin", "tampoco", NULL};
static const char *const it_neg[] = {"non", "mai", "niente", "nessuno",
    "nessuna", "senza", NULL};
static const char *const pt_neg[] = {"não", "nunca", "nada", "nenhum",
    "nenhuma", "sem", NULL};
static const char *const nl_neg[] = {"niet", "geen", "nooit", "niets",
    "zonder", NULL};

/* Elided articles, pronouns and prepositions that French and Italian write
 * joined to the next word with an apostrophe ("l'application",
 * "dell'ordine"): the tokenizer drops them and keeps the word. */
static const char *const fr_elided[] = {"l", "d", "j", "m", "n", "s", "t",
    "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", NULL};
static const char *const it_elided[] = {"l", "un", "dell", "dall", "nell",
    "sull", "all", "coll", "quest", "quell", "c", "d", "s", "t", "m", "v",
    NULL};

/* One row per language: Snowball name, ISO 639-1 code, lists. */
static const struct language {
    const char *name, *code;
    const char *const *stop, *const *neg, *const *elided;
} languages[] = {
    {"english", "en", tx__stopwords_english, NULL, NULL},
    {"german", "de", german, de_neg, NULL},
    {"french", "fr", french, fr_neg, fr_elided},
    {"spanish", "es", spanish, es_neg, NULL},
    {"italian", "it", italian, it_neg, it_elided},
    {"portuguese", "pt", portuguese, pt_neg, NULL},
    {"dutch", "nl", dutch, nl_neg, NULL},
};

static const struct language *language(const char *lang)
{
    size_t i;

    if (!lang)
        return &languages[0];
    for (i = 0; i < sizeof languages / sizeof *languages; i++)
        if (strcmp(lang, languages[i].name) == 0 ||
            strcmp(lang, languages[i].code) == 0)
            return &languages[i];
    return NULL;
}

const char *const *tx__stopwords_for(const char *lang)
{
    const struct language *l = language(lang);

    return l ? l->stop : NULL;
}

const char *const *tx__negators_for(const char *lang)
{
    const struct language *l = language(lang);

    return l ? l->neg : NULL;
}

const char *const *tx__elisions_for(const char *lang)
{
    const struct language *l = language(lang);

    return l ? l->elided : NULL;
}

enum { N_LANG = sizeof languages / sizeof *languages };

/* Every built-in function word in `set`, with mask[id] the languages
 * listing it (one bit each). */
static int word_languages(tx_ctx *ctx, tx__strmap *set, uint32_t **mask)
{
    size_t cap = 0, n_mask = 0, i;
    const char *const *w;

    for (i = 0; i < N_LANG; i++)
        for (w = languages[i].stop; *w; w++) {
            size_t len = strlen(*w);
            long id = tx__strmap_add(set, *w, len, tx__hash(*w, len));

            if (id < 0 || tx__grow(ctx, (void **)mask, &cap, (size_t)id + 1,
                                   sizeof **mask))
                return TX_ENOMEM;
            while (n_mask <= (size_t)id)
                (*mask)[n_mask++] = 0;
            (*mask)[id] |= 1u << i;
        }
    return TX_OK;
}

/* Bytes of words when guessing the language: ASCII letters and all of
 * UTF-8's multi-byte characters. */
static bool is_word_byte(char ch)
{
    unsigned char u = (unsigned char)ch;

    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
}

/* The next word of text[*at, len), normalized into buf; 0 at the end.
 * Words longer than 19 bytes or that do not normalize are skipped. */
static size_t next_word(const char *text, size_t len, size_t *at, char *buf,
                        size_t cap)
{
    size_t a = *at, b, need;

    while (a < len) {
        while (a < len && !is_word_byte(text[a]))
            a++;
        for (b = a; b < len && is_word_byte(text[b]); b++)
            ;
        if (b > a && b - a < 20 &&
            tx_text_normalize(text + a, b - a, buf, cap, &need) == TX_OK) {
            *at = b;
            return strlen(buf);
        }
        a = b;
    }
    *at = len;
    return 0;
}

/* Adds the words of `text` to *words and each language's function words
 * among them to hits[]. */
static void count_words(const char *text, size_t len, const tx__strmap *set,
                        const uint32_t *mask, size_t *hits, size_t *words)
{
    size_t at = 0, n, i;
    char buf[64];

    while ((n = next_word(text, len, &at, buf, sizeof buf)) > 0) {
        long id = tx__strmap_find(set, buf, n, tx__hash(buf, n));

        for (i = 0; id >= 0 && i < N_LANG; i++)
            hits[i] += (mask[id] >> i) & 1u;
        ++*words;
    }
}

/* The language with the most hits, and the most hits of any other. */
static size_t leader(const size_t *hits, size_t *second)
{
    size_t i, best = 0;

    for (i = 1; i < N_LANG; i++)
        if (hits[i] > hits[best])
            best = i;
    *second = 0;
    for (i = 0; i < N_LANG; i++)
        if (i != best && hits[i] > *second)
            *second = hits[i];
    return best;
}

/* The language whose function words make up most of the words of an even
 * sample of documents (at most 2000), when they make up at least 15% of
 * them, 1.5 times as many as any other language's, and the sample has 50
 * words or more; NULL otherwise (too little text, mixed languages, or a
 * language without a list here). Function words are the most frequent
 * words of any text, so a few hundred words decide it. */
const char *tx_corpus_guess_language(const tx_corpus *c)
{
    size_t hits[N_LANG] = {0}, words = 0, n = tx_corpus_size(c), d;
    size_t best = 0, second = 0;
    uint32_t *mask = NULL;
    tx__strmap set;
    tx_ctx *ctx = c ? tx__corpus_ctx(c) : NULL;
    const char *guess = NULL;

    if (!ctx || n == 0)
        return NULL;
    tx__strmap_init(&set, ctx);
    if (word_languages(ctx, &set, &mask) == TX_OK) {
        for (d = 0; d < n; d += n / 2000 + 1) {
            tx_doc doc;

            tx_corpus_doc(c, d, &doc);
            count_words(doc.text, doc.len, &set, mask, hits, &words);
        }
        best = leader(hits, &second);
        /* a clear winner: mixed-language corpora get no guess */
        if (words >= 50 && hits[best] * 100 >= words * 15 &&
            hits[best] * 2 >= second * 3)
            guess = languages[best].name;
    }
    tx_free(ctx, mask);
    tx__strmap_free(&set);
    return guess;
}

/* Each language's function words as a hash set, built once. */
static tx__wordset lang_sets[N_LANG];
static int lang_sets_ok;
static pthread_once_t lang_sets_once = PTHREAD_ONCE_INIT;

static void lang_sets_build(void)
{
    size_t i;

    lang_sets_ok = 1;
    for (i = 0; i < N_LANG; i++)
        if (tx__wordset_init(&lang_sets[i], languages[i].stop) != TX_OK)
            lang_sets_ok = 0;
}

/* One text, however short: the language with at least 2 function words
 * in it and at least twice as many as any other language, among 4 words
 * or more; NULL otherwise. A tweet gives few words, so the bar is a clear
 * lead rather than a share. */
const char *tx__guess_language_name(size_t i)
{
    return i < N_LANG ? languages[i].name : NULL;
}

const char *tx_text_guess_language(const char *text, size_t len)
{
    size_t hits[N_LANG] = {0}, words = 0, at = 0, n, i;
    size_t best = 0, second = 0;
    char buf[64];

    if (!text)
        return NULL;
    pthread_once(&lang_sets_once, lang_sets_build);
    if (!lang_sets_ok)
        return NULL;
    while ((n = next_word(text, len, &at, buf, sizeof buf)) > 0) {
        uint64_t h = tx__hash(buf, n);

        for (i = 0; i < N_LANG; i++)
            hits[i] += tx__wordset_has(&lang_sets[i], h);
        words++;
    }
    best = leader(hits, &second);
    return words >= 4 && hits[best] >= 2 && hits[best] >= 2 * second
               ? languages[best].name : NULL;
}

const char *tx__english_only_note(const tx_corpus *c, char *buf, size_t n)
{
    const char *lang = tx_corpus_guess_language(c);

    if (!lang || strcmp(lang, "english") == 0)
        return NULL;
    snprintf(buf, n, "Sentiment, friction and journey stages are read from "
             "English words; this text reads as %s, so they are not "
             "measured here and the priorities rest on the shares.", lang);
    return buf;
}
