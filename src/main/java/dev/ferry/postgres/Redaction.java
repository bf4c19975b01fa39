package dev.ferry.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What may be printed of a connection string someone typed, whatever its shape: the password of
 * {@code user:password@} (everything from the first ':' after the scheme to the last '@') and every
 * {@code password=} value become {@code ***}. Used for messages about input that may not parse, and
 * as the last filter over every error message the command line prints.
 */
public final class Redaction {
  private static final String HIDDEN = "***";

  /** Shorter candidates are not scrubbed from messages (it would mangle them); never echo them. */
  private static final int MIN_SCRUBBED = 4;

  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|[^&\\s]*)", Pattern.DOTALL);

  private static final Pattern PASSWORD_TO_END =
      Pattern.compile("(?i)(password\\s*=\\s*)(.*)", Pattern.DOTALL);

  /** URL gen-delims, host-list commas, query and key=value separators, quotes and escapes. */
  private static final String PIECE_DELIMITERS = "[/@:?#\\[\\],&=\\s'\\\\]+";

  private Redaction() {}

  /** {@code raw} with its password, in any position a connection string can hold one, hidden. */
  public static String redact(String raw) {
    if (raw == null) {
      return null;
    }
    // password= values first: a '@' inside one must not be taken for the end of user:password@
    // and to the end: an unencoded '&' or space in the password must not end what is hidden
    String s =
        PASSWORD_TO_END.matcher(raw).replaceAll(r -> Matcher.quoteReplacement(r.group(1)) + HIDDEN);
    int at = s.lastIndexOf('@');
    int start = userInfoStart(s);
    if (at > start) {
      int colon = s.indexOf(':', start);
      if (colon >= 0 && colon < at) {
        s = s.substring(0, colon + 1) + HIDDEN + s.substring(at);
      }
    }
    return s;
  }

  /**
   * {@code message} with every password that one of {@code inputs} may carry removed: the last
   * filter before anything reaches the terminal, for messages built from input that was echoed
   * whole or in part.
   */
  public static String scrub(String message, List<String> inputs) {
    if (message == null) {
      return null;
    }
    String m = message;
    for (String input : inputs) {
      for (String secret : secrets(input)) {
        m = m.replace(secret, HIDDEN);
      }
    }
    return m;
  }

  /** The substrings of {@code raw} that may be a password, longest first, raw and decoded. */
  static List<String> secrets(String raw) {
    List<String> found = new ArrayList<>();
    if (raw == null) {
      return found;
    }
    int at = raw.lastIndexOf('@');
    int start = userInfoStart(raw);
    int colon = raw.indexOf(':', start);
    if (at > start && colon >= 0 && colon + 1 < at) {
      found.add(raw.substring(colon + 1, at));
    }
    Matcher m = PASSWORD_PARAM.matcher(raw);
    while (m.find()) {
      String v = m.group(2);
      if (v.startsWith("'")) {
        v = v.substring(1, v.endsWith("'") && v.length() > 1 ? v.length() - 1 : v.length());
      }
      if (!v.isEmpty()) {
        found.add(v);
      }
    }
    Matcher rest = PASSWORD_TO_END.matcher(raw);
    while (rest.find()) {
      found.add(rest.group(2));
      found.add(rest.group(2).replace("'", ""));
    }
    found.removeIf(String::isEmpty);
    List<String> all = new ArrayList<>(found);
    for (String f : found) { // as a file path prints it: slashes collapsed, no trailing slash
      all.add(f.replaceAll("/+", "/").replaceAll("/$", ""));
      // and its pieces between the delimiters any parser of a connection string cuts at: a
      // message may quote any part of a password that holds one unencoded (a path cut at its
      // last '/', a host after its '@', a host list cut at ',', an IPv6 host cut at ']', a quoted
      // key=value cut at its quote)
      all.addAll(List.of(f.split(PIECE_DELIMITERS)));
    }
    for (String f : List.copyOf(all)) {
      try {
        String d = ConnectionString.decode(f, "password");
        if (!d.isEmpty() && !d.equals(f)) {
          all.add(d);
        }
      } catch (RuntimeException e) {
        // not percent-encoded: the raw form is enough
      }
    }
    all.removeIf(s -> s.length() < MIN_SCRUBBED);
    all.sort((a, b) -> b.length() - a.length());
    return all;
  }

  /**
   * Where user[:password]@ would start: after the "://" of a scheme Ferry reads, else at the start.
   * Any other prefix may be a user name ({@code "u" + ":" + "//secret" + "@h"}), so from its ':' on
   * everything up to the last '@' stays hidden.
   */
  private static int userInfoStart(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    for (String scheme : List.of("postgresql://", "postgres://", "jdbc:postgresql://")) {
      if (lower.startsWith(scheme)) {
        return scheme.length();
      }
    }
    return 0;
  }
}
