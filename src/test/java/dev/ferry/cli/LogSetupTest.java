package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Logging is set up in code as the XML file did: warnings and errors on stderr, Ferry's own loggers
 * as FERRY_LOG asks (warn when unset or not a level), the pool's and Flyway's at warn; and it is
 * the configuration Logback actually picked up (found as a service, no XML read).
 */
class LogSetupTest {
  @Test
  void quietByDefaultOnStderrAndFerryLogRaisesOnlyFerrysOwnLoggers() {
    for (String asked : new String[] {null, "info", "DEBUG", "chatty"}) {
      LoggerContext context = new LoggerContext();
      if (asked != null) {
        System.setProperty("FERRY_LOG", asked);
      }
      try {
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        assertThat(setup.configure(context))
            .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
      } finally {
        System.clearProperty("FERRY_LOG");
      }
      Level expected = asked == null || asked.equals("chatty") ? Level.WARN : Level.toLevel(asked);
      assertThat(context.getLogger("dev.ferry.load.TableLoader").getEffectiveLevel())
          .as(String.valueOf(asked))
          .isEqualTo(expected);
      assertThat(context.getLogger("com.zaxxer.hikari.pool").getEffectiveLevel())
          .isEqualTo(Level.WARN);
      assertThat(context.getLogger("org.flywaydb.core").getEffectiveLevel()).isEqualTo(Level.WARN);
      assertThat(context.getLogger("org.postgresql").getEffectiveLevel()).isEqualTo(Level.WARN);
      var appender =
          (ConsoleAppender<?>)
              context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
      assertThat(appender.getTarget()).isEqualTo("System.err");
      assertThat(appender.isStarted()).isTrue();
    }
  }

  @Test
  void logbackFindsItAsAService() {
    LoggerContext running = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(running.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR"))
        .isNotNull();
    assertThat(getClass().getClassLoader().getResource("logback.xml")).isNull();
  }
}
