package io.devswarm.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Durations of repeated runs of one operation, in milliseconds. */
final class Stats {
    private final List<Double> millis = new ArrayList<>();

    void add(long nanos) {
        millis.add(nanos / 1e6);
    }

    double min() {
        return Collections.min(millis);
    }

    double median() {
        return percentile(50);
    }

    double p95() {
        return percentile(95);
    }

    double p99() {
        return percentile(99);
    }

    int count() {
        return millis.size();
    }

    double percentile(double p) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** How sure a ratio of medians is: its 2.5th and 97.5th percentiles over resamples. */
    record Interval(double low, double high) {}

    /**
     * A 95 % bootstrap interval of {@code median(a) / median(b)}: both sides resampled with
     * replacement, {@code resamples} times, with a fixed seed so that a run's printout can be
     * reproduced from its samples. On a noisy machine a median of 30 moves by several percent from run
     * to run; the interval says how far, so a ratio near a target is read as what it is.
     */
    static Interval ratioInterval(Stats a, Stats b, int resamples, long seed) {
        Random random = new Random(seed);
        double[] ratios = new double[resamples];
        for (int i = 0; i < resamples; i++) ratios[i] = resampledMedian(a.millis, random) / resampledMedian(b.millis, random);
        java.util.Arrays.sort(ratios);
        return new Interval(ratios[(int) Math.floor(0.025 * (resamples - 1))], ratios[(int) Math.ceil(0.975 * (resamples - 1))]);
    }

    private static double resampledMedian(List<Double> values, Random random) {
        Stats resample = new Stats();
        for (int i = 0; i < values.size(); i++) resample.millis.add(values.get(random.nextInt(values.size())));
        return resample.median();
    }

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    static long time(Work w) throws Exception {
        long t0 = System.nanoTime();
        w.run();
        return System.nanoTime() - t0;
    }
}
