package dev.ferry.postgres;

import java.util.ArrayList;
import java.util.List;

/** libpq's host and port lists: checked one by one, with a message naming the one that is wrong. */
final class Hosts {
  private static final int MAX_PORT = 65_535;

  private Hosts() {}

  /** The hosts of a comma-separated list; an empty entry means localhost, as libpq reads it. */
  static List<String> names(String spec) {
    List<String> hosts = new ArrayList<>();
    for (String h : (spec == null ? "" : spec).split(",", -1)) {
      hosts.add(checked(h.strip()));
    }
    return hosts;
  }

  private static String checked(String host) {
    if (host.isEmpty()) {
      return "localhost";
    }
    if (host.startsWith("/") || host.startsWith("@")) {
      throw ConnectionString.usage(
          "the host "
              + host
              + " is a Unix-domain socket directory; Ferry connects through pgjdbc over TCP only:"
              + " give the server's address (host=localhost, or postgresql://localhost/db)");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if ("/?#@,[]\\'\"".indexOf(c) >= 0 || Character.isWhitespace(c) || c < ' ') {
        throw ConnectionString.usage(
            "the host name '"
                + host
                + "' contains '"
                + c
                + "', which no host name holds (percent-encode a password's special characters:"
                + " @ as %40, / as %2F)");
      }
    }
    if (host.indexOf(':') >= 0 && !host.matches("[0-9A-Fa-f:.%a-z0-9]+")) {
      throw ConnectionString.usage("the host '" + host + "' is not an IPv6 address");
    }
    return host;
  }

  /**
   * One port per host: none (the default for all), one (for all), or as many as there are hosts,
   * each 1 to 65535 or empty (the default).
   */
  static List<Integer> ports(String spec, List<String> hosts, int defaultPort) {
    List<Integer> ports = new ArrayList<>();
    String[] parts = spec == null || spec.isEmpty() ? new String[] {""} : spec.split(",", -1);
    if (parts.length != 1 && parts.length != hosts.size()) {
      throw ConnectionString.usage(
          parts.length + " ports for " + hosts.size() + " hosts: give one port, or one per host");
    }
    for (int i = 0; i < hosts.size(); i++) {
      String p = parts[parts.length == 1 ? 0 : i].strip();
      ports.add(p.isEmpty() ? defaultPort : port(p, hosts.get(i)));
    }
    return ports;
  }

  /** A port number, or a usage error naming the host it belongs to. */
  static int port(String p, String host) {
    if (!p.matches("[0-9]{1,9}")) {
      throw ConnectionString.usage(
          "the port of host "
              + host
              + " is not a number (percent-encode a password's special characters: / as %2F,"
              + " @ as %40)");
    }
    int port = Integer.parseInt(p);
    if (port < 1 || port > MAX_PORT) {
      throw ConnectionString.usage(
          "port " + port + " of host " + host + " is out of range: use 1 to " + MAX_PORT);
    }
    return port;
  }

  /** A user or database name as a URI writes it: the characters that would split it encoded. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c <= ' ' || c >= 0x7f || ":@/?#%,[]&=".indexOf(c) >= 0) {
        out.append('%').append(String.format("%02X", b & 0xff));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
