/* English stopwords written for libtext: function words that carry no theme.
 * Negators (not, no, never, nor, cannot, n't forms) are deliberately absent:
 * the tokenizer attaches them to the next word instead. Sorted bytewise. */
#include "tx_internal.h"

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
