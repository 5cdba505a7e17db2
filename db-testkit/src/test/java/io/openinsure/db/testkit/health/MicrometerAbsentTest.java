package io.openinsure.db.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
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
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        int removed = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (new File(entry).getName().startsWith("micrometer-")) {
                removed++;
                continue;
            }
            urls.add(new File(entry).toURI().toURL());
        }
        assertThat(removed).as("the test class path had Micrometer to remove").isPositive();
        try (URLClassLoader loader =
                new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> probe = Class.forName(NoMicrometerProbe.class.getName(), true, loader);
            assertThat(probe.getClassLoader()).isSameAs(loader);
            Object result = probe.getMethod("run", String.class).invoke(null, server);
            assertThat(result).isEqualTo("one|HEALTHY|true");
        }
    }
}
