package dev.ferry.postgres.embedded;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.postgres.TargetUrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The default target: a PostgreSQL server whose binaries come from Maven Central (zonky's
 * packaging) and whose data directory persists under {@code .ferry/pg} in the working directory. It
 * outlives the Ferry process that started it, so {@code psql} can connect after a migration; {@code
 * ferry pg stop} stops it. PostgreSQL refuses to run as root, so under root the server runs as
 * {@code nobody}; when that user cannot reach the working directory (under /root, say), the data
 * lives in /var/tmp and {@code .ferry/pg/location} points there.
 */
public final class EmbeddedServer {
  static final String USER = "postgres";
  private static final int PREFERRED_PORT = 54329;
  private static final int NOBODY = 65534;

  private final Path home;
  private final Path data;
  private final Path dist;
  private final boolean asNobody;

  private EmbeddedServer(Path home, boolean asNobody) {
    this.home = home;
    this.data = home.resolve("data");
    this.dist = home.resolve("dist-" + postgresVersion());
    this.asNobody = asNobody;
  }

  /** The embedded server of the project in {@code workDir} ({@code .ferry/pg} inside it). */
  public static EmbeddedServer in(Path workDir) {
    Path local = workDir.toAbsolutePath().normalize().resolve(".ferry").resolve("pg");
    boolean root = isRoot();
    if (!root || traversableByOthers(local.getParent().getParent())) {
      return new EmbeddedServer(local, root);
    }
    Path away =
        Paths.get("/var/tmp", "ferry-pg-" + Integer.toHexString(local.toString().hashCode()));
    try {
      Files.createDirectories(local);
      Files.writeString(local.resolve("location"), away + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new EmbeddedServer(away, true);
  }

  public Path dataDirectory() {
    return data;
  }

  /** Whether the server is running now. */
  public boolean running() {
    if (!Files.exists(data.resolve("PG_VERSION"))) {
      return false;
    }
    return run(List.of(pgCtl(), "-D", data.toString(), "status"), false).exit == 0;
  }

  /** Starts the server (initialising the data directory first if needed); no-op when running. */
  public synchronized TargetUrl start() {
    try {
      boolean initialised = Files.exists(data.resolve("PG_VERSION"));
      if (initialised) {
        refuseOtherMajor();
      }
      unpack();
      if (!initialised) {
        init();
      }
      if (!running()) {
        startOnAFreePort();
      }
      return url();
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot prepare the embedded PostgreSQL in " + home + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * A data directory is only readable by the major version that initialised it: one left by an
   * earlier Ferry (PostgreSQL 16, say) cannot be started by this one's binaries. Say so, and how to
   * go on, instead of pg_ctl's bare "could not start server". A server of that version still
   * running (started by the earlier Ferry) is used as it is.
   */
  private void refuseOtherMajor() throws IOException {
    String initialisedBy = Files.readString(data.resolve("PG_VERSION")).trim();
    String bundled = majorOf(postgresVersion());
    if (initialisedBy.equals(bundled) || bundled.isEmpty()) {
      return;
    }
    if (Files.exists(data.resolve("postmaster.pid"))) {
      unpack(); // pg_ctl status reads any version's postmaster.pid
      if (running()) {
        return;
      }
    }
    Path old = home.resolve("dist-" + initialisedBy);
    try (Stream<Path> dists = Files.list(home)) {
      old =
          dists
              .filter(d -> d.getFileName().toString().startsWith("dist-" + initialisedBy + "."))
              .findFirst()
              .orElse(old);
    }
    throw new FerryException(
        ErrorCode.TARGET_UNREACHABLE,
        "the embedded PostgreSQL's data directory "
            + data
            + " was initialised by PostgreSQL "
            + initialisedBy
            + ", and this Ferry bundles PostgreSQL "
            + postgresVersion()
            + ", which cannot read it. To keep its databases, dump them with the old binaries ("
            + old.resolve("bin")
            + ": start the old server with its pg_ctl, then pg_dumpall), move "
            + data
            + " aside, and run ferry again (a new, empty data directory is created); or move it"
            + " aside and migrate your sources again.");
  }

  public static String majorOf(String version) {
    int dot = version.indexOf('.');
    return dot < 0 ? (version.matches("\\d+") ? version : "") : version.substring(0, dot);
  }

  /** Stops the server; no-op when it is not running. */
  public synchronized void stop() {
    if (running()) {
      run(List.of(pgCtl(), "-D", data.toString(), "-m", "fast", "-w", "stop"), true);
    }
  }

  /** How to connect: the server trusts local connections, so there is no password. */
  public TargetUrl url() {
    return TargetUrl.parse("postgresql://" + USER + "@127.0.0.1:" + port() + "/postgres");
  }

  /**
   * Starts the server on its port, or on a new one when another program took the port between the
   * check and the start (a second embedded server starting at the same moment): tried three times.
   */
  private void startOnAFreePort() throws IOException {
    for (int attempt = 1; ; attempt++) {
      int port = portStillFree();
      Result r =
          run(
              List.of(
                  pgCtl(),
                  "-D",
                  data.toString(),
                  "-l",
                  home.resolve("postgres.log").toString(),
                  "-w",
                  "-t",
                  "60",
                  "-o",
                  "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''",
                  "start"),
              false);
      if (r.exit == 0 || running()) {
        return;
      }
      if (attempt == 3 || free(port)) {
        throw new FerryException(
            ErrorCode.TARGET_UNREACHABLE,
            "the embedded PostgreSQL did not start: "
                + r.output.strip()
                + "\n  see "
                + home.resolve("postgres.log"));
      }
    }
  }

  /**
   * The remembered port, or a new one when another program took it while this server was stopped (a
   * second project's embedded server, a system PostgreSQL): starting on a taken port fails.
   */
  private int portStillFree() throws IOException {
    int port = port();
    if (free(port)) {
      return port;
    }
    int other = anyFreePort();
    Files.writeString(home.resolve("port"), other + "\n");
    return other;
  }

  /** The port, chosen once and remembered in {@code .ferry/pg/port}. */
  public int port() {
    Path file = home.resolve("port");
    try {
      if (Files.exists(file)) {
        return Integer.parseInt(Files.readString(file).trim());
      }
      Files.createDirectories(home);
      int port = free(PREFERRED_PORT) ? PREFERRED_PORT : anyFreePort();
      Files.writeString(file, port + "\n");
      return port;
    } catch (IOException | NumberFormatException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot read or choose the embedded server's port (" + file + "): " + e.getMessage(),
          e);
    }
  }

  private void init() throws IOException {
    Files.createDirectories(data);
    chownForServer(home);
    chownForServer(data);
    Result r =
        run(
            List.of(
                dist.resolve("bin/initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                USER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C"),
            false);
    if (r.exit != 0) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE, "initdb failed for " + data + ": " + r.output.strip());
    }
    // Tuned for bulk loading on a developer machine; durability stays on (fsync).
    String conf =
        """

        # ferry: bulk-load settings for the embedded server
        wal_level = minimal
        max_wal_senders = 0
        max_wal_size = '4GB'
        checkpoint_timeout = '15min'
        shared_buffers = '256MB'
        maintenance_work_mem = '256MB'
        """;
    Files.writeString(
        data.resolve("postgresql.conf"),
        conf,
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private void unpack() throws IOException {
    if (Files.exists(dist.resolve("bin/pg_ctl"))) {
      return;
    }
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String resource =
        arch.contains("aarch64") || arch.contains("arm64")
            ? "/postgres-linux-arm_64.txz"
            : "/postgres-linux-x86_64.txz";
    Files.createDirectories(home);
    Path tmp = Files.createTempDirectory(home, "dist-");
    try (InputStream raw = EmbeddedServer.class.getResourceAsStream(resource)) {
      if (raw == null) {
        throw new FerryException(
            ErrorCode.TARGET_UNREACHABLE,
            "no embedded PostgreSQL for " + arch + " in this build; use --target URL");
      }
      try (TarArchiveInputStream tar =
          new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
        TarArchiveEntry e;
        List<TarArchiveEntry> links = new ArrayList<>();
        while ((e = tar.getNextEntry()) != null) {
          Path out = tmp.resolve(e.getName()).normalize();
          if (!out.startsWith(tmp)) {
            continue;
          }
          if (e.isDirectory()) {
            Files.createDirectories(out);
          } else if (e.isSymbolicLink() || e.isLink()) {
            links.add(e);
          } else {
            Files.createDirectories(out.getParent());
            Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(out, permissions(e.getMode()));
          }
        }
        for (TarArchiveEntry l : links) {
          Path out = tmp.resolve(l.getName()).normalize();
          Files.createDirectories(out.getParent());
          if (l.isSymbolicLink()) {
            Files.createSymbolicLink(out, Paths.get(l.getLinkName()));
          } else {
            Files.copy(tmp.resolve(l.getLinkName()), out);
          }
        }
      }
      for (Path p : List.of(tmp, home)) {
        Files.setPosixFilePermissions(p, permissions(0755));
      }
      try {
        Files.move(tmp, dist, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) {
        if (!Files.exists(dist.resolve("bin/pg_ctl"))) {
          throw raced;
        }
      }
    } finally {
      if (Files.exists(tmp)) {
        try (Stream<Path> walk = Files.walk(tmp)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private void chownForServer(Path p) throws IOException {
    if (asNobody) {
      Files.setAttribute(p, "unix:uid", NOBODY);
      Files.setAttribute(p, "unix:gid", NOBODY);
    }
  }

  private String pgCtl() {
    return dist.resolve("bin/pg_ctl").toString();
  }

  private record Result(int exit, String output) {}

  private Result run(List<String> command, boolean mustSucceed) {
    List<String> full = new ArrayList<>();
    if (asNobody) {
      full.addAll(
          List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
    }
    full.addAll(command);
    try {
      ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
      pb.environment().remove("PGDATA");
      pb.environment().put("LC_ALL", "C");
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out =
          p.getInputStream().readAllBytes(); // pg_ctl's server child keeps no handle on it: -l
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new FerryException(
            ErrorCode.TARGET_UNREACHABLE, "timed out: " + String.join(" ", command));
      }
      Result r = new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
      if (mustSucceed && r.exit != 0) {
        throw new FerryException(
            ErrorCode.TARGET_UNREACHABLE,
            String.join(" ", command) + " failed: " + r.output.strip());
      }
      return r;
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE, "interrupted while running " + command.get(0), e);
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort() == port;
    } catch (IOException e) {
      return false;
    }
  }

  private static int anyFreePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static boolean traversableByOthers(Path dir) {
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      try {
        if (Files.exists(p)
            && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          return false;
        }
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }
    return true;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = java.util.EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(bits[i]);
      }
    }
    return s;
  }

  /** The bundled PostgreSQL version, from the build. */
  public static String postgresVersion() {
    Properties p = new Properties();
    try (InputStream in = EmbeddedServer.class.getResourceAsStream("/dev/ferry/ferry.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("postgres.version", "unknown");
  }
}
