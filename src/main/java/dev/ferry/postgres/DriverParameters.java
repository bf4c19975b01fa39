package dev.ferry.postgres;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.PGProperty;

/**
 * libpq's connection parameters as pgjdbc's properties: the same meaning under pgjdbc's name
 * (application_name → ApplicationName, target_session_attrs → targetServerType, ...). pgjdbc's own
 * property names pass as they are. A libpq parameter pgjdbc has no equivalent for, or a name
 * neither knows, is refused rather than ignored: a connection made without what was asked (an
 * sslmode, a timeout) must not happen silently.
 */
final class DriverParameters {
  private static final Map<String, String> RENAMED =
      Map.ofEntries(
          Map.entry("sslmode", "sslmode"),
          Map.entry("sslcert", "sslcert"),
          Map.entry("sslkey", "sslkey"),
          Map.entry("sslrootcert", "sslrootcert"),
          Map.entry("sslpassword", "sslpassword"),
          Map.entry("application_name", "ApplicationName"),
          Map.entry("connect_timeout", "connectTimeout"),
          Map.entry("options", "options"),
          Map.entry("gssencmode", "gssEncMode"),
          Map.entry("channel_binding", "channelBinding"),
          Map.entry("krbsrvname", "kerberosServerName"),
          Map.entry("gsslib", "gsslib"));
  private static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
  private static final Map<String, String> SESSION_ATTRS =
      Map.of(
          "any", "any",
          "read-write", "primary",
          "primary", "primary",
          "read-only", "secondary",
          "standby", "secondary",
          "prefer-standby", "preferSecondary");
  private static final Set<String> NO_EQUIVALENT =
      Set.of(
          "passfile",
          "service",
          "requirepeer",
          "sslcrl",
          "sslcrldir",
          "sslsni",
          "sslcompression",
          "ssl_min_protocol_version",
          "ssl_max_protocol_version",
          "keepalives_idle",
          "keepalives_interval",
          "keepalives_count",
          "tcp_user_timeout",
          "replication",
          "require_auth",
          "sslcertmode",
          "sslnegotiation");

  private DriverParameters() {}

  /** pgjdbc properties for libpq parameters (host, port, dbname, user and password excluded). */
  static Map<String, String> fromLibpq(Map<String, String> libpq, boolean mayEcho) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : libpq.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      switch (name) {
        case "sslmode" -> {
          if (!SSL_MODES.contains(value)) {
            throw ConnectionString.usage(
                "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full");
          }
          out.put("sslmode", value);
        }
        case "target_session_attrs" -> {
          String type = SESSION_ATTRS.get(value);
          if (type == null) {
            throw ConnectionString.usage(
                "target_session_attrs must be one of " + new TreeSet<>(SESSION_ATTRS.keySet()));
          }
          out.put("targetServerType", type);
        }
        case "load_balance_hosts" -> out.put("loadBalanceHosts", flag(name, value, "random"));
        case "keepalives" -> out.put("tcpKeepAlive", flag(name, value, "1"));
        case "fallback_application_name" -> out.putIfAbsent("ApplicationName", value);
        case "client_encoding" -> {
          if (!value.replace("-", "").equalsIgnoreCase("utf8")) {
            throw ConnectionString.usage(
                "client_encoding must be UTF8: Ferry always talks UTF-8 to PostgreSQL");
          }
        }
        default -> out.put(driverName(name, mayEcho), value);
      }
    }
    return out;
  }

  private static String driverName(String name, boolean mayEcho) {
    String renamed = RENAMED.get(name);
    if (renamed != null) {
      return renamed;
    }
    if (NO_EQUIVALENT.contains(name)) {
      throw ConnectionString.usage(
          "the parameter "
              + name
              + " has no equivalent in pgjdbc, the driver Ferry uses: remove it or give a"
              + " jdbc:postgresql:// URL with pgjdbc's parameters");
    }
    if (PGProperty.forName(name) != null) {
      return name;
    }
    throw ConnectionString.usage(
        "unknown parameter "
            + shown(name, mayEcho)
            + ": libpq's are "
            + String.join(", ", new TreeSet<>(RENAMED.keySet()))
            + ", target_session_attrs, load_balance_hosts, keepalives, ... (pgjdbc's own names"
            + " are accepted too)");
  }

  /**
   * A parameter name as it may appear in a message: quoted when it is a plain word and the string
   * holds no password (an unencoded '&' or space in a password makes its rest look like a name).
   */
  private static String shown(String name, boolean mayEcho) {
    if (!mayEcho) {
      return "(its name is not shown, as the string holds a password: percent-encode & as %26)";
    }
    return name.matches("[A-Za-z_][A-Za-z0-9_.-]{0,40}") ? "'" + name + "'" : "(not a name)";
  }

  private static String flag(String name, String value, String on) {
    String v = value.toLowerCase(Locale.ROOT);
    if (v.equals(on) || (on.equals("random") ? v.equals("disable") : v.equals("0"))) {
      return Boolean.toString(v.equals(on));
    }
    throw ConnectionString.usage(
        name + " must be " + on + " or " + (on.equals("random") ? "disable" : "0"));
  }

  /** pgjdbc's own properties from a jdbc: URL's query: checked by name only. */
  static Map<String, String> fromJdbc(Map<String, String> params, boolean mayEcho) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (PGProperty.forName(e.getKey()) == null) {
        throw ConnectionString.usage(
            "unknown pgjdbc parameter " + shown(e.getKey(), mayEcho) + " in the jdbc: URL");
      }
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }
}
