package org.punchout.engine;

import java.util.Collection;

/** The known name closest to a misspelt one, if it is close enough to be a typo. */
final class Names {
    private Names() {}

    static String closest(Collection<String> candidates, String name) {
        String best = null;
        int bestDistance = 4;
        for (String candidate : candidates) {
            int distance = distance(candidate.toLowerCase(), name.toLowerCase());
            if (distance < bestDistance && distance < name.length()) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 0; i < a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i + 1;
            for (int j = 0; j < b.length(); j++) {
                int substitution = previous[j] + (a.charAt(i) == b.charAt(j) ? 0 : 1);
                current[j + 1] = Math.min(substitution, Math.min(previous[j + 1] + 1, current[j] + 1));
            }
            previous = current;
        }
        return previous[b.length()];
    }
}
