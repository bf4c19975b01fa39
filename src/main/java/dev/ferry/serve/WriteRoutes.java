package dev.ferry.serve;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.audit.AuditLog;
import dev.ferry.postgres.Pool;
import dev.ferry.run.MetadataSchema;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The explorer's write mode ({@code ferry serve --write}): its routes and who may use them. Every
 * write request is checked here before anything else runs:
 *
 * <ol>
 *   <li>without {@code --write} it is WRITE_DISABLED (405) and nothing is written;
 *   <li>a cross-origin request (an {@code Origin} other than the server's own, or {@code
 *       Sec-Fetch-Site} other than same-origin or none) is FORBIDDEN, whatever it carries;
 *   <li>it needs {@code Authorization: Bearer TOKEN}, or the session cookie together with that
 *       session's CSRF token in {@code X-Ferry-CSRF} (an HMAC of the session id under a key of this
 *       process, handed out by {@code GET /api/write} to the page that holds the cookie). A cookie
 *       alone is never enough.
 * </ol>
 *
 * Each write is recorded in ferry.audit as "token" and the token's fingerprint: an HMAC under the
 * database's own secret ({@link AuditLog#fingerprint}), never the token.
 */
final class WriteRoutes {
  static final String CSRF_HEADER = "X-Ferry-CSRF";
  private static final String WHO = "ferry.write.who";

  /**
   * The only requests with a method other than GET/HEAD/OPTIONS that are not writes: signing in and
   * out, the read-only SQL console and the named queries (which run as the console does). Every
   * other such request is a write (default deny: a route added later, or a path spelled with a
   * trailing slash, is guarded too).
   */
  private static final Pattern NOT_A_WRITE =
      Pattern.compile("/api/(session|sql|queries/[A-Za-z0-9_-]+)/?");

  private final ServeOptions options;
  private final Sessions sessions;
  private final byte[] csrfKey = new byte[32];
  private final String fingerprint;
  final WriteHandler rows;
  final AuditHandler audit;

  WriteRoutes(
      DataSource db, Catalog catalog, JsonOut out, Sessions sessions, ServeOptions options) {
    this.options = options;
    this.sessions = sessions;
    new SecureRandom().nextBytes(csrfKey);
    this.rows = new WriteHandler(db, catalog, out);
    this.audit = new AuditHandler(db, out);
    this.fingerprint = options.write() ? prepare(options) : "none";
  }

  /** The routes; {@link #guard} must run before {@link Sessions#check}. */
  void install(RoutesConfig r) {
    r.get("/api/write", this::status);
    r.patch("/api/tables/{schema}/{table}/rows", checked(rows::update));
    r.delete("/api/tables/{schema}/{table}/rows", checked(rows::delete));
    r.post("/api/tables/{schema}/{table}/rows", checked(rows::insert));
    r.patch("/api/tables/{schema}/{table}/rows/{key}", checked(rows::updateByKey));
    r.delete("/api/tables/{schema}/{table}/rows/{key}", checked(rows::deleteByKey));
    r.get("/api/audit", audit::list);
    r.get("/api/audit/{id}", audit::entry);
    r.post("/api/audit/{id}/undo", checked(audit::undo));
  }

  /**
   * A write handler that runs only when write mode is on and {@link #guard} authorized this very
   * request: a second lock, so that no path the guard does not see can reach a write.
   */
  private io.javalin.http.Handler checked(io.javalin.http.Handler write) {
    return ctx -> {
      if (!options.write()) {
        throw new FerryException(
            ErrorCode.WRITE_DISABLED,
            "this explorer is read-only: start it with ferry serve --write --token TOKEN to change"
                + " data");
      }
      if (!authorized(ctx)) {
        throw new FerryException(
            ErrorCode.FORBIDDEN,
            "a write needs Authorization: Bearer TOKEN (or the session's CSRF)");
      }
      write.handle(ctx);
    };
  }

  /** Whether {@link #guard} let this request write with a session cookie and its CSRF token. */
  static boolean authorized(Context ctx) {
    return ctx.attribute(WHO) != null;
  }

