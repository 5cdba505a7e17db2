package io.openinsure.db.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openinsure.db.testsupport.ClassPathWithout;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Micrometer is optional: the SDK loaded in a class loader whose class path has no Micrometer jar opens a
 * client, runs statements, reports health and renders a report.
 */
@Timeout(120)
class MicrometerAbsentTest {

    @Test
    void theSdkWorksWithoutMicrometerOnTheClassPath() throws Exception {
        String server = HealthFixture.server().connectionString(HealthFixture.DATABASE);
        try (URLClassLoader loader = ClassPathWithout.jars("micrometer-")) {
            assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> probe = Class.forName(NoMicrometerProbe.class.getName(), true, loader);
            assertThat(probe.getClassLoader()).isSameAs(loader);
            Object result = probe.getMethod("run", String.class).invoke(null, server);
            assertThat(result).isEqualTo("one|HEALTHY|true");
        }
    }
}
