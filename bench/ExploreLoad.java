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
 * SELECT 1). Run: java bench/ExploreLoad.java BASE SECONDS CLIENTS
 */
public class ExploreLoad {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " → " + r.statusCode() + " " + r.body());
    }
    return r.body();
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
    String rows = base + "/api/tables/public/tweets/rows";
    // a deep keyset cursor: walk to about row 900,000 in pages of 1,000 (untimed)
    String after = null;
    for (int i = 0; i < 900; i++) {
      String page = get(rows + "?limit=1000&order=created_at" + (after == null ? "" : "&after=" + after));
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
    scenarios.put("page", () -> rows + "?limit=50");
    scenarios.put("deep keyset page", () -> rows + "?limit=50&order=created_at&after=" + deep);
    scenarios.put("filtered page", () -> rows + "?limit=50&is_reply=is.true&order=created_at.desc");
    String[] langs = {"en", "fr", "ja", "de", "es"};
    scenarios.put("JSON filter", () -> rows + "?limit=50&" + enc("metadata->>lang") + "=eq." + langs[ThreadLocalRandom.current().nextInt(langs.length)]);
    String[] words = {"postgres", "migration", "locked", "writer", "index"};
    scenarios.put("search", () -> rows + "?limit=20&q=" + words[ThreadLocalRandom.current().nextInt(words.length)]);
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
  }
}
