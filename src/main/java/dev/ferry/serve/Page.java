package dev.ferry.serve;

import io.javalin.config.StaticFilesConfig;
import io.javalin.http.staticfiles.Location;

/**
 * The web page ({@code /}, {@code /app.js}, {@code /app.css} from {@code
 * src/main/resources/explorer}); {@code GET /api/openapi.json} is {@link OpenApi}. The page itself
 * is public: it holds no data and asks for the token when the API wants one.
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
}
