package io.openinsure.db.domains;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The domain clients' time: UTC on the client's clock, at the microsecond precision of {@code DATETIME(6)}. */
final class Utc {

    private Utc() {}

    /** Now on {@code clock} as a UTC {@code DATETIME(6)} value (microseconds). */
    static LocalDateTime now(Clock clock) {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** Today's date in UTC on {@code clock}. */
    static LocalDate today(Clock clock) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** A UTC time for a message, e.g. {@code 2026-11-22T09:00:00Z}. */
    static String format(LocalDateTime time) {
        return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(time) + "Z";
    }
}
