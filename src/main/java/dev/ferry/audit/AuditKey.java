package dev.ferry.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-database secret of {@code ferry.audit_key} and the token fingerprints made with it: an
 * HMAC-SHA256 of the token, so that whoever reads ferry.audit (a copy, an export, a role granted
 * only that table, {@code GET /api/audit}) cannot test guesses of the token against it offline, and
 * the same token is named the same way in every entry of this database.
 */
final class AuditKey {
  private static final int BYTES = 32;

  private AuditKey() {}

  /** This database's secret, made (once, whoever comes first) when there is none. */
  static byte[] secret(Connection c) throws SQLException {
    byte[] fresh = new byte[BYTES];
    new SecureRandom().nextBytes(fresh);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ferry.audit_key (secret) VALUES (?) ON CONFLICT (only_row) DO NOTHING")) {
      ps.setBytes(1, fresh);
      ps.executeUpdate();
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT secret FROM ferry.audit_key")) {
      rs.next();
      return rs.getBytes(1);
    }
  }

  /** "hmac:" and the first 16 hex digits of HMAC-SHA256(secret, token). */
  static String fingerprint(byte[] secret, String token) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] d = mac.doFinal(token.getBytes(StandardCharsets.UTF_8));
      return "hmac:" + HexFormat.of().formatHex(d).substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
