package dev.ferry.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.sql.SqlText;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The one builder of a connection pool on a target: name, size, read-only sessions, a statement
 * timeout and the session's {@code application_name} ("ferry NAME" unless the URL names one),
 * opened at once so that an unreachable target or a refused login stops here as TARGET_UNREACHABLE
 * naming the target as {@link TargetUrl#display} prints it, the server's reason scrubbed of the
 * password.
 *
 * <pre>{@code
 * HikariDataSource db = Pool.on(url, "maintain").size(2, 0).open();
 * }</pre>
 */
public final class Pool {
  private final TargetUrl url;
  private final String name;
  private int maxSize = 2;
  private int minIdle;
  private long connectMillis = 10_000;
  private boolean readOnly;
  private Long statementTimeoutMillis; // null: the server's own
  private Object metrics;

  private Pool(TargetUrl url, String name) {
    this.url = url;
    this.name = name;
  }

  /** A pool named {@code name} (its Hikari pool name, and "ferry NAME" as application_name). */
  public static Pool on(TargetUrl url, String name) {
    return new Pool(url, name);
  }

  /** At most {@code max} connections, {@code minIdle} of them kept open when idle. */
  public Pool size(int max, int minIdle) {
    this.maxSize = max;
    this.minIdle = minIdle;
    return this;
  }

  /** How long a caller waits for a connection (and the first connection may take). */
  public Pool connectTimeout(long millis) {
    this.connectMillis = millis;
    return this;
  }

  /** Every session opens with {@code default_transaction_read_only = on}: nothing can write. */
  public Pool readOnly() {
    this.readOnly = true;
    return this;
  }

  /** Every session opens with this {@code statement_timeout} (0: none, whatever the role says). */
  public Pool statementTimeout(long millis) {
    this.statementTimeoutMillis = millis;
    return this;
  }

  /** A Micrometer MeterRegistry the pool reports its meters into. */
  public Pool metrics(Object registry) {
    this.metrics = registry;
    return this;
  }

  /** The open pool; the caller closes it. TARGET_UNREACHABLE when no connection can be made. */
  public HikariDataSource open() {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url.jdbcUrl());
    Properties properties = url.properties();
    if (url.parameter("ApplicationName") == null) {
      properties.setProperty("ApplicationName", "ferry " + name);
    }
    config.setDataSourceProperties(properties);
    config.setMaximumPoolSize(maxSize);
    config.setMinimumIdle(minIdle);
    config.setConnectionTimeout(connectMillis);
    config.setInitializationFailTimeout(1);
    config.setReadOnly(readOnly);
    List<String> init = new ArrayList<>();
    init.add(SqlText.SESSION_SETUP);
    if (readOnly) {
      init.add("SET default_transaction_read_only = on");
    }
    if (statementTimeoutMillis != null) {
      init.add("SET statement_timeout = " + statementTimeoutMillis);
    }
    config.setConnectionInitSql(String.join("; ", init));
    if (metrics != null) {
      config.setMetricRegistry(metrics);
    }
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot connect to "
              + url.display()
              + ": "
              + withoutPassword(String.valueOf(cause.getMessage()), properties),
          cause);
    }
  }

  /** A driver's message never carries the password, but should one ever echo it: hidden. */
  private static String withoutPassword(String message, Properties properties) {
    String password = properties.getProperty("password");
    return password == null || password.length() < 4 ? message : message.replace(password, "***");
  }
}
