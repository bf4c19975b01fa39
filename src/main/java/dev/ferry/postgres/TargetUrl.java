package dev.ferry.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the target is: parsed from a {@code postgresql://} URI, a JDBC URL, {@code DATABASE_URL} or
 * the libpq {@code PG*} variables. The password is held apart and never printed: {@link #display()}
 * is what logs, reports and errors show.
 */
public final class TargetUrl {
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> parameters;

  private TargetUrl(
      String host,
      int port,
      String database,
      String user,
      String password,
      Map<String, String> parameters) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.parameters = parameters;
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
      return new TargetUrl(
          env.getOrDefault("PGHOST", "localhost"),
          parsePort(env.getOrDefault("PGPORT", "5432"), "PGPORT"),
          env.getOrDefault("PGDATABASE", env.getOrDefault("PGUSER", "postgres")),
          env.getOrDefault("PGUSER", System.getProperty("user.name")),
          env.get("PGPASSWORD"),
          new LinkedHashMap<>());
    }
    return null;
  }

  /** Parses a postgresql:// or postgres:// URI or a jdbc:postgresql:// URL. */
  public static TargetUrl parse(String url) {
    String u = url.trim();
    if (u.startsWith("jdbc:")) {
      u = u.substring(5);
    }
    if (!u.startsWith("postgresql://") && !u.startsWith("postgres://")) {
      throw new FerryException(
          ErrorCode.USAGE,
          "target URL must start with postgresql:// or jdbc:postgresql:// (got "
              + redactRaw(url)
              + ")");
    }
    URI uri;
    try {
      uri = new URI(u);
    } catch (URISyntaxException e) {
      throw new FerryException(ErrorCode.USAGE, "target URL is malformed: " + redactRaw(url));
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&", -1)) {
        String[] p = kv.split("=", 2);
        params.put(decode(p[0]), p.length > 1 ? decode(p[1]) : "");
      }
    }
    if (params.containsKey("user")) {
      user = params.remove("user");
    }
    if (params.containsKey("password")) {
      password = params.remove("password");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    String host = uri.getHost() == null ? "localhost" : uri.getHost();
    if (user == null) {
      user = System.getProperty("user.name");
    }
    return new TargetUrl(
        host,
        uri.getPort() < 0 ? 5432 : uri.getPort(),
        path.isEmpty() ? user : decode(path),
        user,
        password,
        params);
  }

  private static int parsePort(String s, String what) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new FerryException(ErrorCode.USAGE, what + " is not a port number: " + s);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The URL with any password replaced by ***, for messages about a URL we failed to parse. */
  static String redactRaw(String url) {
    return url.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@")
        .replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ':' + port + '/' + database;
  }

  /** Connection properties: user, password and the URL's parameters. */
  public Properties properties() {
    Properties p = new Properties();
    p.putAll(parameters);
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("ApplicationName", "ferry");
    return p;
  }

  /** postgresql://user@host:port/db: safe to print. */
  public String display() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  public String user() {
    return user;
  }

  public String database() {
    return database;
  }

  @Override
  public String toString() {
    return display();
  }
}
