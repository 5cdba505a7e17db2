package io.openinsure.db.testsupport;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/** The test's class path without some jars, in a class loader of its own: proof that a dependency is optional. */
public final class ClassPathWithout {

    private ClassPathWithout() {}

    /**
     * A class loader over the test's class path (Surefire's, else {@code java.class.path}) without the jars whose file
     * name starts with {@code jarPrefix} (e.g. {@code "postgresql-"}); its parent is the platform class loader, so
     * nothing of the test's own loader leaks in. Close it when done.
     *
     * @throws IllegalStateException when no jar on the class path has that prefix (the test would prove nothing)
     */
    public static URLClassLoader jars(String jarPrefix) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        int removed = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (new File(entry).getName().startsWith(jarPrefix)) {
                removed++;
                continue;
            }
            try {
                urls.add(new File(entry).toURI().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException("class path entry " + entry + ": " + e.getMessage(), e);
            }
        }
        if (removed == 0) {
            throw new IllegalStateException("no jar on the test class path starts with " + jarPrefix);
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
