package dev.runbook.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A test clock that stands still until advanced, so logs written with it are reproducible. */
public final class MutableClock extends Clock {

    private Instant now;

    /** @param start the first instant */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** Moves the clock forward. */
    public MutableClock advance(Duration d) {
        now = now.plus(d);
        return this;
    }

    /** Sets the clock to start + offset. */
    public MutableClock at(Instant start, Duration offset) {
        now = start.plus(offset);
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
