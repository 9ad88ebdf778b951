package io.devswarm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Stats: a ratio of medians and how sure it is")
class StatsTest {

    @Test
    @DisplayName("the same samples on both sides: the ratio is 1 and so is its whole interval")
    void sameSamples() {
        Stats a = noisy(30, 100, 0, 1), b = noisy(30, 100, 0, 2);
        assertThat(Stats.ratioInterval(a, b, 2_000, 7)).isEqualTo(new Stats.Interval(1.0, 1.0));
    }

    @Test
    @DisplayName("the interval holds the ratio of the medians, and narrows as the samples grow")
    void narrowsWithMoreSamples() {
        Stats a30 = noisy(30, 104, 30, 1), b30 = noisy(30, 100, 30, 2);
        Stats a600 = noisy(600, 104, 30, 3), b600 = noisy(600, 100, 30, 4);
        Stats.Interval few = Stats.ratioInterval(a30, b30, 2_000, 7), many = Stats.ratioInterval(a600, b600, 2_000, 7);
        assertThat(few.low()).isLessThanOrEqualTo(a30.median() / b30.median());
        assertThat(few.high()).isGreaterThanOrEqualTo(a30.median() / b30.median());
        assertThat(many.high() - many.low()).isLessThan((few.high() - few.low()) / 2);
        assertThat(many.low()).isGreaterThan(1.0).isLessThan(1.04);
        assertThat(many.high()).isGreaterThan(1.04).isLessThan(1.08);
    }

    @Test
    @DisplayName("a fixed seed gives the same interval: a printout can be reproduced")
    void reproducible() {
        Stats a = noisy(30, 110, 20, 1), b = noisy(30, 100, 20, 2);
        assertThat(Stats.ratioInterval(a, b, 1_000, 42)).isEqualTo(Stats.ratioInterval(a, b, 1_000, 42));
    }

    /** Durations around {@code center} ms, spread uniformly by {@code spread} ms either side. */
    private static Stats noisy(int n, double center, double spread, long seed) {
        Random random = new Random(seed);
        Stats s = new Stats();
        for (int i = 0; i < n; i++) s.add((long) ((center + (random.nextDouble() * 2 - 1) * spread) * 1e6));
        return s;
    }
}