  /** Who made this write, as ferry.audit records it. */
  static String who(Context ctx) {
    String who = ctx.attribute(WHO);
    return who == null ? "unknown" : who;
  }

  /** The before-handler of every request: see the class comment for the rule. */
  void guard(Context ctx) {
    HandlerType m = ctx.method();
    if (m.equals(HandlerType.GET) || m.equals(HandlerType.HEAD) || m.equals(HandlerType.OPTIONS)) {
      return;
    }
    refuseCrossOrigin(ctx); // any other method: a page elsewhere must not make this browser send it
    if (NOT_A_WRITE.matcher(ctx.path()).matches()) {
      return;
    }
    if (!options.write()) {
      if (options.token() != null && !sessions.bearer(ctx)) {
        return; // Sessions.check answers 401: who is not signed in learns nothing more
      }
      throw new FerryException(
          ErrorCode.WRITE_DISABLED,
          "this explorer is read-only: start it with ferry serve --write --token TOKEN to change"
              + " data");
    }
    if (sessions.bearer(ctx)) {
      ctx.attribute(WHO, "token " + fingerprint);
      return;
    }
    String session = ctx.cookie(Sessions.COOKIE);
    if (session != null && sessions.live(session)) {
      String sent = ctx.header(CSRF_HEADER);
      if (sent != null
          && MessageDigest.isEqual(
              sent.getBytes(StandardCharsets.UTF_8),
              csrf(session).getBytes(StandardCharsets.UTF_8))) {
        ctx.attribute(WHO, "token " + fingerprint + " (browser session)");
        return;
      }
      throw new FerryException(
          ErrorCode.FORBIDDEN,
          "a session cookie authorizes a write only with its CSRF token in "
              + CSRF_HEADER
              + " (GET /api/write hands it to the page), or send Authorization: Bearer TOKEN");
    }
    // no credentials: Sessions.check answers 401 with how to sign in
  }

  /** Refuses a request whose Origin or Sec-Fetch-Site says another site's page sent it. */
  private static void refuseCrossOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    String self = ctx.scheme() + "://" + ctx.host();
    String site = ctx.header("Sec-Fetch-Site");
    if ((origin != null && !origin.toLowerCase(Locale.ROOT).equals(self.toLowerCase(Locale.ROOT)))
        || (site != null && !site.equals("same-origin") && !site.equals("none"))) {
      throw new FerryException(
          ErrorCode.FORBIDDEN,
          "cross-origin requests other than GET are refused (Origin "
              + RowQuery.abbreviate(String.valueOf(origin))
              + ", this server is "
              + RowQuery.abbreviate(self)
              + ")");
    }
  }

  /**
   * GET /api/write: {"enabled", "csrf" (this session's token, or null), "max_insert_rows"}. Under
   * the token rule like every /api GET, so only the holder of the cookie or token reads it.
   */
  void status(Context ctx) {
    String session = ctx.cookie(Sessions.COOKIE);
    String csrf =
        options.write() && session != null && sessions.live(session) ? csrf(session) : null;
    ctx.contentType("application/json")
        .result(
            "{\"enabled\":"
                + options.write()
                + ",\"csrf\":"
                + (csrf == null ? "null" : "\"" + csrf + "\"")
                + ",\"csrf_header\":\""
                + CSRF_HEADER
                + "\"}");
  }

  private String csrf(String session) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(csrfKey, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(session.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Brings the ferry schema (and its ferry.audit) current through a connection of its own (the
   * explorer's pool is read-only) and answers the token's fingerprint under this database's audit
   * secret.
   */
  private static String prepare(ServeOptions options) {
    // Flyway holds its lock on one connection while it migrates on another: on a database ferry
    // migrate never touched, a pool of one waited out its timeout and write mode never started
    try (HikariDataSource setup =
        Pool.on(options.target(), "explorer-setup").size(3, 0).connectTimeout(5_000).open()) {
      MetadataSchema.ensureCurrent(setup);
      try (Connection c = setup.getConnection()) {
        return options.token() == null ? "none" : AuditLog.fingerprint(c, options.token());
      }
    } catch (FerryException e) {
      throw e;
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot read or make the audit secret (ferry.audit_key) in "
              + options.target().display()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
