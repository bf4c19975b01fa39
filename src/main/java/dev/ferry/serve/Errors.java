package dev.ferry.serve;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.postgres.SqlStates;
import io.javalin.config.RoutesConfig;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure a request can meet, as one {@link FerryException} answered through {@link
 * ErrorCode}'s HTTP status: SQL states are classified by {@link SqlStates} only, unknown paths are
 * NOT_FOUND, anything else INTERNAL with the details in the server log, never in the answer.
 */
final class Errors {
  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  static void install(RoutesConfig routes, int statementTimeoutMillis) {
    routes.exception(FerryException.class, (e, ctx) -> JsonOut.error(ctx, e));
    routes.exception(
        SQLException.class, (e, ctx) -> JsonOut.error(ctx, fromSql(e, statementTimeoutMillis)));
    routes.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("request failed: {} {}", ctx.method(), ctx.path(), e);
          JsonOut.error(
              ctx, new FerryException(ErrorCode.INTERNAL, "internal error; see the server log"));
        });
    routes.error(
        404,
        ctx -> {
          // the response's type (ctx.contentType() is the request's): not already our NOT_FOUND
          String answered = ctx.res().getContentType();
          if (answered == null || !answered.startsWith("application/json")) {
            JsonOut.error(
                ctx,
                new FerryException(
                    ErrorCode.NOT_FOUND,
                    "no such endpoint: "
                        + RowQuery.abbreviate(ctx.path())
                        + " (GET /api/openapi.json lists them)"));
          }
        });
  }

  /** What a failed query means for the client, by its SQL state. */
  static FerryException fromSql(SQLException e, int statementTimeoutMillis) {
    String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    return switch (SqlStates.of(e)) {
      case BAD_VALUE ->
          new FerryException(ErrorCode.BAD_VALUE, "a value does not fit its column: " + first, e);
      case CANCELLED ->
          new FerryException(
              ErrorCode.TIMEOUT,
              "the query ran longer than " + statementTimeoutMillis + " ms: narrow it with filters",
              e);
      case CONNECTION_LOST ->
          new FerryException(
              ErrorCode.TARGET_UNREACHABLE, "the database is unreachable: " + first, e);
      default -> {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        LOG.error("query failed ({}): {}", state, first);
        yield new FerryException(
            ErrorCode.INTERNAL, "the query failed (" + state + "); see the server log", e);
      }
    };
  }
}
