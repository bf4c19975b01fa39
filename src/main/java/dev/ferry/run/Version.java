package dev.ferry.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Ferry's version, from the build. */
public final class Version {
  private Version() {}

  public static String current() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("/dev/ferry/ferry.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }
}
