package dev.ferry.serve;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.postgres.TargetUrl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * What {@code ferry serve} was asked for, checked once: binding anywhere but loopback needs a
 * bearer token, so the data is never open to the network by accident.
 *
 * @param target the database to explore
 * @param port the HTTP port (0: any free port)
 * @param bind the address to listen on
 * @param token bearer token required on /api and /metrics, or null
 * @param statementTimeoutMillis longest a request's query may run
 * @param write whether the write endpoints are on ({@code --write}: needs a token, even on
 *     loopback)
 * @param queries the named queries (ferry.yaml {@code queries:}), checked here so that one the
 *     console would refuse stops {@code ferry serve} before it connects
 */
public record ServeOptions(
    TargetUrl target,
    int port,
    String bind,
    String token,
    int statementTimeoutMillis,
    boolean write,
    List<NamedQuery> queries) {
  /** Read-only, as {@code ferry serve} without {@code --write}. */
  public ServeOptions(
      TargetUrl target, int port, String bind, String token, int statementTimeoutMillis) {
    this(target, port, bind, token, statementTimeoutMillis, false);
  }

  /** Without named queries. */
  public ServeOptions(
      TargetUrl target,
      int port,
      String bind,
      String token,
      int statementTimeoutMillis,
      boolean write) {
    this(target, port, bind, token, statementTimeoutMillis, write, List.of());
  }

  public ServeOptions {
    queries = NamedQuery.check(queries == null ? List.of() : queries);
    if (write && (token == null || token.length() < 16)) {
      throw new FerryException(
          ErrorCode.USAGE,
          "--write lets whoever holds the token change the data, so it needs --token with at"
              + " least 16 characters, even on loopback: e.g. ferry serve --write --token"
              + " \"$(openssl rand -hex 24)\" (clients send Authorization: Bearer TOKEN; the page"
              + " asks for it once)");
    }
    if (port < 0 || port > 65_535) {
      throw new FerryException(
          ErrorCode.USAGE, "--port " + port + ": use 1 to 65535 (0: any free port)");
    }
    boolean loopback;
    try {
      loopback = InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new FerryException(
          ErrorCode.USAGE, "--bind " + bind + ": not an address of this machine");
    }
    if (!loopback && (token == null || token.length() < 16)) {
      throw new FerryException(
          ErrorCode.USAGE,
          "--bind "
              + bind
              + " exposes the data beyond this machine: also give --token with at least 16"
              + " characters (clients send Authorization: Bearer TOKEN), or bind 127.0.0.1");
    }
    if (statementTimeoutMillis < 100) {
      throw new FerryException(ErrorCode.USAGE, "statement timeout: at least 100 ms");
    }
  }
}
