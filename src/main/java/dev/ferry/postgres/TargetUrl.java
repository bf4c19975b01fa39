package dev.ferry.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the target is: parsed as libpq parses it from a {@code postgresql://} or {@code
 * postgres://} URI, a key/value string ({@code host=h dbname=d}), a {@code jdbc:postgresql://} URL,
 * {@code DATABASE_URL} or the libpq {@code PG*} variables. Several hosts ({@code h1:5432,h2:5433}),
 * IPv6 literals and query parameters are kept and handed to pgjdbc under its names; what pgjdbc
 * cannot do (Unix-domain sockets, libpq-only parameters) is refused, never replaced by a default.
 * The password is held apart and never printed: {@link #display()} is what logs, reports and errors
 * show.
 */
public final class TargetUrl {
  private static final int DEFAULT_PORT = 5432;

  private final List<String> hosts;
  private final List<Integer> ports;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> driverProperties;

  private TargetUrl(
      List<String> hosts,
      List<Integer> ports,
      String database,
      String user,
      String password,
      Map<String, String> driverProperties) {
    this.hosts = List.copyOf(hosts);
    this.ports = List.copyOf(ports);
    this.database = database;
    this.user = user;
    this.password = password;
    this.driverProperties = Map.copyOf(driverProperties);
  }

  /**
   * The target named by {@code url}; when null, by {@code DATABASE_URL} or the {@code PG*}
   * variables of {@code env}; when none of those is set, null (meaning: the embedded server).
   */
  public static TargetUrl resolve(String url, Map<String, String> env) {
    if (url != null && !url.isBlank()) {
      return parse(url);
    }
    String databaseUrl = env.get("DATABASE_URL");
    if (databaseUrl != null && !databaseUrl.isBlank()) {
      return parse(databaseUrl);
    }
    if (env.containsKey("PGHOST") || env.containsKey("PGDATABASE") || env.containsKey("PGPORT")) {
      return fromEnvironment(env);
    }
    return null;
  }

  private static TargetUrl fromEnvironment(Map<String, String> env) {
    Map<String, String> k = new LinkedHashMap<>();
    Map<String, String> names =
        Map.of(
            "PGHOST", "host",
            "PGHOSTADDR", "hostaddr",
            "PGPORT", "port",
            "PGUSER", "user",
            "PGPASSWORD", "password",
            "PGSSLMODE", "sslmode",
            "PGAPPNAME", "application_name",
            "PGCONNECT_TIMEOUT", "connect_timeout",
            "PGOPTIONS", "options",
            "PGTARGETSESSIONATTRS", "target_session_attrs");
    names.forEach(
        (variable, keyword) -> {
          String v = env.get(variable);
          if (v != null && !v.isEmpty()) {
            k.put(keyword, v);
          }
        });
    k.put("dbname", env.getOrDefault("PGDATABASE", env.getOrDefault("PGUSER", "postgres")));
    return fromKeywords(k, false);
  }

  /**
   * Parses a postgresql:// or postgres:// URI, a key/value connection string or a
   * jdbc:postgresql:// URL; anything else, or any part libpq would refuse, is a usage error that
   * says what is wrong without repeating a password.
   */
  public static TargetUrl parse(String url) {
    try {
      return parseUnscrubbed(url.strip());
    } catch (FerryException e) { // a part of a password may have been read as a name or value
      throw new FerryException(e.code(), Redaction.scrub(e.getMessage(), List.of(url)));
    }
  }

  private static TargetUrl parseUnscrubbed(String u) {
    if (u.startsWith("jdbc:")) {
      if (!u.startsWith("jdbc:postgresql://")) {
        throw ConnectionString.usage("a JDBC URL must start with jdbc:postgresql://host/");
      }
      return fromKeywords(ConnectionString.parse(u.substring(5)), true);
    }
    return fromKeywords(ConnectionString.parse(u), false);
  }

  private static TargetUrl fromKeywords(Map<String, String> keywords, boolean jdbc) {
    Map<String, String> rest = new LinkedHashMap<>(keywords);
    String host = rest.remove("host");
    String hostaddr = rest.remove("hostaddr");
    String port = rest.remove("port");
    String user = rest.remove("user");
    String password = rest.remove("password");
    String database = rest.remove("dbname");
    if (jdbc) { // pgjdbc's names for the same keywords
      database = database != null ? database : rest.remove("PGDBNAME");
      host = host != null ? host : rest.remove("PGHOST");
      port = port != null ? port : rest.remove("PGPORT");
    }
    List<String> hostList = Hosts.names(hostaddr != null ? hostaddr : host);
    List<Integer> portList = Hosts.ports(port, hostList, DEFAULT_PORT);
    if (user == null || user.isEmpty()) {
      user = System.getProperty("user.name");
    }
    Map<String, String> driver =
        jdbc
            ? DriverParameters.fromJdbc(rest, password == null)
            : DriverParameters.fromLibpq(rest, password == null);
    return new TargetUrl(
        hostList,
        portList,
        database == null || database.isEmpty() ? user : database,
        user,
        password == null || password.isEmpty() ? null : password,
        driver);
  }

  /**
   * The pgjdbc URL: every host with its port, the database percent-encoded as pgjdbc decodes it.
   */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + hostList() + '/' + encode(database);
  }

  /** Connection properties: user, password and the parameters under pgjdbc's names. */
  public Properties properties() {
    Properties p = new Properties();
    p.putAll(driverProperties);
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    p.putIfAbsent("ApplicationName", "ferry");
    return p;
  }

  /** postgresql://user@host:port/db: safe to print, and parses back to the same place. */
  public String display() {
    return "postgresql://" + Hosts.escape(user) + "@" + hostList() + "/" + Hosts.escape(database);
  }

  private String hostList() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i++) {
      String h = hosts.get(i);
      parts.add((h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + ports.get(i));
    }
    return String.join(",", parts);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public String user() {
    return user;
  }

  public String database() {
    return database;
  }

  /** The hosts in the order they are tried. */
  public List<String> hosts() {
    return hosts;
  }

  /** Each host's port. */
  public List<Integer> ports() {
    return ports;
  }

  /** A connection parameter as pgjdbc receives it (sslmode, ApplicationName, ...), or null. */
  public String parameter(String driverName) {
    return driverProperties.get(driverName);
  }

  @Override
  public String toString() {
    return display();
  }

  static FerryException usage(String message) {
    return new FerryException(ErrorCode.USAGE, message);
  }
}
