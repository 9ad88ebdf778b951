package io.devswarm.core.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.devswarm.core.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ActivityTrackerTest {
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final ActivityTracker activity = new ActivityTracker(clock);

    @Test
    @DisplayName("while an SSH session is open, it is the awake reason, even after the start it woke or an exec beside it")
    void openSessionIsTheReason() {
        activity.sessionOpened("i1", AwakeReason.SSH_SESSION);
        activity.touch("i1", AwakeReason.START);
        activity.touch("i1", AwakeReason.EXEC);
        assertThat(activity.snapshot("i1").orElseThrow().reason()).isEqualTo(AwakeReason.SSH_SESSION);
        assertThat(activity.snapshot("i1").orElseThrow().openSessions()).isEqualTo(1);
    }

    @Test
    @DisplayName("once the sessions close, the last activity is the reason again")
    void lastActivityAfterSessions() {
        activity.sessionOpened("i1", AwakeReason.FORWARDED_TRAFFIC);
        assertThat(activity.snapshot("i1").orElseThrow().reason()).isEqualTo(AwakeReason.FORWARDED_TRAFFIC);
        activity.sessionClosed("i1");
        clock.advance(Duration.ofSeconds(5));
        activity.touch("i1", AwakeReason.EXEC);
        var snapshot = activity.snapshot("i1").orElseThrow();
        assertThat(snapshot.reason()).isEqualTo(AwakeReason.EXEC);
        assertThat(snapshot.openSessions()).isZero();
        assertThat(snapshot.lastActive()).isEqualTo(clock.instant());
    }
}
