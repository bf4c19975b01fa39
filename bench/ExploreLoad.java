import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for bench/explore.sh: CLIENTS threads call one scenario at a time for SECONDS,
 * then print p50/p99 per scenario and its ratio to /health (the stack's floor: HTTP, pool, one
 * SELECT 1); then, with a TOKEN (the server runs with --write), a bulk update of 10,000 rows by a
 * created_at range, ROUNDS times, each undone, with p50/p99 of the update and of the undo.
 * Run: java bench/ExploreLoad.java BASE SECONDS CLIENTS [TOKEN [ROUNDS]]
 */
public class ExploreLoad {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static String token; // every request carries it when the server runs with --token

  static String get(String url) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " → " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  /** A write with the bearer token; the answer's body, or a failure naming the status. */
  static String write(String method, String url, String body, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(method + " " + url + " → " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  static double pct(List<Long> nanos, double q) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * q) - 1)) / 1e6;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  public static void main(String[] args) throws Exception {
    String base = args[0];
    int seconds = Integer.parseInt(args[1]);
    int clients = Integer.parseInt(args[2]);
    token = args.length > 3 ? args[3] : null;
    String rows = base + "/api/tables/public/tweets/rows";
    // a deep keyset cursor: walk to about row 900,000 in pages of 1,000 (untimed); on the way,
    // the created_at of every 10,000th row bounds the bulk updates' ranges
    String after = null;
    List<String> bounds = new ArrayList<>();
    for (int i = 0; i < 900; i++) {
      String page = get(rows + "?limit=1000&order=created_at" + (after == null ? "" : "&after=" + after));
      if (i % 10 == 0) {
        bounds.add(field(page, "created_at"));
      }
      after = field(page, "next");
    }
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("\"id\":\"([^\"]*)\"").matcher(get(rows + "?limit=1000&order=created_at&after=" + after));
    while (m.find()) {
      ids.add(m.group(1));
    }
    String deep = after;
    Map<String, java.util.function.Supplier<String>> scenarios = new LinkedHashMap<>();
    scenarios.put("health (floor)", () -> base + "/health");
    // the stack without the database: the catalog answers it from memory (/health is a round trip)
    scenarios.put("tables (no db)", () -> base + "/api/tables");
    scenarios.put("page", () -> rows + "?limit=50");
    scenarios.put("deep keyset page", () -> rows + "?limit=50&order=created_at&after=" + deep);
    scenarios.put("filtered page", () -> rows + "?limit=50&is_reply=is.true&order=created_at.desc");
    String[] langs = {"en", "fr", "ja", "de", "es"};
    scenarios.put("JSON filter", () -> rows + "?limit=50&" + enc("metadata->>lang") + "=eq." + langs[ThreadLocalRandom.current().nextInt(langs.length)]);
    String[] words = {"postgres", "migration", "locked", "writer", "index"};
    scenarios.put("search", () -> rows + "?limit=20&q=" + words[ThreadLocalRandom.current().nextInt(words.length)]);
    String facets = base + "/api/tables/public/tweets/facets?column=";
    scenarios.put("facet JSON key", () -> facets + enc("metadata->>lang"));
    scenarios.put("facet + filter", () -> facets + "is_reply&" + enc("metadata->>lang") + "=eq." + langs[ThreadLocalRandom.current().nextInt(langs.length)]);
    scenarios.put("row detail", () -> base + "/api/tables/public/tweets/row?id=" + enc(ids.get(ThreadLocalRandom.current().nextInt(ids.size()))));
    double floor99 = 0;
    System.out.printf("%-18s %9s %9s %9s %9s  %s%n", "scenario", "requests", "p50 ms", "p99 ms", "req/s", "p99 / floor p99");
    for (var e : scenarios.entrySet()) {
      List<Long> all = Collections.synchronizedList(new ArrayList<>());
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Thread t = new Thread(() -> {
          try {
            while (System.nanoTime() < end) {
              long t0 = System.nanoTime();
              get(e.getValue().get());
              all.add(System.nanoTime() - t0);
            }
          } catch (Exception ex) {
            throw new RuntimeException(ex);
          }
        });
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
      List<Long> sorted = new ArrayList<>(all);
      Collections.sort(sorted);
      double p50 = sorted.get(sorted.size() / 2) / 1e6;
      double p99 = sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1e6;
      if (floor99 == 0) {
        floor99 = p99;
      }
      System.out.printf("%-18s %9d %9.2f %9.2f %9.0f  %.1f×%n", e.getKey(), sorted.size(), p50, p99, sorted.size() / (double) seconds, p99 / floor99);
    }
    if (args.length > 3) {
      bulk(rows, base, args[3], args.length > 4 ? Integer.parseInt(args[4]) : 10, bounds);
    }
  }

  /**
   * ROUNDS bulk updates of the 10,000 rows between two created_at bounds (one client, one at a
   * time, as a person at the grid would), each undone; every update's row count must be 10,000.
   */
  static void bulk(String rows, String base, String token, int rounds, List<String> bounds)
      throws Exception {
    List<Long> updates = new ArrayList<>();
    List<Long> undos = new ArrayList<>();
    long changed = 0;
    for (int i = 0; i < rounds; i++) {
      int k = 1 + i % (bounds.size() - 2);
      String where = "?created_at=gte." + enc(bounds.get(k)) + "&created_at=lt." + enc(bounds.get(k + 1));
      long t0 = System.nanoTime();
      String done = write("PATCH", rows + where, "{\"url\": \"https://example.com/bench-" + i + "\"}", token);
      updates.add(System.nanoTime() - t0);
      Matcher n = Pattern.compile("\"updated\":(\\d+)").matcher(done);
      Matcher id = Pattern.compile("\"audit_id\":(\\d+)").matcher(done);
      if (!n.find() || !id.find()) {
        throw new IllegalStateException("unexpected answer: " + done);
      }
      changed += Long.parseLong(n.group(1));
      t0 = System.nanoTime();
      write("POST", base + "/api/audit/" + id.group(1) + "/undo", "", token);
      undos.add(System.nanoTime() - t0);
    }
    System.out.printf(
        "bulk update of %,d rows per request (%d rounds, each undone): update p50 %.1f ms, p99 %.1f ms;"
            + " undo p50 %.1f ms, p99 %.1f ms%n",
        changed / rounds, rounds, pct(updates, 0.5), pct(updates, 0.99), pct(undos, 0.5), pct(undos, 0.99));
  }
}
