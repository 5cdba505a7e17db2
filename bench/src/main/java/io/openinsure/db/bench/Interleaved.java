package io.openinsure.db.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Marks a benchmark class whose invocations run several variants in turn and time each call ({@link PairedBench},
 * {@link ReplicaBench}, {@link VtgateBench}): at one thread its forks are pinned by default ({@link Server#pinIfWanted}).
 */
interface Interleaved {

    /**
     * The orders in which successive rounds run {@code n} variants: a Williams design, in which every variant runs at
     * every position equally often and right after every other variant equally often ({@code n} orders for an even
     * {@code n}, {@code 2n} for an odd one). A call costs less right after a call that ran the same code (the client's
     * caches and branch predictors are warm for it): with a fixed cycle rotated each round, every variant always had the
     * same predecessor, and two raw pools on the same database measured 1.1 to 1.4 times apart.
     */
    static int[][] orders(int n) {
        int[] first = new int[n];
        for (int i = 0, low = 0, high = n - 1; i < n; i++) {
            first[i] = i % 2 == 0 ? low++ : high--; // 0, n-1, 1, n-2, …: its steps are all different mod n
        }
        List<int[]> orders = new ArrayList<>();
        for (int shift = 0; shift < n; shift++) {
            int[] order = new int[n];
            int[] reversed = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = (first[i] + shift) % n;
                reversed[n - 1 - i] = order[i];
            }
            orders.add(order);
            if (n % 2 == 1) {
                orders.add(reversed);
            }
        }
        return orders.toArray(new int[0][]);
    }
}
