package dev.ferry.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * libpq's two connection-string forms (PostgreSQL manual §34.1.1) read into libpq keywords: the URI
 * {@code postgresql://[user[:password]@][host][:port][,...][/dbname][?param=value&...]} (also
 * {@code postgres://}) and the key/value form {@code host=h port=5432 dbname='my db'}. Each part is
 * percent-decoded as libpq decodes it ({@code +} stays a plus). Anything libpq would refuse is
 * refused with a message that says which part is wrong and never repeats a password.
 */
final class ConnectionString {
  private ConnectionString() {}

  /** The keywords of a URI or key/value connection string, in the order they were written. */
  static Map<String, String> parse(String text) {
    String s = text.strip();
    if (s.startsWith("postgresql://") || s.startsWith("postgres://")) {
      return uri(s.substring(s.indexOf("://") + 3));
    }
    if (!s.contains("://") && s.matches("(?s)\\s*[A-Za-z_]+\\s*=.*")) {
      return keyValue(s);
    }
    throw usage(
        "must start with postgresql://, postgres:// or jdbc:postgresql://, or be key=value pairs"
            + " (host=... dbname=...)");
  }

  private static Map<String, String> uri(String rest) {
    Map<String, String> k = new LinkedHashMap<>();
    int query = rest.indexOf('?');
    String beforeQuery = query < 0 ? rest : rest.substring(0, query);
    int slash = beforeQuery.indexOf('/');
    String netloc = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
    int at = netloc.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = netloc.substring(0, at);
      int colon = userInfo.indexOf(':');
      put(k, "user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name"));
      if (colon >= 0) {
        put(k, "password", decode(userInfo.substring(colon + 1), "password"));
      }
      netloc = netloc.substring(at + 1);
    }
    hosts(netloc, k);
    if (slash >= 0 && beforeQuery.indexOf('@', slash) >= 0) { // user:@/p@ss@h/db too
      throw usage(
          "'@' after the host: a password holding '/' must percent-encode it (/ as %2F, @ as"
              + " %40, ? as %3F); a database name holding '@' writes it %40");
    }
    if (slash >= 0 && slash + 1 < beforeQuery.length()) {
      put(k, "dbname", decode(beforeQuery.substring(slash + 1), "database name"));
    }
    if (query >= 0) {
      for (String pair : rest.substring(query + 1).split("&", -1)) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw usage("every query parameter needs a name, '=' and a value (name=value)");
        }
        String name = decode(pair.substring(0, eq), "query parameter name");
        k.put(name, decode(pair.substring(eq + 1), "value of query parameter " + name));
      }
    }
    return k;
  }

  /** host[:port], comma-separated; [IPv6] literals; percent-encoded socket paths. */
  private static void hosts(String netloc, Map<String, String> k) {
    if (netloc.isEmpty()) {
      return;
    }
    List<String> hosts = new ArrayList<>();
    List<String> ports = new ArrayList<>();
    for (String spec : netloc.split(",", -1)) {
      if (spec.startsWith("[")) {
        int close = spec.indexOf(']');
        if (close < 0) {
          throw usage("an IPv6 host must end with ']' ([::1]:5432)");
        }
        String after = spec.substring(close + 1);
        if (!after.isEmpty() && !after.startsWith(":")) {
          throw usage("after an IPv6 host's ']' comes ':port', ',' or '/'");
        }
        hosts.add(spec.substring(1, close));
        ports.add(after.isEmpty() ? "" : after.substring(1));
      } else {
        int colon = spec.indexOf(':');
        hosts.add(decode(colon < 0 ? spec : spec.substring(0, colon), "host name"));
        ports.add(colon < 0 ? "" : spec.substring(colon + 1));
      }
    }
    if (hosts.stream().anyMatch(h -> !h.isEmpty())) {
      k.put("host", String.join(",", hosts));
    }
    if (ports.stream().anyMatch(p -> !p.isEmpty())) {
      k.put("port", String.join(",", ports));
    }
  }

  /** keyword = value pairs separated by spaces; values may be 'single quoted' with \' and \\. */
  private static Map<String, String> keyValue(String s) {
    Map<String, String> k = new LinkedHashMap<>();
    int i = 0;
    while (i < s.length()) {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i == s.length()) {
        break;
      }
      int start = i;
      while (i < s.length() && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      String key = s.substring(start, i);
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i == s.length() || s.charAt(i) != '=') {
        throw usage("every word of a key/value string must be keyword=value; one has no '='");
      }
      i++;
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      StringBuilder value = new StringBuilder();
      if (i < s.length() && s.charAt(i) == '\'') {
        i++;
        boolean closed = false;
        while (i < s.length()) {
          char c = s.charAt(i++);
          if (c == '\\' && i < s.length()) {
            value.append(s.charAt(i++));
          } else if (c == '\'') {
            closed = true;
            break;
          } else {
            value.append(c);
          }
        }
        if (!closed) {
          throw usage("a quoted value has no closing quote (write \\' for a quote inside)");
        }
      } else {
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
          char c = s.charAt(i++);
          value.append(c == '\\' && i < s.length() ? s.charAt(i++) : c);
        }
      }
      k.put(key, value.toString());
    }
    return k;
  }

  private static void put(Map<String, String> k, String key, String value) {
    if (!value.isEmpty()) {
      k.put(key, value);
    }
  }

  /** libpq's percent-decoding: %XX only, UTF-8, no %00; '+' is a plus. */
  static String decode(String s, String what) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      if (in[i] != '%') {
        out.write(in[i]);
        continue;
      }
      int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(in[i + 2], 16);
      if (hi < 0 || lo < 0) {
        throw usage("the " + what + " has a '%' not followed by two hex digits (write %25)");
      }
      if (hi == 0 && lo == 0) {
        throw usage("the " + what + " contains %00, which PostgreSQL cannot take");
      }
      out.write(hi * 16 + lo);
      i += 2;
    }
    return utf8(out.toByteArray(), what);
  }

  private static String utf8(byte[] bytes, String what) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw usage("the " + what + " is not UTF-8 once percent-decoded");
    }
  }

  static FerryException usage(String what) {
    return new FerryException(ErrorCode.USAGE, "the target URL is not valid: " + what);
  }
}
