package dev.ferry.serve;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may read, under {@code --token}: a request to /api or /metrics carries {@code Authorization:
 * Bearer TOKEN}, or, for GET and HEAD only, the session cookie that {@code POST /api/session} with
 * that header hands out (HttpOnly, SameSite=Strict, 12 hours, in this process's memory only), so
 * downloads and plain links work in a browser. {@code DELETE /api/session} ends the session.
 *
 * <p>A cookie alone never authorizes anything but reading: any other method needs the bearer
 * header, which a page on another origin cannot send without a CORS grant this server never gives.
 * The explorer has no write endpoint; this rule is what keeps a future one safe from cross-site
 * requests.
 */
final class Sessions {
  static final String COOKIE = "ferry_session";
  private static final int LIFETIME_SECONDS = 12 * 60 * 60;
  private static final int MAX_SESSIONS = 1_000;

  private final byte[] expected; // "Bearer TOKEN", or null when no token is required
  private final Map<String, Long> live = new ConcurrentHashMap<>(); // id → expiry (epoch ms)
  private final SecureRandom random = new SecureRandom();

  Sessions(String token) {
    this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  /** The before-handler: refuses an unauthorized request to a protected path. */
  void check(Context ctx) {
    String p = ctx.path();
    if (expected == null
        || !(p.startsWith("/api/") || p.equals("/metrics"))
        || p.equals("/api/session")) {
      return; // the session endpoints decide for themselves
    }
    if (bearer(ctx)
        || (reading(ctx.method()) && live(ctx.cookie(COOKIE)))
        || WriteRoutes.authorized(ctx)) { // a write with the session's CSRF token (WriteRoutes)
      return;
    }
    throw new FerryException(
        ErrorCode.UNAUTHORIZED,
        reading(ctx.method())
            ? "send Authorization: Bearer TOKEN (the --token of ferry serve), or sign in with"
                + " POST /api/session"
            : "only Authorization: Bearer TOKEN authorizes "
                + ctx.method()
                + "; a session cookie"
                + " is for reading");
  }

  /** GET /api/session: whether a token is required and whether this request is signed in. */
  void status(Context ctx) {
    answer(ctx, expected == null || bearer(ctx) || live(ctx.cookie(COOKIE)), -1);
  }

  /** POST /api/session: the bearer header in, a session cookie out. */
  void open(Context ctx) {
    if (expected == null) {
      answer(ctx, true, -1);
      return;
    }
    if (!bearer(ctx)) {
      throw new FerryException(
          ErrorCode.UNAUTHORIZED,
          "POST /api/session with Authorization: Bearer TOKEN (the --token of ferry serve)");
    }
    byte[] id = new byte[32];
    random.nextBytes(id);
    String session = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    forgetExpired();
    if (live.size() >= MAX_SESSIONS) {
      live.entrySet().stream()
          .min(Map.Entry.comparingByValue())
          .ifPresent(oldest -> live.remove(oldest.getKey()));
    }
    live.put(session, System.currentTimeMillis() + LIFETIME_SECONDS * 1000L);
    ctx.cookie(cookie(ctx, session, LIFETIME_SECONDS));
    answer(ctx, true, LIFETIME_SECONDS);
  }

  /** DELETE /api/session: ends the cookie's session and clears the cookie. */
  void close(Context ctx) {
    String session = ctx.cookie(COOKIE);
    if (session != null) {
      live.remove(session);
    }
    ctx.cookie(cookie(ctx, "", 0));
    answer(ctx, false, -1);
  }

  /** {"token_required", "signed_in", "expires_in" (seconds, when a session was opened)}. */
  private void answer(Context ctx, boolean signedIn, int expiresIn) {
    ctx.contentType("application/json")
        .result(
            "{\"token_required\":"
                + (expected != null)
                + ",\"signed_in\":"
                + signedIn
                + (expiresIn < 0 ? "" : ",\"expires_in\":" + expiresIn)
                + "}");
  }

  private static Cookie cookie(Context ctx, String value, int maxAge) {
    boolean https = ctx.scheme().equals("https");
    return new Cookie(COOKIE, value, "/", maxAge, https, true, null, SameSite.STRICT);
  }

  private static boolean reading(HandlerType method) {
    return method.equals(HandlerType.GET) || method.equals(HandlerType.HEAD);
  }

  boolean bearer(Context ctx) {
    String h = ctx.header("Authorization");
    return h != null && MessageDigest.isEqual(h.getBytes(StandardCharsets.UTF_8), expected);
  }

  boolean live(String session) {
    if (session == null) {
      return false;
    }
    Long until = live.get(session);
    if (until == null) {
      return false;
    }
    if (until < System.currentTimeMillis()) {
      live.remove(session);
      return false;
    }
    return true;
  }

  private void forgetExpired() {
    long now = System.currentTimeMillis();
    live.values().removeIf(until -> until < now);
  }
}
