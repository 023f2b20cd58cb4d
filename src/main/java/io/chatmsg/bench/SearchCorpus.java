package io.chatmsg.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The words of the search benchmark's messages: {@value #WORDS} made-up words
 * drawn with Zipf's law (the most common word is in most messages, the rarest
 * in a few hundred of a million), 4 to 16 to a message, the first capitalised
 * so that the search's {@code lower()} has work to do. The same seed gives the
 * same corpus on every store, and the searched terms span common to absent.
 */
final class SearchCorpus {

    static final int WORDS = 5000;
    private static final String[] SYLLABLES = {
        "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "pa", "do", "fe", "gu", "hi", "jo", "be", "ci", "mo",
        "nu", "ti", "ar", "el", "in", "or", "un", "ba", "de", "ko", "li", "ma", "ro", "su", "ve", "wa", "ye", "zo"
    };

    private final String[] words;
    private final double[] cumulative;

    SearchCorpus() {
        SplittableRandom random = new SplittableRandom(20261202);
        Set<String> made = new LinkedHashSet<>();
        while (made.size() < WORDS) {
            StringBuilder w = new StringBuilder();
            int syllables = 2 + random.nextInt(3);
            for (int i = 0; i < syllables; i++) {
                w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            made.add(w.toString());
        }
        words = made.toArray(new String[0]);
        cumulative = new double[WORDS];
        double sum = 0;
        for (int rank = 0; rank < WORDS; rank++) {
            sum += 1.0 / (rank + 1);
            cumulative[rank] = sum;
        }
        for (int rank = 0; rank < WORDS; rank++) {
            cumulative[rank] /= sum;
        }
    }

    /** One message's text. */
    String message(SplittableRandom random) {
        int n = 4 + random.nextInt(13);
        StringBuilder text = new StringBuilder(n * 8);
        for (int i = 0; i < n; i++) {
            String w = word(random.nextDouble());
            if (i == 0) {
                text.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
            } else {
                text.append(' ').append(w);
            }
        }
        return text.toString();
    }

    private String word(double u) {
        int i = java.util.Arrays.binarySearch(cumulative, u);
        return words[Math.min(WORDS - 1, i >= 0 ? i : -i - 1)];
    }

    /**
     * What an operator would type: the commonest words, middling ones, rare ones, a word
     * that occurs nowhere, a two-word phrase, and a word in capitals (the search ignores case).
     */
    List<String> terms() {
        List<String> terms = new ArrayList<>();
        for (int rank : new int[] {0, 3, 40, 300, 1500, 4000, 4999}) {
            terms.add(words[rank]);
        }
        terms.add("qxqxq"); // SearchBenchmark.NOWHERE
        terms.add(words[0] + " " + words[1]);
        terms.add(words[2000].toUpperCase(java.util.Locale.ROOT));
        return terms;
    }
}
