package dev.ferry.serve;

import io.javalin.config.StaticFilesConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;

/**
 * The web page ({@code /}, {@code /app.js}, {@code /app.css} from {@code
 * src/main/resources/explorer}) and {@code GET /api/openapi.json}. The page itself is public: it
 * holds no data and asks for the token when the API wants one.
 */
final class Page {
  private Page() {}

  static void serve(StaticFilesConfig files) {
    files.add(
        s -> {
          s.hostedPath = "/";
          s.directory = "/explorer";
          s.location = Location.CLASSPATH;
        });
  }

  static void openApi(Context ctx) {
    ctx.contentType("application/json")
        .result(Page.class.getResourceAsStream("/explorer/openapi.json"));
  }
}
