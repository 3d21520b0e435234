package dk.brobygger.bench;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The two JDBC drivers, each from its own jar in its own class loader: xerial's sqlite-jdbc and
 * Willena's SQLite3MultipleCiphers build are both {@code org.sqlite.JDBC}, so they cannot share
 * a class path. Connections are made through the driver object, not DriverManager, so each URL
 * goes to the driver meant for it. The jars are copied by Maven to target/drivers/{plain,sqlcipher}.
 */
public final class Drivers {
    private Drivers() {}

    private static Driver plain;
    private static Driver cipher;

    public static synchronized Driver plain() throws Exception {
        if (plain == null) {
            plain = load("plain");
        }
        return plain;
    }

    public static synchronized Driver sqlcipher() throws Exception {
        if (cipher == null) {
            cipher = load("sqlcipher");
        }
        return cipher;
    }

    public static Connection connect(Driver driver, String url) throws SQLException {
        Connection c = driver.connect(url, new Properties());
        if (c == null) {
            throw new SQLException("the driver refused the URL");
        }
        return c;
    }

    /** The jar (or jars) under target/drivers/{kind}, for the report. */
    public static String jarName(String kind) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path p : jars(kind)) {
            names.add(p.getFileName().toString());
        }
        return String.join(", ", names);
    }

    private static Driver load(String kind) throws Exception {
        List<Path> jars = jars(kind);
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toUri().toURL();
        }
        // Parent: the platform loader (java.sql), never the application class path.
        ClassLoader loader = new URLClassLoader("sqlite-" + kind, urls, ClassLoader.getPlatformClassLoader());
        return (Driver) Class.forName("org.sqlite.JDBC", true, loader).getDeclaredConstructor().newInstance();
    }

    private static List<Path> jars(String kind) throws IOException {
        String root = System.getProperty("brobygger.bench.drivers");
        if (root == null) {
            throw new IllegalStateException("-Dbrobygger.bench.drivers is not set (scripts/jvm-bench.sh sets it)");
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Paths.get(root, kind), "*.jar")) {
            dir.forEach(jars::add);
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException("no driver jar in " + Paths.get(root, kind));
        }
        return jars;
    }
}
